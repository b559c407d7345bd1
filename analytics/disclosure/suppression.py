"""Small-cell suppression for everything a funder sees (handbook, "Funder output").

The rules, exactly as the handbook states them, with ``t`` the threshold
(default 5, configurable):

- a **count** between 1 and t − 1 is shown as ``<t``; 0 is shown;
- a **rate** is not shown when its denominator is below t, or when its
  numerator or its complement (denominator − numerator) is between 1 and
  t − 1 (either would give a small count back);
- a **mean, median or cost ratio** over fewer than t people or duos is not
  shown;
- where a table shows **totals**, enough further cells are hidden that no
  hidden cell can be worked out from the others (secondary suppression).

Everything here is pure: functions of values, or of pandas frames, that
return what may be shown together with why anything was hidden. Formatting
comes afterwards (the report formats only what these functions let through).

Secondary suppression, how it is checked. A table with totals is a set of
linear equations ("the cells of this line add up to its total"). Once some
cells are hidden, a hidden cell can be worked out from the visible ones
exactly when the equations restricted to the hidden cells pin it down, i.e.
when its unit vector lies in the row space of the equation matrix restricted
to the hidden cells (equivalently, removing its column lowers the rank).
:func:`recoverable` tests that with exact rank computations, for any set of
lines (1-D tables with a total, 2-D tables with row and/or column totals).
:func:`suppress_counts` hides cells greedily, one at a time, until no hidden
cell is recoverable: among the visible cells in the lines of the cells that
can still be worked out, the one that leaves the fewest of them exposed, then
a non-zero cell before a zero, an inner cell before a total, the smallest
value first (the next-smallest cell of the same row or column, as a rule). This is
the protection the handbook asks for: exact recovery by subtraction. It does
not promise wide intervals (with non-negativity a reader may bound a hidden
cell, e.g. "at most 9").

What never appears in funder output is listed in :data:`NEVER_IN_FUNDER_OUTPUT`;
funders of type ``individual`` are shown together as "individual donors"
(:func:`funder_label`, :func:`group_individual_donors`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

THRESHOLD = 5

# Why a value was hidden (the flag beside every suppressed cell).
SMALL_COUNT = "small_count"                # a count between 1 and t − 1
SMALL_DENOMINATOR = "small_denominator"    # a rate over fewer than t
SMALL_NUMERATOR = "small_numerator"        # a rate whose numerator is between 1 and t − 1
SMALL_COMPLEMENT = "small_complement"      # ... or whose denominator − numerator is
FEW_PEOPLE = "few_people"                  # a mean, median or cost ratio over fewer than t
SECONDARY = "secondary"                    # hidden so that no hidden cell can be worked out
FROM_HIDDEN = "from_hidden"                # a rate computed from a hidden cell of its table

REASONS: tuple[str, ...] = (SMALL_COUNT, SMALL_DENOMINATOR, SMALL_NUMERATOR, SMALL_COMPLEMENT,
                            FEW_PEOPLE, SECONDARY, FROM_HIDDEN)

# How a hidden value is shown: a small count as "<5"; anything else hidden as
# HIDDEN (the report's legend explains it). Not available (no data, a rate
# over 0) is a different thing and is shown by the formatter (an em dash).
HIDDEN = "*"

INDIVIDUAL_FUNDER_TYPE = "individual"
INDIVIDUAL_DONORS = "individual donors"   # the report translates it

# Columns of the record format that never appear in funder output: names,
# notes and other free text, birth dates, every id. Funder names appear only
# for funders that are not of type `individual`.
NEVER_IN_FUNDER_OUTPUT: dict[str, tuple[str, ...]] = {
    "mentees": ("mentee_id", "first_name", "birth_date", "sector_sought"),
    "mentors": ("mentor_id", "first_name", "birth_date", "former_sector"),
    "staff": ("staff_id",),
    "duos": ("duo_id", "mentee_id", "mentor_id", "coordinator_id"),
    "meetings": ("meeting_id", "duo_id"),
    "check_ins": ("check_in_id", "duo_id", "staff_id", "note"),
    "outcomes": ("outcome_id", "duo_id", "sector"),
    "funding": ("funder",),   # only where funder_type = individual
}


# ====================================================================== values
@dataclass(frozen=True)
class Cell:
    """One figure after suppression.

    ``value`` is what may be shown (``None`` when hidden, or when there is
    nothing to show: a rate over 0, no data). ``reason`` says why it was
    hidden (``None`` when it was not); ``mark`` is what to print instead
    (``"<5"`` for a small count, :data:`HIDDEN` otherwise).
    """

    value: float | int | None
    reason: str | None = None
    mark: str | None = None

    @property
    def hidden(self) -> bool:
        return self.reason is not None

    @property
    def available(self) -> bool:
        return self.hidden or self.value is not None

    def text(self, formatter: Callable[[float | int | None], str]) -> str:
        """The display string: the mark when hidden, else the formatted value."""
        return self.mark if self.hidden else formatter(self.value)


def _missing(x: object) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return bool(isinstance(x, float) and math.isnan(x))
    except TypeError:  # pragma: no cover
        return False


def small(n: float | int, threshold: int = THRESHOLD) -> bool:
    """A count the handbook hides: between 1 and threshold − 1."""
    return 1 <= n <= threshold - 1


def less_than(threshold: int = THRESHOLD) -> str:
    return f"<{threshold}"


def hidden(reason: str, threshold: int = THRESHOLD) -> Cell:
    return Cell(None, reason, less_than(threshold) if reason == SMALL_COUNT else HIDDEN)


def shown(value: float | int | None) -> Cell:
    """A figure that is not about few people (a total in euros, an index over
    funders): passed through as it is."""
    return Cell(None if _missing(value) else value)


def _check_threshold(threshold: int) -> None:
    if not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"the suppression threshold must be a whole number ≥ 1, not {threshold!r}")


def count(n: float | int | None, threshold: int = THRESHOLD) -> Cell:
    """A count: 1 … t − 1 becomes ``<t``; 0 and t or more are shown."""
    _check_threshold(threshold)
    if _missing(n):
        return Cell(None)
    if small(n, threshold):
        return hidden(SMALL_COUNT, threshold)
    return Cell(int(n) if float(n).is_integer() else n)


def rate_reason(numerator: float | int, denominator: float | int, threshold: int = THRESHOLD) -> str | None:
    """Why the rate numerator / denominator may not be shown (None: it may)."""
    if denominator < threshold:
        return SMALL_DENOMINATOR
    if small(numerator, threshold):
        return SMALL_NUMERATOR
    if small(denominator - numerator, threshold):
        return SMALL_COMPLEMENT
    return None


def rate(numerator: float | int | None, denominator: float | int | None,
         threshold: int = THRESHOLD) -> Cell:
    """A rate numerator / denominator, shown only when neither it nor its
    numerator nor its complement could give a small count back.

    A denominator of 0 (or unknown) means the rate does not exist: not
    available, not suppressed. An unknown numerator with a known denominator
    fails closed (hidden).
    """
    _check_threshold(threshold)
    if _missing(denominator) or denominator == 0:
        return Cell(None)
    if _missing(numerator):
        return hidden(SMALL_DENOMINATOR if denominator < threshold else FROM_HIDDEN, threshold)
    if not 0 <= numerator <= denominator:
        raise ValueError(f"a rate needs 0 ≤ numerator ≤ denominator, got {numerator}/{denominator}")
    reason = rate_reason(numerator, denominator, threshold)
    if reason:
        return hidden(reason, threshold)
    return Cell(numerator / denominator)


def statistic(value: float | int | None, n: float | int | None, threshold: int = THRESHOLD) -> Cell:
    """A mean, median or cost ratio over ``n`` people or duos: hidden when
    ``n`` is below the threshold (an unknown ``n`` fails closed)."""
    _check_threshold(threshold)
    if _missing(value):
        return Cell(None)
    if _missing(n) or n < threshold:
        return hidden(FEW_PEOPLE, threshold)
    return Cell(value)


# ====================================================================== tables
@dataclass
class SuppressedTable:
    """A table after suppression.

    ``values``: the original figures where they may be shown, NaN where
    hidden (or not available). ``reasons``: the reason per hidden cell, None
    elsewhere. ``marks``: ``"<t"`` / :data:`HIDDEN` per hidden cell.
    ``total_row`` / ``total_col``: the label of the margin, if the table has
    one.
    """

    values: pd.DataFrame
    reasons: pd.DataFrame
    threshold: int = THRESHOLD
    total_row: object | None = None
    total_col: object | None = None
    marks: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        lt = less_than(self.threshold)
        self.marks = self.reasons.map(
            lambda r: None if not isinstance(r, str) else (lt if r == SMALL_COUNT else HIDDEN))

    def is_hidden(self, row: object, col: object) -> bool:
        return isinstance(self.reasons.at[row, col], str)

    def cell(self, row: object, col: object) -> Cell:
        reason = self.reasons.at[row, col]
        if isinstance(reason, str):
            return Cell(None, reason, self.marks.at[row, col])
        v = self.values.at[row, col]
        return Cell(None if _missing(v) else (int(v) if float(v).is_integer() else float(v)))

    def display(self, formatter: Callable[[object], str] = lambda v: f"{v:g}") -> pd.DataFrame:
        """Display-ready text: marks where hidden, ``formatter(value)`` elsewhere
        (``formatter`` also receives None for a value that is not available)."""
        out = pd.DataFrame(index=self.values.index, columns=self.values.columns, dtype=object)
        for r in self.values.index:
            for c in self.values.columns:
                out.at[r, c] = self.cell(r, c).text(formatter)
        return out

    def flags(self) -> pd.DataFrame:
        """One row per hidden cell: row, column, reason."""
        rows = [(r, c, self.reasons.at[r, c]) for r in self.reasons.index for c in self.reasons.columns
                if self.is_hidden(r, c)]
        return pd.DataFrame(rows, columns=["row", "column", "reason"])

    @property
    def hidden_count(self) -> int:
        return int(self.reasons.map(lambda r: isinstance(r, str)).sum().sum())


def add_margins(frame: pd.DataFrame, label: str = "Total", rows: bool = True,
                cols: bool = True) -> pd.DataFrame:
    """The frame with a total row (``rows``) and/or a total column (``cols``)."""
    out = frame.copy()
    if cols:
        out[label] = out.sum(axis=1)
    if rows:
        out.loc[label] = out.sum(axis=0)
    return out


Line = tuple[Sequence[tuple[object, object]], tuple[object, object]]


def table_lines(frame: pd.DataFrame, *, total_row: object | None = None, total_col: object | None = None,
                partitions: Sequence[tuple[Sequence[object], object]] = (),
                total_row_parts: Sequence[object] | None = None) -> list[Line]:
    """The equations a table with totals publishes, as (parts, total) in labels.

    - ``total_col``: every row (the total row too) adds up to this column;
    - ``partitions``: more general row equations, e.g. ``[(["positive",
      "not_positive"], "duos"), (["job", "not_job"], "duos")]``: in every row,
      the parts add up to the total column (several ways of splitting one
      total, as when a table shows two rates over one denominator);
    - ``total_row``: every column adds up to this row, over ``total_row_parts``
      (default: every other row) — a row of totals that is published
      elsewhere (a headline) and summed over only some rows is one too.
    """
    lines: list[Line] = []
    rows, cols = list(frame.index), list(frame.columns)
    row_equations = list(partitions)
    if total_col is not None:
        row_equations.append(([c for c in cols if c != total_col], total_col))
    for parts, total in row_equations:
        for r in rows:
            lines.append(([(r, c) for c in parts], (r, total)))
    if total_row is not None:
        summed = [r for r in rows if r != total_row] if total_row_parts is None else list(total_row_parts)
        for c in cols:
            lines.append(([(r, c) for r in summed], (total_row, c)))
    return lines


def hidden_equations(lines: Sequence[Line], hidden_list: Sequence) -> tuple[dict, "np.ndarray | None"]:
    """The equations ``sum(parts) = total`` of ``lines`` restricted to the hidden
    cells (visible cells are known constants): one row per equation that names a
    hidden cell, one column per cell of ``hidden_list``; None when there is none."""
    index = {cell: k for k, cell in enumerate(hidden_list)}
    rows = []
    for parts, total in lines:
        row = np.zeros(len(hidden_list))
        for p in parts:
            if p in index:
                row[index[p]] += 1
        if total in index:
            row[index[total]] -= 1
        if row.any():
            rows.append(row)
    return index, (np.array(rows) if rows else None)


def recoverable(lines: Sequence[Line], hidden_cells: Iterable[tuple[object, object]]) -> set:
    """The hidden cells that the visible cells pin down exactly through the
    equations ``sum(parts) = total`` of ``lines``."""
    hidden_list = sorted(set(hidden_cells), key=repr)
    index, matrix = hidden_equations(lines, hidden_list)
    if matrix is None:
        return set()
    full = np.linalg.matrix_rank(matrix)
    out = set()
    for cell, k in index.items():
        if np.linalg.matrix_rank(np.delete(matrix, k, axis=1)) < full:
            out.add(cell)
    return out


def suppress_cells(frame: pd.DataFrame, lines: Sequence[Line], threshold: int = THRESHOLD, *,
                   hide: dict[tuple[object, object], str] | None = None,
                   keep: Iterable[tuple[object, object]] = ()) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts under ``lines``.

    Every count between 1 and t − 1 is hidden (``<t``). ``hide`` names cells
    hidden already elsewhere (with their reason), e.g. a total a headline
    hides. Then, while some hidden cell can be worked out from the visible
    ones through ``lines``, one more cell is hidden (reason
    :data:`SECONDARY`): among the visible cells in the lines of the exposed
    cells, the one that leaves the fewest exposed, then non-zero before
    zero, a cell outside ``keep`` before one in it (``keep``: cells
    published elsewhere, best left visible; they are hidden only when
    nothing else protects), an inner cell before a total, the smallest
    value first. Missing values (NaN)
    are "not available" and never hidden.
    """
    _check_threshold(threshold)
    values = frame.astype(float)
    labels_r, labels_c = list(values.index), list(values.columns)
    for parts, total in lines:
        for r, c in (*parts, total):
            if r not in labels_r or c not in labels_c:
                raise KeyError(f"a line names the cell ({r!r}, {c!r}), which the table does not have")
    keep = set(keep)
    reasons: dict[tuple[object, object], str] = {}
    for r in labels_r:
        for c in labels_c:
            v = values.at[r, c]
            if not math.isnan(v) and small(v, threshold):
                reasons[(r, c)] = SMALL_COUNT
    for cell, why in (hide or {}).items():
        reasons.setdefault(cell, why)

    totals = {total for _, total in lines}
    line_of: dict[tuple[object, object], list[int]] = {}
    for k, (parts, total) in enumerate(lines):
        for cell in (*parts, total):
            line_of.setdefault(cell, []).append(k)

    def visible(cell) -> bool:
        return cell not in reasons and not math.isnan(values.at[cell])

    while True:
        hid = set(reasons)
        exposed = recoverable(lines, hid)
        if not exposed:
            break
        candidates = {cell for target in exposed for k in line_of.get(target, [])
                      for cell in (*lines[k][0], lines[k][1]) if visible(cell)}
        if not candidates:
            candidates = {(r, c) for r in labels_r for c in labels_c if visible((r, c))}
        if not candidates:  # pragma: no cover - everything hidden is never recoverable
            raise RuntimeError("secondary suppression found no cell to hide")

        def cost(cell) -> tuple:
            v = values.at[cell]
            return (len(recoverable(lines, hid | {cell})), v == 0, cell in keep, cell in totals, v,
                    labels_r.index(cell[0]), labels_c.index(cell[1]))

        reasons[min(candidates, key=cost)] = SECONDARY

    frame_reasons = pd.DataFrame([[None] * len(labels_c) for _ in labels_r], index=values.index,
                                 columns=values.columns, dtype=object)
    for (r, c), why in reasons.items():
        frame_reasons.at[r, c] = why
    return SuppressedTable(values=values.mask(frame_reasons.notna()), reasons=frame_reasons,
                           threshold=threshold)


