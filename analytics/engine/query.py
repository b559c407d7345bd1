"""The indicator engine: every figure of the handbook, from one set of SQL files.

A query names its final model (``indicators``, ``at_risk``) and
:mod:`analytics.engine.models` composes it, with the models it reads, into one
statement with bound parameters.

A single query is a time series of one bucket: :func:`indicators` and
:func:`indicator_series` run the same SQL, so the trend charts and the
headline figures cannot disagree.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import sys
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported where a frame is made: the CLI's JSON needs none
    import pandas as pd

from analytics.engine import numbers, results
from analytics.engine.models import compose_for
from analytics.records import schema

POSITIVE_STATUSES = ("employed", "self_employed", "training", "internship")
JOB_STATUSES = ("employed", "self_employed")

# The outcome definitions (handbook v2, "Outcome definitions"): which exit and
# follow-up statuses count as positive in positive_exit_rate,
# positive_exit_rate_high, cost_per_positive_exit_eur and positive_rate_12m.
# `stable_job` counts `employed` only with one of STABLE_CONTRACTS on the same
# outcome row (an empty contract is not stable).
OUTCOME_DEFINITIONS = {
    "positive": POSITIVE_STATUSES,
    "job": JOB_STATUSES,
    "stable_job": JOB_STATUSES,
}
DEFAULT_OUTCOME = "positive"
STABLE_CONTRACTS = ("permanent", "fixed_term")
# The days in work within 12 months of the end that worked_90d_rate_12m asks
# for, and the range --min-days allows.
DEFAULT_MIN_DAYS_IN_WORK = 90
MIN_DAYS_RANGE = (1, 365)

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
    outcome: str = DEFAULT_OUTCOME
    min_days_in_work: int = DEFAULT_MIN_DAYS_IN_WORK


def outcome_problem(outcome: object, min_days: object) -> str | None:
    """Why an outcome definition or a --min-days value is not one the handbook allows."""
    if outcome not in OUTCOME_DEFINITIONS:
        return f"unknown outcome definition {outcome!r}: choose one of {', '.join(OUTCOME_DEFINITIONS)}"
    low, high = MIN_DAYS_RANGE
    if isinstance(min_days, bool) or not isinstance(min_days, int) or not low <= min_days <= high:
        return f"the minimum days in work must be a whole number from {low} to {high}, not {min_days!r}"
    return None


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


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def bound(sql: str, params: dict[str, object]) -> dict[str, object]:
    """Only the parameters the statement names (DuckDB rejects extras); a
    named one missing is an error."""
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"unbound SQL parameters: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in used}


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """Run with only the parameters the statement names (:func:`bound`)."""
    return results.execute(con, sql, bound(sql, params)).df()


def _mentee_age_rule() -> schema.ProgrammeRule:
    (rule,) = [r for r in schema.programme_rules_for("mentees") if r.kind == "age"]
    return rule


def outcome_params(outcome: str = DEFAULT_OUTCOME,
                   min_days: int = DEFAULT_MIN_DAYS_IN_WORK) -> dict[str, object]:
    """The bound parameters of an outcome definition and a minimum of days in work."""
    return {
        "outcome_statuses": list(OUTCOME_DEFINITIONS[outcome]),
        "outcome_employed_needs_contract": outcome == "stable_job",
        "outcome_stable_contracts": list(STABLE_CONTRACTS),
        "min_days_in_work": min_days,
    }


def base_params(as_of: dt.date, outcome: str = DEFAULT_OUTCOME,
                min_days: int = DEFAULT_MIN_DAYS_IN_WORK) -> dict[str, object]:
    # The programme rules come from the record format's one declaration.
    age_rule = _mentee_age_rule()
    return {
        **outcome_params(outcome, min_days),
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
    problem = outcome_problem(query.outcome, query.min_days_in_work)
    if problem:
        raise QueryError(problem)
    return Query(as_of, period_from, period_to, branches, query.outcome, query.min_days_in_work)


def indicator_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, buckets: list[dict],
                   outcome: str = DEFAULT_OUTCOME, min_days: int = DEFAULT_MIN_DAYS_IN_WORK) -> pd.DataFrame:
    sql = compose_for(con, "indicators")
    return run_sql(con, sql, {**base_params(as_of, outcome, min_days), "buckets": buckets})


def _is_pandas_na(value: object) -> bool:
    # a value can only be pandas' NA once pandas is loaded: no import for the check
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NA


def clean_value(value: object) -> object:
    """Plain Python numbers for JSON: NaN/NA → None, numpy scalars → int/float."""
    if value is None or (isinstance(value, float) and value != value) or _is_pandas_na(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def indicators(con: duckdb.DuckDBPyConnection, query: Query, exact: bool = False) -> dict[str, object]:
    """Every handbook key for one query, with ``as_of``, ``from``, ``to``, the
    ``outcome_definition`` in force and ``min_days_in_work``.

    Each figure is rounded once by the handbook's rule (numbers.edge): with
    ``exact``, a rounded figure is a Decimal (``numbers.dumps`` prints its
    exact text: the command line's JSON); otherwise the nearest float."""
    from analytics.engine.registry import HANDBOOK_KEYS

    q = resolve(con, query)
    buckets = [{"bucket_id": 0, "period_from": q.period_from, "period_to": q.period_to,
                "branches": list(q.branches)}]
    sql = compose_for(con, "indicators")
    params = {**base_params(q.as_of, q.outcome, q.min_days_in_work), "buckets": buckets}
    # fetched as Python values, not a DataFrame: a sum of money stays a Decimal
    cursor = results.execute(con, sql, bound(sql, params))
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchall()[0]))
    result: dict[str, object] = {
        "as_of": q.as_of.isoformat(), "from": q.period_from.isoformat(), "to": q.period_to.isoformat(),
        "outcome_definition": q.outcome, "min_days_in_work": q.min_days_in_work,
    }
    for key in HANDBOOK_KEYS:
        value = numbers.edge(key, row[key])
        result[key] = value if exact else numbers.as_float(value)
    return result


