"""Data completeness: how much of the optional fields the indicators use is filled.

Per table, field and branch (the duo's), as of the as-of date A: the duos that
should have the field (SQL ``ins_completeness``: staff at the first meeting for
realized duos, a coordinator for duos open on A, an exit outcome for realized
duos that ended, a 3-, 6- or 12-month follow-up once its mark has passed), how
many have it, and the share. :func:`rows_to_complete` lists the duos whose
field is empty, for a coordinator to fill in (staff only: it names duos). A
field whose table is absent (staff, outcomes) is left out: it cannot be filled.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.engine.insights import run_model
from analytics.engine.query import Query, resolve

COLUMNS = ["table_name", "field", "branch", "rows", "filled", "share"]
# the indicators each field weakens when empty (registry keys)
WEAKENS = {
    "staff_at_first_meeting": ("staff_at_first_meeting_rate", "staff_at_first_meeting_recorded_rate"),
    "coordinator_id": ("coordinator_recorded_rate",),
    "exit": ("exit_outcome_coverage", "positive_exit_rate", "job_exit_rate"),
    "followup_3m": ("followup_3m_coverage",),
    "followup_6m": ("followup_6m_coverage",),
    "followup_12m": ("followup_12m_coverage", "job_rate_12m", "positive_rate_12m"),
}
_NEEDS = {"coordinator_id": "staff", "exit": "outcomes", "followup_3m": "outcomes",
          "followup_6m": "outcomes", "followup_12m": "outcomes"}


def _present(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from dataset_tables where is_present").fetchall()}


def _fields(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    q = resolve(con, query)
    frame = run_model(con, "ins_completeness", q.as_of, None, branches=list(q.branches))
    present = _present(con)
    keep = [(_NEEDS.get(f) is None or _NEEDS[f] in present) for f in frame["field"]]
    return frame[keep]


def completeness(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per (table, field, branch): ``rows`` that should have it, ``filled``, ``share``."""
    frame = _fields(con, query)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = (frame.assign(is_filled=frame["is_filled"].astype(int))
           .groupby(["table_name", "field", "branch"], sort=False)["is_filled"].agg(["count", "sum"])
           .reset_index().rename(columns={"count": "rows", "sum": "filled"}))
    out["share"] = out["filled"] / out["rows"]
    order = {f: i for i, f in enumerate(WEAKENS)}
    out = out.sort_values(["field", "branch"], key=lambda s: s.map(order) if s.name == "field" else s)
    return out[COLUMNS].reset_index(drop=True)


def rows_to_complete(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The duos whose field is empty: ``duo_id, branch, table_name, field``."""
    frame = _fields(con, query)
    missing = frame[~frame["is_filled"].astype(bool)]
    return missing[["duo_id", "branch", "table_name", "field"]].sort_values(
        ["field", "branch", "duo_id"]).reset_index(drop=True)
