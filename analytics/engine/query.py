"""The indicator engine: every figure of the handbook, from one set of SQL files.

The SQL under ``analytics/sql`` is layered like a dbt project: ``facts/``
(the raw tables pre-joined, with every fact that does not depend on the
as-of date; built once per snapshot at import, :func:`build_facts`) →
``staging/`` (the data as they stood on the as-of date) → ``marts/`` (one
row per duo, per mentee) → ``indicators/`` and ``at_risk.sql``.
Each file is a ``select`` named after the file; :func:`compose` chains the
layers a query needs into one statement of common table expressions (dbt's
"ephemeral" models). That keeps queries free of DDL, so they run on a
read-only snapshot and on any cursor of a shared connection, and every
parameter is bound by DuckDB, never formatted into the text. The facts are
the one layer stored as tables (dbt's "table" materialisation): a database
without them (a snapshot written by an older version, a test that creates
the raw tables itself) gets them as CTEs instead, with the same results.

A single query is a time series of one bucket: :func:`indicators` and
:func:`indicator_series` run the same SQL, so the trend charts and the
headline figures cannot disagree.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from analytics.records import schema

SQL_DIR = Path(__file__).parent / "sql"

# As-of-independent models, stored as tables by build_facts (dependency order).
FACTS = ("fct_outcomes", "fct_duos", "fct_mentees", "fct_check_ins")
# Beside them, the digest of the SQL they were built from: facts built by
# another version of the models are not used (see stored_facts).
FACTS_DIGEST_TABLE = "fct_digest"
# Dependency order of the shared models; a query names the ones it needs.
STAGING = (
    "stg_presence", "stg_mentees", "stg_mentors", "stg_staff", "stg_duos", "stg_meetings",
    "stg_check_ins", "stg_outcomes", "stg_costs", "stg_funding",
)
MARTS = ("mart_duos", "mart_duo_outcomes", "mart_mentees")
# Models read many times by one query: materialised once instead of inlined.
MATERIALIZED = {"mart_duos", "mart_mentees", "buckets", *FACTS}
# Large tables that each use filters differently: inlined, so that the filter
# (a window of dates, the duos of one page) is pushed down into the scan.
NOT_MATERIALIZED = {"stg_duos", "stg_meetings", "stg_check_ins", "stg_outcomes"}

POSITIVE_STATUSES = ("employed", "self_employed", "training", "internship")
JOB_STATUSES = ("employed", "self_employed")

# The event dates whose maximum is the default as-of date (handbook).
EVENT_DATES = (
    ("mentees", "applied_on"), ("mentees", "interviewed_on"),
    ("mentors", "applied_on"), ("mentors", "interviewed_on"),
    ("duos", "matched_on"), ("duos", "first_meeting_on"), ("duos", "ended_on"),
    ("meetings", "met_on"), ("check_ins", "checked_on"),
    ("outcomes", "recorded_on"), ("funding", "received_on"),
)

GRAINS = ("month", "quarter", "year")


class QueryError(ValueError):
    """A query the handbook calls an error (as-of before the period, F > T)."""


@dataclass(frozen=True)
class Query:
    """What a figure is computed for: an as-of date, a period, a branch filter.

    Empty fields take the handbook's defaults in :func:`resolve`.
    """

    as_of: dt.date | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    branches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    """The at-risk thresholds; the defaults are the handbook's."""

    not_started_days: int = 14
    no_meeting_days: int = 21
    low_intensity_window_days: int = 28
    low_intensity_min_hours: float = 2.0
    check_in_window_days: int = 45
    low_satisfaction_max: int = 2
    untrained_days: int = 30

    def as_params(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@functools.cache
def _model_sql(name: str) -> str:
    matches = list(SQL_DIR.rglob(f"{name}.sql"))
    if len(matches) != 1:
        raise FileNotFoundError(f"expected one SQL file for model {name!r}, found {matches}")
    return matches[0].read_text(encoding="utf-8").strip().rstrip(";")


def compose(final: str, models: Iterable[str]) -> str:
    """One statement: each model as a CTE (in the order given), then ``final``."""
    ctes = []
    for name in models:
        keyword = ("as materialized" if name in MATERIALIZED
                   else "as not materialized" if name in NOT_MATERIALIZED else "as")
        ctes.append(f"{name} {keyword} (\n{_model_sql(name)}\n)")
    body = _model_sql(final)
    # A final query with CTEs of its own continues the chain instead of nesting.
    match = re.match(r"((?:\s*--[^\n]*\n)*)\s*with\s", body)
    if match:
        return "with " + ",\n".join(ctes) + ",\n" + match.group(1) + body[match.end():]
    return "with " + ",\n".join(ctes) + "\n" + body


@functools.cache
def facts_digest() -> str:
    """SHA-256 of the fact models' SQL, as this version of the code has it."""
    return hashlib.sha256("\n".join(_model_sql(name) for name in FACTS).encode()).hexdigest()


def build_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Store the fact models as tables in ``con`` (replacing any), with the
    digest of their SQL, in the caller's transaction. Run after the raw
    tables change: an import, an erasure."""
    for name in FACTS:
        con.execute(f"create or replace table {name} as\n{_model_sql(name)}")
    con.execute(f"create or replace table {FACTS_DIGEST_TABLE} as select $digest as digest",
                {"digest": facts_digest()})


def stored_facts(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The fact models stored as tables in ``con``'s current database, built
    from the SQL of this version (else none: a snapshot imported by an older
    version is read through the CTEs until its next import)."""
    rows = con.execute(
        "select table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name = current_schema() "
        "and list_contains($names, table_name)",
        {"names": [*FACTS, FACTS_DIGEST_TABLE]}).fetchall()
    names = {r[0] for r in rows}
    if FACTS_DIGEST_TABLE not in names:
        return frozenset()
    ((stored_digest,),) = con.execute(f"select any_value(digest) from {FACTS_DIGEST_TABLE}").fetchall()
    return frozenset(names & set(FACTS)) if stored_digest == facts_digest() else frozenset()


def compose_for(con: duckdb.DuckDBPyConnection, final: str, models: Iterable[str]) -> str:
    """:func:`compose` on ``con``: the facts it does not store come first, as CTEs."""
    stored = stored_facts(con)
    return compose(final, [m for m in FACTS if m not in stored] + list(models))


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """Bind only the parameters the statement names (DuckDB rejects extras)."""
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"unbound SQL parameters: {sorted(missing)}")
    return con.execute(sql, {k: v for k, v in params.items() if k in used}).df()


