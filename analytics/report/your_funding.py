"""A funder's "Your funding" view: what their grants covered, suppressed.

The raw figures come from :func:`analytics.engine.funding_scope.funding_scope`;
every count and amount goes through :mod:`analytics.disclosure.suppression`
here, before a page, the command line or a test sees it:

- **The parts table** (scope, rest of the programme, programme; duos started,
  mentees, duos ended, positive exits, costs in euros) is one table with the
  equations ``scope + rest = programme`` in every column and ``positive +
  not positive = ended`` in every row (the column ``not_positive`` is never
  shown, but its small counts are protected like the others). Primary
  suppression: counts 1 … t − 1. Money: the costs of a part are hidden when
  fewer than t duos started there (they would show what a small group cost).
  No zero beside a hidden cell: positive exits are hidden wherever the ended
  duos are a small count. Then secondary suppression until no hidden cell
  can be worked out (:func:`analytics.disclosure.suppression.suppress_cells`).
- **Cost ratios** (cost per duo started, per positive exit) are shown only
  over t or more, and only when both their parts are visible (a ratio beside
  a visible numerator gives the hidden denominator back).
- **The income table** (yours, the other donors by type, total): other donors
  are never named, and a type's amount is hidden when it would show a single
  donor's money: an institution type with fewer than
  :data:`MIN_INSTITUTIONS` donors (two could each subtract their own), or
  individual donors fewer than t. The total carries the equation ``yours +
  types = total``, so secondary suppression protects those cells. Your share
  of the income is shown only when the total is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.disclosure import suppression
from analytics.disclosure.suppression import Cell
from analytics.engine.funding_scope import COUNTS, PARTS, FundingScope, funding_scope

COLUMNS = (*COUNTS, "costs_eur")
NOT_POSITIVE = "not_positive"       # protected, never shown
YOURS, TOTAL = "yours", "total"
MIN_INSTITUTIONS = 3


@dataclass(frozen=True)
class Grant:
    """One grant of the signed-in funder: their own money, shown as it is."""

    received_on: dt.date
    amount_eur: float
    branch: str | None          # None: every branch
    covers_from: dt.date
    covers_to: dt.date


@dataclass(frozen=True)
class FunderView:
    as_of: dt.date
    funders: tuple[str, ...]
    threshold: int
    grants: tuple[Grant, ...]
    window_from: dt.date | None
    window_to: dt.date | None
    parts: suppression.SuppressedTable          # index PARTS, columns COLUMNS (+ not_positive)
    cost_per_duo: dict[str, Cell]
    cost_per_positive_exit: dict[str, Cell]
    income: suppression.SuppressedTable         # index yours, types…, total; column amount_eur
    income_share: Cell
    whole_below_threshold: bool                 # the programme window has fewer than t duos: no figures

    @property
    def branches(self) -> tuple[str | None, ...]:
        """The branches funded (None: every branch), in the order first funded."""
        return tuple(dict.fromkeys(g.branch for g in self.grants))

    def cell(self, part: str, column: str) -> Cell:
        """A figure of the parts table; every one hidden when the whole window is below the threshold."""
        if self.whole_below_threshold:
            return suppression.hidden(suppression.FEW_PEOPLE, self.threshold)
        return self.parts.cell(part, column)

    def ratio(self, ratios: dict[str, Cell], part: str) -> Cell:
        if self.whole_below_threshold:
            return suppression.hidden(suppression.FEW_PEOPLE, self.threshold)
        return ratios[part]

    def cells(self) -> list[dict]:
        """Every figure of the view, with its suppression state (one dict per cell)."""
        out = []
        for part in PARTS:
            for column in COLUMNS:
                out.append(_cell_dict(f"your_funding.{part}.{column}", self.cell(part, column)))
            out.append(_cell_dict(f"your_funding.{part}.cost_per_duo_eur", self.ratio(self.cost_per_duo, part)))
            out.append(_cell_dict(f"your_funding.{part}.cost_per_positive_exit_eur",
                                  self.ratio(self.cost_per_positive_exit, part)))
        for group in self.income.values.index:
            out.append(_cell_dict(f"your_funding.income.{group}", self.income.cell(group, "amount_eur")))
        out.append(_cell_dict("your_funding.income_share", self.income_share))
        return out


def _cell_dict(key: str, cell: Cell) -> dict:
    value = cell.value if cell.value is None or isinstance(cell.value, int) else float(cell.value)
    return {"key": key, "value": value, "hidden": cell.hidden, "reason": cell.reason, "mark": cell.mark}


def suppress_parts(parts: pd.DataFrame, threshold: int = suppression.THRESHOLD) -> suppression.SuppressedTable:
    """The parts table (index PARTS, columns COLUMNS) after primary and secondary suppression."""
    frame = parts.reindex(index=list(PARTS), columns=list(COLUMNS)).astype(float)
    frame[NOT_POSITIVE] = frame["duos_ended"] - frame["positive_exits"]
    hide: dict[tuple[str, str], str] = {}
    for part in PARTS:
        if suppression.small(frame.at[part, "duos_started"], threshold):
            hide[(part, "costs_eur")] = suppression.FEW_PEOPLE
        if suppression.small(frame.at[part, "duos_ended"], threshold):
            hide[(part, "positive_exits")] = suppression.SECONDARY
    lines: list = []
    for column in frame.columns:
        lines.append(([("scope", column), ("rest", column)], ("programme", column)))
    for part in PARTS:
        lines.append(([(part, "positive_exits"), (part, NOT_POSITIVE)], (part, "duos_ended")))
    return suppression.suppress_cells(frame, lines, threshold, hide=hide)


def _ratio(table: suppression.SuppressedTable, part: str, numerator: str, denominator: str,
           threshold: int) -> Cell:
    if table.is_hidden(part, numerator) or table.is_hidden(part, denominator):
        return suppression.hidden(suppression.FROM_HIDDEN, threshold)
    num, den = table.values.at[part, numerator], table.values.at[part, denominator]
    if den == 0:
        return Cell(None)
    return suppression.statistic(num / den, den, threshold)


def suppress_income(income: pd.DataFrame, threshold: int = suppression.THRESHOLD) -> suppression.SuppressedTable:
    """Yours, the other donors by type, total (column amount_eur), suppressed."""
    yours = float(income.loc[income["part"] == "yours", "amount_eur"].sum())
    others = income[income["part"] == "others"]
    rows = {YOURS: yours}
    hide: dict[tuple[str, str], str] = {}
    for row in others.itertuples():
        rows[row.funder_type] = float(row.amount_eur)
        few = (row.donors < threshold if row.funder_type == suppression.INDIVIDUAL_FUNDER_TYPE
               else row.donors < MIN_INSTITUTIONS)
        if few:
            hide[(row.funder_type, "amount_eur")] = suppression.FEW_PEOPLE
    rows[TOTAL] = sum(rows.values())
    frame = pd.DataFrame({"amount_eur": list(rows.values())}, index=list(rows))
    parts = [(r, "amount_eur") for r in rows if r != TOTAL]
    lines = [(parts, (TOTAL, "amount_eur"))]
    # euros are not people: no primary rule on small amounts, only the donors' rule above
    table = suppression.suppress_cells(frame, lines, threshold=1, hide=hide, keep={(YOURS, "amount_eur")})
    table.threshold = threshold
    return table


def funder_view(con: duckdb.DuckDBPyConnection, funders: tuple[str, ...] | list[str],
                as_of: dt.date | None = None, threshold: int = suppression.THRESHOLD) -> FunderView:
    """The suppressed "Your funding" view of ``funders`` (see the module's rules)."""
    scope: FundingScope = funding_scope(con, funders, as_of)
    table = suppress_parts(scope.parts, threshold)
    per_duo = {p: _ratio(table, p, "costs_eur", "duos_started", threshold) for p in PARTS}
    per_positive = {p: _ratio(table, p, "costs_eur", "positive_exits", threshold) for p in PARTS}
    income = suppress_income(scope.income, threshold)
    if income.is_hidden(TOTAL, "amount_eur") or not income.values.at[TOTAL, "amount_eur"]:
        share = (suppression.hidden(suppression.FROM_HIDDEN, threshold)
                 if income.is_hidden(TOTAL, "amount_eur") else Cell(None))
    else:
        share = Cell(income.values.at[YOURS, "amount_eur"] / income.values.at[TOTAL, "amount_eur"])
    grants = tuple(Grant(_day(g.received_on), float(g.amount_eur), None if pd.isna(g.branch) else g.branch,
                         _day(g.covers_from), _day(g.covers_to)) for g in scope.grants.itertuples())
    return FunderView(scope.as_of, scope.funders, threshold, grants, scope.window_from, scope.window_to,
                      table, per_duo, per_positive, income, share,
                      whole_below_threshold=int(scope.parts.at["programme", "duos_started"]) < threshold)


def _day(value: object) -> dt.date:
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