def suppress_counts(frame: pd.DataFrame, threshold: int = THRESHOLD, *,
                    total_row: object | None = None, total_col: object | None = None,
                    partitions: Sequence[tuple[Sequence[object], object]] = (),
                    hide: dict[tuple[object, object], str] | None = None,
                    keep: Iterable[tuple[object, object]] = ()) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts.

    Every count between 1 and t − 1 is hidden (shown ``<t``), margins
    included. When the table shows totals (``total_row``: the label of the
    row holding the column totals; ``total_col``: the column holding the row
    totals; ``partitions``: see :func:`table_lines`), further cells are
    hidden until no hidden cell can be worked out from the visible ones;
    those carry the reason :data:`SECONDARY` (see :func:`suppress_cells`).
    A table without totals gets primary suppression only (the handbook's
    rule).
    """
    if total_row is not None and total_row not in frame.index:
        raise KeyError(f"no total row {total_row!r}")
    if total_col is not None and total_col not in frame.columns:
        raise KeyError(f"no total column {total_col!r}")
    lines = table_lines(frame, total_row=total_row, total_col=total_col, partitions=partitions)
    table = suppress_cells(frame, lines, threshold, hide=hide, keep=keep)
    table.total_row, table.total_col = total_row, total_col
    return table


def suppress_series(counts: pd.Series, threshold: int = THRESHOLD, *,
                    total: object | None = None) -> SuppressedTable:
    """A one-way table (``counts`` indexed by group, ``total`` the label of its
    total, if shown) as a one-column :class:`SuppressedTable`."""
    name = counts.name if counts.name is not None else "count"
    return suppress_counts(counts.to_frame(name), threshold, total_row=total)


def derived_rate(table: SuppressedTable, row: object, numerator_cols: Sequence[object],
                 denominator_col: object) -> Cell:
    """A rate read off a suppressed table of counts: the sum of
    ``numerator_cols`` over ``denominator_col`` in ``row``.

    Shown only when every cell it is computed from is visible (otherwise it
    would give a hidden cell back: :data:`FROM_HIDDEN`) and when the rate
    itself passes :func:`rate`.
    """
    cols = [*numerator_cols, denominator_col]
    raw = table.values.reindex(columns=cols)
    for c in cols:
        if table.is_hidden(row, c):
            den_hidden = table.is_hidden(row, denominator_col)
            return hidden(SMALL_DENOMINATOR if den_hidden and table.reasons.at[row, denominator_col]
                          == SMALL_COUNT else FROM_HIDDEN, table.threshold)
    den = raw.at[row, denominator_col]
    num = sum(raw.at[row, c] for c in numerator_cols)
    return rate(num, den, table.threshold)


# ====================================================================== personal data
def funder_label(funder: str, funder_type: str | None, individual_label: str = INDIVIDUAL_DONORS) -> str:
    """The name a funder may be shown under: individuals only as a group."""
    return individual_label if (funder_type or "").strip().lower() == INDIVIDUAL_FUNDER_TYPE else funder


def group_individual_donors(frame: pd.DataFrame, *, funder: str = "funder", funder_type: str = "funder_type",
                            amount: str = "amount_eur", individual_label: str = INDIVIDUAL_DONORS) -> pd.DataFrame:
    """Funding rows summed per funder, every ``individual`` funder summed under
    ``individual_label``. Returns funder, funder_type, amount (largest first)."""
    if frame.empty:
        return pd.DataFrame(columns=[funder, funder_type, amount])
    labelled = frame.assign(**{funder: [funder_label(f, t, individual_label)
                                        for f, t in zip(frame[funder], frame[funder_type])]})
    types = labelled[funder_type].fillna("").astype(str)
    is_individual = types.str.strip().str.lower() == INDIVIDUAL_FUNDER_TYPE
    labelled[funder_type] = types.where(~is_individual, INDIVIDUAL_FUNDER_TYPE)
    # (a funder of another type that happens to bear the group's name stays apart)
    # math.fsum: the correctly rounded sum of the amounts, whatever their order
    out = labelled.groupby([funder, funder_type], as_index=False, sort=False)[amount].agg(math.fsum)
    return out.sort_values([amount, funder, funder_type], ascending=[False, True, True], ignore_index=True)


# What kind of personal value each listed column holds.
PERSONAL_KINDS: dict[str, str] = {
    "first_name": "names", "birth_date": "birth_dates", "note": "notes", "funder": "individual_funders",
    "sector_sought": "free_text", "former_sector": "free_text", "sector": "free_text",
}
KINDS: tuple[str, ...] = ("names", "ids", "birth_dates", "notes", "individual_funders", "free_text")


def personal_values(con, kinds: Sequence[str] = KINDS, min_length: int = 1) -> set[str]:
    """The personal values of a loaded data set, of the given ``kinds``
    (see :data:`KINDS`): what a funder report must never contain. Values
    shorter than ``min_length`` are left out. Used by the tests on every
    kind, and by the report as a last check on the kinds that cannot look
    like ordinary words or numbers."""
    out: set[str] = set()
    for table, columns in NEVER_IN_FUNDER_OUTPUT.items():
        for column in columns:
            kind = "ids" if column.endswith("_id") else PERSONAL_KINDS.get(column, "free_text")
            if kind not in kinds:
                continue
            try:
                if table == "funding":
                    rows = con.execute(
                        "select distinct funder from funding where lower(funder_type) = ?",
                        [INDIVIDUAL_FUNDER_TYPE]).fetchall()
                else:
                    rows = con.execute(f'select distinct "{column}" from "{table}" '
                                       f'where "{column}" is not null').fetchall()
            except Exception:  # an absent table or column holds nothing personal
                continue
            for (v,) in rows:
                text = (v.isoformat() if hasattr(v, "isoformat") else str(v)).strip()
                if len(text) >= max(1, min_length):
                    out.add(text)
    return out