def absent_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The record format's optional tables that the data set does not hold (a
    snapshot made before a table existed does not hold it either)."""
    present = {r[0] for r in con.execute("select table_name from dataset_tables where is_present").fetchall()}
    return {t.name for t in schema.TABLES if not t.required and t.name not in present}


def unavailable(con: duckdb.DuckDBPyConnection, figures: dict[str, object]) -> dict[str, tuple[str, ...]]:
    """The figures that are null because a table they read was not provided:
    key -> those tables (as the registry lists them). A null figure whose
    tables are all there is simply not defined for the query (nothing to
    count), and is not listed."""
    from analytics.engine.registry import INDICATORS

    absent = absent_tables(con)
    out: dict[str, tuple[str, ...]] = {}
    for key, value in figures.items():
        entry = INDICATORS.get(key)
        if entry is None or value is not None:
            continue
        missing = tuple(t for t in entry.tables if t in absent)
        if missing:
            out[key] = missing
    return out


def unavailable_reason(tables: tuple[str, ...]) -> str:
    """The reason of :func:`unavailable` in words (English: the command line's JSON)."""
    names = " and ".join(f"the {t} table" for t in tables)
    return f"{names} {'was' if len(tables) == 1 else 'were'} not provided"


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
        import pandas as pd

        return pd.DataFrame(columns=["period_from", "period_to", "branch"])
    frame = indicator_rows(con, q.as_of, buckets, q.outcome, q.min_days_in_work).drop(columns=["bucket_id"])
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
    sql = compose_for(con, "at_risk")
    params = {**base_params(as_of), **thresholds.as_params(), "branches": list(query.branches)}
    return run_sql(con, sql, params)


def at_risk_list(con: duckdb.DuckDBPyConnection, query: Query,
                 thresholds: Thresholds = Thresholds(), include_new: bool = False,
                 exact: bool = False) -> list[dict[str, object]]:
    """The handbook's at-risk JSON: duo_id, score, rules, plus the facts, in
    the frame's order. Numbers are rounded by numbers.edge (with ``exact``,
    as Decimals for numbers.dumps; otherwise as floats).

    With ``include_new``, the duos "new — too early to tell" are listed too,
    as the at-risk page lists them (after the at-risk ones: score 0, then
    duo_id), with ``"rules": []``; every entry then carries ``too_early``
    (true for those, false for the duos at risk)."""
    # fetched as Python values, not a DataFrame (no pandas for the command
    # line); a value is what at_risk's frame holds: a date as its day, a
    # decimal as the float the frame would have
    as_of = query.as_of or default_as_of(con)
    sql = compose_for(con, "at_risk")
    params = {**base_params(as_of), **thresholds.as_params(), "branches": list(query.branches)}
    cursor = con.execute(sql, bound(sql, params))
    names = [d[0] for d in cursor.description]
    listed = ("at_risk", "new") if include_new else ("at_risk",)
    records = []
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        if row["status"] not in listed:
            continue
        record = {"duo_id": row.pop("duo_id"), "score": int(row.pop("score")), "rules": list(row.pop("rules"))}
        if include_new:
            record["too_early"] = row["status"] == "new"
        for key, value in row.items():
            if isinstance(value, dt.datetime):
                value = value.date().isoformat()
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = float(value)
            value = numbers.edge(key, clean_value(value))
            record[key] = value if exact else numbers.as_float(value)
        records.append(record)
    return records


def branches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The branches that have duos, mentees or mentors, in text order."""
    rows = con.execute(
        "select branch from duos union select branch from mentees "
        "union select branch from mentors order by branch"
    ).fetchall()
    return [r[0] for r in rows]
