"""Growth over time for funders: every point of every series suppressed, so
that no hidden point can be worked back from any other view a funder may
open (the rules and the attacks they stop: docs/disclosure.md).

What a funder may choose is fixed: a reporting year (calendar years from the
first with data to the as-of year), a grain (month, quarter, year) and a
branch (or the whole programme). The as-of date is the one the programme
published (the store's default as-of date), never the funder's. All those
views are cells of **one** table, suppressed together:

- rows ``(branch, grain, period_from)``, ``branch`` a branch or
  :data:`PROGRAMME` (and :data:`OTHER`, never shown: what the programme holds
  beyond the listed branches, so that the branch equations hold exactly);
- columns :data:`FLOWS` (counts in the period: duos realized, mentee
  applications) and :data:`STOCKS` (on the period's last day, at month grain
  only: a quarter's or year's point *is* its last month's cell).

Equations (``sum(parts) = total``) published by those views:

- a quarter is the sum of its months, a year of its quarters (flows);
- the programme is the sum of the branches (+ other), in every cell;
- the cumulative duos of a month are those of the month before plus the duos
  realized in the month (the difference of two consecutive points).

Primary suppression hides counts 1 … t − 1; secondary suppression then hides
more until no hidden cell is pinned down by the equations (:func:`_suppress`:
the table is too large for the one-cell-at-a-time greedy of
:func:`analytics.disclosure.suppression.suppress_cells`, so each round hides
a cell beside every exposed one, checked with one null-space computation).

The funder's Growth page (``ui/funder_growth.py``), the count tiles of the
funder's Overview and the machine-readable truth (``analytics.report.truth``)
all read their cells from here, so one view cannot be subtracted from another.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from analytics.disclosure import pinned, suppression
from analytics.disclosure.suppression import Cell
from analytics.engine import query as engine

PROGRAMME, OTHER = "__programme__", "__other__"
FLOWS = ("duos_realized", "mentee_applications")
STOCKS = ("duos_realized_cumulative", "active_duos")
MEASURES = (*FLOWS, *STOCKS)
GRAINS = ("month", "quarter", "year")


@dataclass(frozen=True)
class FunderSeries:
    as_of: dt.date
    years: tuple[int, ...]
    branches: tuple[str, ...]
    threshold: int
    table: suppression.SuppressedTable       # index (branch, grain, period_from); columns MEASURES
    raw: dict = field(default_factory=dict, repr=False)   # the unsuppressed counts (never shown)

    def cell(self, measure: str, grain: str, period_from: dt.date, branch: str | None = None) -> Cell:
        """The cell a funder sees for one period: a flow is the period's own
        cell; a stock is its last month's, as of the month's end or the as-of
        date (so a quarter's or a year's point *is* a month's cell)."""
        if grain not in GRAINS or measure not in MEASURES:
            raise ValueError(f"no series {measure!r} by {grain!r}")
        who = PROGRAMME if branch is None else branch
        if measure in STOCKS:
            _, t = engine.bucket_bounds(period_from, period_from, grain)[0]
            last = min(t, self.as_of)
            return self.table.cell((who, "month", dt.date(last.year, last.month, 1)), measure)
        return self.table.cell((who, grain, period_from), measure)

    def periods(self, grain: str, year: int) -> list[tuple[dt.date, dt.date]]:
        """The periods of ``year`` at ``grain`` a funder sees (started by the as-of date)."""
        return [(f, t) for f, t in engine.bucket_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31), grain)
                if f <= self.as_of]

    def points(self, measure: str, grain: str, year: int, branch: str | None = None) -> list[tuple[dt.date, Cell]]:
        """The points a funder sees: one per period of ``year`` at ``grain`` (started by the as-of date)."""
        if grain not in GRAINS or measure not in MEASURES:
            raise ValueError(f"no series {measure!r} by {grain!r}")
        return [(f, self.cell(measure, grain, f, branch)) for f, _ in self.periods(grain, year)]

    def below_threshold(self, year: int, branch: str | None = None) -> bool:
        """The view's whole population is below the threshold: fewer than t duos
        realized and fewer than t applications in the year (no chart then)."""
        who = PROGRAMME if branch is None else branch
        raw = self.raw.get((who, "year", dt.date(year, 1, 1)), {})
        return all((raw.get(m) or 0) < self.threshold for m in FLOWS)


def _monthly(con, as_of: dt.date, years: list[int]) -> tuple[pd.DataFrame, list[str]]:
    q = engine.Query(as_of, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31), ())
    whole = engine.indicator_series(con, q, "month")
    whole.insert(2, "branch", PROGRAMME)
    by_branch = engine.indicator_series(con, q, "month", by_branch=True)
    frame = pd.concat([whole, by_branch], ignore_index=True)
    return frame[["period_from", "branch", *MEASURES]], sorted(set(by_branch["branch"]))


def exposed(lines: list, hidden: set) -> set:
    """The hidden cells the equations pin down (the same answer as
    :func:`analytics.disclosure.suppression.recoverable`; exact elimination,
    block by block: :func:`analytics.disclosure.pinned.pinned_cells`)."""
    return pinned.pinned_cells(lines, hidden)


