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
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.engine.insights import run_model
from analytics.engine.query import Query, resolve

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