def _mentee_age_rule() -> schema.ProgrammeRule:
    (rule,) = [r for r in schema.programme_rules_for("mentees") if r.kind == "age"]
    return rule


def base_params(as_of: dt.date) -> dict[str, object]:
    # The programme rules come from the record format's one declaration.
    age_rule = _mentee_age_rule()
    return {
        "as_of": as_of,
        "mentee_min_age": age_rule.min_age,
        "mentee_max_age": age_rule.max_age,
        "eu_country_codes": list(schema.EU27),
        "positive_statuses": list(POSITIVE_STATUSES),
        "job_statuses": list(JOB_STATUSES),
    }


def default_as_of(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> dt.date:
    """The latest event date of the data set, never after today; today if none."""
    today = today or dt.date.today()
    union = " union all ".join(f"select max({column}) as d from {table}" for table, column in EVENT_DATES)
    latest = con.execute(f"select max(d) from ({union})").fetchone()[0]
    return min(latest, today) if latest is not None else today


def resolve(con: duckdb.DuckDBPyConnection, query: Query) -> Query:
    """Fill the handbook's defaults and check the query is one it allows."""
    as_of = query.as_of or default_as_of(con)
    if (query.period_from is None) != (query.period_to is None):
        raise QueryError("--from and --to go together")
    if query.period_from is None:
        period_from, period_to = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    else:
        period_from, period_to = query.period_from, query.period_to
    if period_from > period_to:
        raise QueryError(f"the period starts ({period_from}) after it ends ({period_to})")
    if as_of < period_from:
        raise QueryError(f"the as-of date {as_of} is before the period starts ({period_from})")
    branches = tuple(dict.fromkeys(query.branches))  # unique, in the order given
    return Query(as_of, period_from, period_to, branches)


INDICATOR_MODELS = STAGING + MARTS + ("buckets",)


def indicator_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, buckets: list[dict]) -> pd.DataFrame:
    sql = compose_for(con, "indicators", INDICATOR_MODELS)
    return run_sql(con, sql, {**base_params(as_of), "buckets": buckets})