def _avoid(lines: list) -> "callable":
    """In ``cum(m) = cum(m - 1) + realized(m)``, hide ``cum(m - 1)`` last: hiding
    it would pin it through the month before, and so on back to the start of
    the series; hiding ``cum(m)`` or the month's duos spreads forward only as
    far as the next visible pair."""
    def avoid(k: int, cell) -> bool:
        parts, total = lines[k]
        return (total[1] == "duos_realized_cumulative" and cell != total
                and cell[1] == "duos_realized_cumulative")
    return avoid


def _suppress(frame: pd.DataFrame, lines: list, threshold: int) -> suppression.SuppressedTable:
    """Primary suppression, then secondary suppression until no hidden cell is
    pinned down (:func:`analytics.disclosure.pinned.suppress_lines`)."""
    values = {(r, c): float(frame.at[r, c]) for r in frame.index for c in frame.columns}
    reasons = pinned.suppress_lines(values, lines, threshold, small=suppression.small,
                                    primary=suppression.SMALL_COUNT, secondary=suppression.SECONDARY,
                                    avoid=_avoid(lines))
    frame_reasons = pd.DataFrame([[reasons.get((r, c)) for c in frame.columns] for r in frame.index],
                                 index=frame.index, columns=frame.columns, dtype=object)
    return suppression.SuppressedTable(values=frame.mask(frame_reasons.notna()), reasons=frame_reasons,
                                       threshold=threshold)


def funder_series(con: duckdb.DuckDBPyConnection, threshold: int = suppression.THRESHOLD,
                  as_of: dt.date | None = None) -> FunderSeries:
    """Every funder growth view, suppressed together (see the module's rules)."""
    as_of = as_of or engine.default_as_of(con)
    first = con.execute("select min(first_meeting_on) from duos").fetchone()[0]
    first_app = con.execute("select min(applied_on) from mentees").fetchone()[0]
    starts = [d for d in (first, first_app) if d is not None and d <= as_of]
    years = list(range(min(starts).year if starts else as_of.year, as_of.year + 1))
    monthly, branches = _monthly(con, as_of, years)
    monthly["period_from"] = pd.to_datetime(monthly["period_from"]).dt.date
    who_all = [PROGRAMME, *branches, OTHER]
    cells: dict[tuple, dict[str, float]] = {}
    months = sorted(set(monthly["period_from"]))
    for r in monthly.itertuples(index=False):
        cells[(r.branch, "month", r.period_from)] = {m: float(getattr(r, m) or 0) for m in MEASURES}
    for m in months:                          # other = programme - branches
        prog = cells[(PROGRAMME, "month", m)]
        cells[(OTHER, "month", m)] = {k: prog[k] - sum(cells[(b, "month", m)][k] for b in branches)
                                      for k in MEASURES}
    lines: list = []
    quarters = sorted({dt.date(m.year, (m.month - 1) // 3 * 3 + 1, 1) for m in months})
    for who in who_all:
        for qf in quarters:
            parts = [m for m in months if m.year == qf.year and qf.month <= m.month < qf.month + 3]
            cells[(who, "quarter", qf)] = {k: (sum(cells[(who, "month", m)][k] for m in parts) if k in FLOWS
                                               else float("nan")) for k in MEASURES}
            for k in FLOWS:
                lines.append(([((who, "month", m), k) for m in parts], ((who, "quarter", qf), k)))
        for y in years:
            parts = [qf for qf in quarters if qf.year == y]
            cells[(who, "year", dt.date(y, 1, 1))] = {
                k: (sum(cells[(who, "quarter", qf)][k] for qf in parts) if k in FLOWS else float("nan"))
                for k in MEASURES}
            for k in FLOWS:
                lines.append(([((who, "quarter", qf), k) for qf in parts], ((who, "year", dt.date(y, 1, 1)), k)))
        # consecutive cumulative points differ by the month's realized duos
        for i, m in enumerate(months):
            cum = ((who, "month", m), "duos_realized_cumulative")
            now = ((who, "month", m), "duos_realized")
            if i == 0:
                if cells[(who, "month", m)]["duos_realized_cumulative"] == cells[(who, "month", m)]["duos_realized"]:
                    lines.append(([now], cum))
            else:
                lines.append(([((who, "month", months[i - 1]), "duos_realized_cumulative"), now], cum))
    for key in [k for k in cells if k[0] == PROGRAMME]:
        _, grain, period = key
        for k in MEASURES:
            if grain != "month" and k in STOCKS:
                continue
            lines.append(([((b, grain, period), k) for b in [*branches, OTHER]], (key, k)))
    index = pd.MultiIndex.from_tuples(list(cells))
    frame = pd.DataFrame([[cells[i][k] for k in MEASURES] for i in cells], index=list(cells),
                         columns=list(MEASURES))
    frame.index = index
    table = _suppress(frame, lines, threshold)
    return FunderSeries(as_of, tuple(years), tuple(branches), threshold, table,
                        {i: dict(cells[i]) for i in cells})
