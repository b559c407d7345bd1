"""Follow-up coverage that cannot be missed: for the 3-, 6- and 12-month
follow-ups, per cohort (the year a duo ended) and branch, how many were due,
done and overdue, and the coverage (SQL: ``ins_followup_coverage``).

A duo's k-month mark is its end plus 91, 182 or 365 days (handbook v2). A
follow-up is **due** when the mark is on or before the as-of date A, **done**
when one of its stage was recorded by A (even before the mark), and
**overdue** when the mark is on or before A − 30 and none was recorded. The
branch filter applies by the duo's branch; every cohort is shown (the period
does not restrict it). Without the outcomes table nothing can be counted and
the frame is empty.

:func:`band_counts` gives the counts behind each headline outcome rate's
non-response band (registry ``BANDS``), which funder output needs to suppress
a band: the duos it is over, those with the outcome row, and those counted
positive at its lowest end.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.engine.insights import one_bucket, outcome_breakdown, run_model
from analytics.engine.query import Query, indicators, resolve
from analytics.engine.registry import BANDS

STAGES = ("followup_3m", "followup_6m", "followup_12m")
COLUMNS = ["cohort", "branch", "stage", "due", "done", "overdue", "coverage"]


def _outcomes_present(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("select bool_or(is_present) from dataset_tables where table_name = 'outcomes'").fetchone()
    return bool(row and row[0])


def followup_coverage(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per (cohort, branch, stage): ``due, done, overdue, coverage``."""
    q = resolve(con, query)
    if not _outcomes_present(con):
        return pd.DataFrame(columns=COLUMNS)
    frame = run_model(con, "ins_followup_coverage", q.as_of, None, branches=list(q.branches))
    return frame[COLUMNS]


def _total(frame: pd.DataFrame, column: str) -> int | None:
    """The column's sum; None when any row's count is unknown (the outcomes table absent)."""
    if not len(frame):
        return 0
    if frame[column].isna().any():
        return None
    return int(frame[column].sum())


def band_counts(con: duckdb.DuckDBPyConnection, query: Query) -> dict[str, dict[str, int | None]]:
    """Per headline rate with a non-response band (registry ``BANDS``): ``duos``
    (the duos the rate and its band are over), ``responded`` (those with the
    outcome row: an exit outcome; a 12-month follow-up) and ``low`` (those
    counted positive at the band's lowest end, under the query's outcome
    definition). The band's highest end counts ``low + duos − responded``.
    None where the outcomes table is absent."""
    q = resolve(con, query)
    figures = indicators(con, q)
    ended = outcome_breakdown(con, q, "gender")
    due = run_model(con, "ins_followup_12m", q.as_of, one_bucket(q))
    totals = {"positive_exit_rate": (_total(ended, "duos"), _total(ended, "exit_outcomes")),
              "job_rate_12m": (_total(due, "duos_due_12m"), _total(due, "duos_followed_up_12m"))}
    out = {}
    for key, (low_key, _high_key, _coverage_key) in BANDS.items():
        duos, responded = totals[key]
        rate = figures.get(low_key)
        # the engine's rate (it follows the outcome definition) times its denominator: exact, a count over duos
        low = None if rate is None or responded is None else round(rate * duos)
        out[key] = {"duos": duos, "responded": responded, "low": low}
    return out