def clean_value(value: object) -> object:
    """Plain Python numbers for JSON: NaN/NA → None, numpy scalars → int/float."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def indicators(con: duckdb.DuckDBPyConnection, query: Query) -> dict[str, object]:
    """Every handbook key for one query, with ``as_of``, ``from`` and ``to``."""
    from analytics.engine.registry import HANDBOOK_KEYS

    q = resolve(con, query)
    buckets = [{"bucket_id": 0, "period_from": q.period_from, "period_to": q.period_to,
                "branches": list(q.branches)}]
    row = indicator_rows(con, q.as_of, buckets).iloc[0]
    result: dict[str, object] = {
        "as_of": q.as_of.isoformat(), "from": q.period_from.isoformat(), "to": q.period_to.isoformat(),
    }
    for key in HANDBOOK_KEYS:
        result[key] = clean_value(row[key])
    return result


def bucket_bounds(period_from: dt.date, period_to: dt.date, grain: str) -> list[tuple[dt.date, dt.date]]:
    """Calendar buckets (month, quarter or year) covering [period_from, period_to]."""
    if grain not in GRAINS:
        raise QueryError(f"grain must be one of {GRAINS}, not {grain!r}")
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    start_month = (period_from.month - 1) // months * months + 1
    start = dt.date(period_from.year, start_month, 1)
    bounds = []
    while start <= period_to:
        end_month_index = start.month - 1 + months  # 0-based month after the bucket
        year, month = start.year + end_month_index // 12, end_month_index % 12 + 1
        end = dt.date(year, month, 1) - dt.timedelta(days=1)
        bounds.append((start, end))
        start = end + dt.timedelta(days=1)
    return bounds


def indicator_series(
    con: duckdb.DuckDBPyConnection, query: Query, grain: str = "month", by_branch: bool = False,
) -> pd.DataFrame:
    """Each handbook key per calendar bucket of the query's period, in one query.

    Every bucket is a period of its own with the query's as-of date; buckets
    that start after the as-of date are left out (the handbook calls such a
    period an error). With ``by_branch``, one row per bucket and branch (the
    query's branches, or every branch with duos when it names none).
    """
    q = resolve(con, query)
    bounds = [(f, t) for f, t in bucket_bounds(q.period_from, q.period_to, grain) if f <= q.as_of]
    if by_branch:
        branch_sets = [[b] for b in (q.branches or tuple(branches(con)))]
    else:
        branch_sets = [list(q.branches)]
    buckets, labels = [], []
    for f, t in bounds:
        for branch_set in branch_sets:
            labels.append((f, t, branch_set[0] if by_branch else None))
            buckets.append({"bucket_id": len(buckets), "period_from": f, "period_to": t,
                            "branches": branch_set})
    if not buckets:
        return pd.DataFrame(columns=["period_from", "period_to", "branch"])
    frame = indicator_rows(con, q.as_of, buckets).drop(columns=["bucket_id"])
    frame["period_from"] = [f for f, _, _ in labels]
    frame["period_to"] = [t for _, t, _ in labels]
    if by_branch:
        frame.insert(2, "branch", [b for _, _, b in labels])
    return frame


def at_risk(
    con: duckdb.DuckDBPyConnection, query: Query, thresholds: Thresholds = Thresholds(),
) -> pd.DataFrame:
    """Every duo open on the as-of date in the filter, with its rules and facts.

    ``status`` is ``at_risk``, ``new`` (matched too recently to tell) or
    ``fine``; the at-risk list of the handbook is the ``at_risk`` rows, in
    the frame's order (score, highest first, then duo_id).
    """
    as_of = query.as_of or default_as_of(con)
    sql = compose_for(con, "at_risk", STAGING)
    params = {**base_params(as_of), **thresholds.as_params(), "branches": list(query.branches)}
    return run_sql(con, sql, params)


def at_risk_list(con: duckdb.DuckDBPyConnection, query: Query,
                 thresholds: Thresholds = Thresholds()) -> list[dict[str, object]]:
    """The handbook's at-risk JSON: duo_id, score, rules, plus the facts."""
    frame = at_risk(con, query, thresholds)
    frame = frame[frame["status"] == "at_risk"]
    records = []
    for row in frame.to_dict(orient="records"):
        record = {"duo_id": row.pop("duo_id"), "score": int(row.pop("score")), "rules": list(row.pop("rules"))}
        for key, value in row.items():
            if isinstance(value, (dt.date, pd.Timestamp)):
                value = None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
            record[key] = clean_value(value)
        records.append(record)
    return records


def branches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The branches that have duos, mentees or mentors, in text order."""
    rows = con.execute(
        "select branch from duos union select branch from mentees "
        "union select branch from mentors order by branch"
    ).fetchall()
    return [r[0] for r in rows]
