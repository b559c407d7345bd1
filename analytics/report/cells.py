"""Suppression across the report's tables: the glue between the headline's
small tables and every table that repeats their totals.

Several tables share totals with the headline (the duos that ended in the
period, split into positive exits, job exits and completions; the duos
realized, split by bucket). The headline's tables are suppressed first; a
table that repeats one of their totals checks that it adds up to the same
number (:func:`check_same_totals`), then hides again what the headline hides
and keeps visible what it shows (:func:`carry`), so that no table gives back
what another hides.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from analytics.disclosure import suppression
from analytics.report.common import ReportError

# the row label of a table's total line (never shown: each table names it)
TOTAL = "__total__"
# the ended-duos split shared by the headline, the trend and the breakdowns
ENDED_COLS = ("positive", "not_positive", "job", "not_job", "completed", "not_completed", "ended")
ENDED_PARTS = ((("positive", "not_positive"), "ended"), (("job", "not_job"), "ended"),
               (("completed", "not_completed"), "ended"))


def count_frame(rows: dict[object, dict], cols: list[str]) -> pd.DataFrame:
    """Rows of counts (label -> {column: count}) as the frame suppression reads."""
    return pd.DataFrame([[r[c] for c in cols] for r in rows.values()], index=list(rows), columns=cols)


def check_same_totals(head: suppression.SuppressedTable, totals: dict, cols: Sequence[str]) -> None:
    """A table's total row must be the headline's (where the headline shows it)."""
    for c in cols:
        if not head.is_hidden(TOTAL, c) and abs(float(head.values.at[TOTAL, c]) - float(totals[c])) > 1e-9:
            raise ReportError(f"internal inconsistency: the parts of {c} do not add up to the headline")


def carry(head: suppression.SuppressedTable, cols: Sequence[str]) -> tuple[dict, set]:
    """The headline's hidden cells (to hide again) and visible ones (to keep)."""
    hide = {(TOTAL, c): head.reasons.at[TOTAL, c] for c in cols if head.is_hidden(TOTAL, c)}
    keep = {(TOTAL, c) for c in cols if not head.is_hidden(TOTAL, c)}
    return hide, keep


AMOUNT = "amount"


def suppress_amounts(amounts: dict[object, float | None], hide: dict[object, str], *,
                     total: object | None = None, parts: Sequence[object] | None = None,
                     keep: Sequence[object] = ()) -> suppression.SuppressedTable:
    """Amounts of money (label -> euros) in one column, after the money rule.

    Euros are not people, so there is no primary rule on small amounts: a
    row is hidden because ``hide`` says so (a type with fewer donors than the
    threshold, a bucket with a small group of people…). When ``total`` names
    the row the ``parts`` add up to (default: every other row), further rows
    are hidden (secondary) until no hidden amount can be worked out by
    subtraction; ``keep`` rows (the viewer's own money) are hidden last.
    """
    frame = pd.DataFrame({AMOUNT: [float("nan") if v is None else float(v) for v in amounts.values()]},
                         index=list(amounts))
    lines = []
    if total is not None:
        summed = [r for r in amounts if r != total] if parts is None else list(parts)
        lines.append(([(r, AMOUNT) for r in summed], (total, AMOUNT)))
    return suppression.suppress_cells(frame, lines, threshold=1, hide={(r, AMOUNT): why for r, why in hide.items()},
                                      keep={(r, AMOUNT) for r in keep})
