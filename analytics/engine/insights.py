"""The analytics behind the dashboard pages that go beyond the handbook.

The dashboard (issue 4) shows more than the handbook's keys: the figures of
the same days one year earlier beside each tile, the waiting list and the mentors free to
take it, the funnel from application to a positive outcome, duo survival
curves, exit outcomes by contract, a headline per person, breakdowns for
funders, costs with `central` allocated, the funding mix, the staff's
follow-up worklist, a duo's timeline, quality next to volume, and the
coordinators behind the at-risk filter. Pages must not hold SQL or pandas
arithmetic, so every function here returns a frame (or a dict) ready to plot
or show.

Why a module of its own, and how it stays consistent with the engine:

- Every figure is computed for an :class:`analytics.engine.query.Query` resolved by
  :func:`analytics.engine.query.resolve` (the handbook's defaults and errors), with
  the handbook's conventions: the data as they stood on the as-of date ``A``,
  the period ``[F, T]``, ``d = min(T, A)``, the branch filter (``central``
  included), ``null`` (``None``/NaN) for an empty denominator, ties and ids
  compared as text.
- The SQL lives in ``analytics/sql/insights/`` and is composed by
  :func:`analytics.engine.query.compose_for` on top of the engine's own staging and mart
  models and its ``buckets`` model (which carries the period and the branch
  filter), so the "as of" reading, the first-duo rule, the exit outcome and
  the filter semantics are the engine's, never re-implemented (the one fact
  the marts lack, the exit outcome's contract, is read from the same row by
  the same ordering). Parameters are always bound.
- Where a figure *is* a handbook key (coverage of the 12-month follow-up,
  funding concentration, the quality keys), it comes from
  :func:`analytics.engine.query.indicator_series`, so a page cannot show two values
  for one key.
- Figures that are not in the handbook have a registry entry
  (``analytics/registry.py``, ``in_handbook=False``) whose definition the
  docstrings below repeat; the tests check them on hand-worked data.
- Everything is set-based SQL that aggregates before it returns: fast at a
  million duos. Only the frames the pages show come back to Python.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import NormalDist

import duckdb
import pandas as pd

from analytics.engine import query as engine
from analytics.engine.models import compose_for
from analytics.engine.query import Query, bucket_bounds, resolve
from analytics.engine.registry import INDICATORS, UNIT_SCALES

# The models every insight query may read, in dependency order: the engine's
# staging and marts, its buckets model (period + branch filter), then ours.

# When each outcome stage measures the mentee's situation, in days after the
# duo's end: 3 and 6 months are a quarter and half a year of whole weeks (91,
# 182); 365 is the handbook's 12-month mark (ended_on + 365). The follow-up
# worklist's due dates and the person headline's window both read this.
FOLLOWUP_OFFSETS = {"exit": 0, "followup_3m": 91, "followup_6m": 182, "followup_12m": 365}

# Region of origin for the funder breakdowns: country_of_origin (upper-case
# ISO alpha-2, XK for Kosovo) -> region. Every EU-27 code is "EU" (the codes
# the engine binds for the eligibility rule, from the record format's
# declaration); a code in none of the lists below is "Other" (Oceania, stateless or
# unknown codes...). Choices worth knowing: Turkey, the Caucasus and the
# United Kingdom count as "Europe (non-EU)"; Egypt and Sudan, with the
# Mashriq and the Gulf, as "Middle East"; "Maghreb" is the UN's Northern
# Africa without Egypt and Sudan (Algeria, Libya, Mauritania, Morocco,
# Tunisia, Western Sahara).
REGION_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Maghreb": ("DZ", "EH", "LY", "MA", "MR", "TN"),
    "Middle East": (
        "AE", "BH", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SD", "SY", "YE",
    ),
    "Sub-Saharan Africa": (
        "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "ER", "ET", "GA", "GH",
        "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "MG", "ML", "MU", "MW", "MZ", "NA", "NE", "NG",
        "RW", "SC", "SL", "SN", "SO", "SS", "ST", "SZ", "TD", "TG", "TZ", "UG", "ZA", "ZM", "ZW",
    ),
    "Europe (non-EU)": (
        "AD", "AL", "AM", "AZ", "BA", "BY", "CH", "FO", "GB", "GE", "GI", "IS", "LI", "MC", "MD", "ME",
        "MK", "NO", "RS", "RU", "SM", "TR", "UA", "VA", "XK",
    ),
    "Asia": (
        "AF", "BD", "BN", "BT", "CN", "HK", "ID", "IN", "JP", "KG", "KH", "KP", "KR", "KZ", "LA", "LK",
        "MM", "MN", "MO", "MV", "MY", "NP", "PH", "PK", "SG", "TH", "TJ", "TL", "TM", "TW", "UZ", "VN",
    ),
    "Americas": (
        "AG", "AR", "BB", "BO", "BR", "BS", "BZ", "CA", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "GD",
        "GT", "GY", "HN", "HT", "JM", "KN", "LC", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT",
        "US", "UY", "VC", "VE",
    ),
}
REGIONS: tuple[str, ...] = ("Maghreb", "Middle East", "Sub-Saharan Africa", "Europe (non-EU)", "Asia",
                            "Americas", "EU", "Other")


def region_of(country: str | None) -> str:
    """The region of a country_of_origin code (see :data:`REGION_COUNTRIES`)."""
    return _region_map().get((country or "").upper(), "Other")


def _region_map() -> dict[str, str]:
    mapping = {code: region for region, codes in REGION_COUNTRIES.items() for code in codes}
    mapping.update({code: "EU" for code in eu_country_codes()})
    return mapping


def eu_country_codes() -> tuple[str, ...]:
    """The EU-27 codes exactly as the engine binds them (the record format's declaration)."""
    return tuple(engine.base_params(dt.date(2000, 1, 1))["eu_country_codes"])


BREAKDOWN_ORDER = {
    "gender": ("F", "M", "X", "not_recorded"),
    "education_level": ("none", "primary", "secondary", "tertiary", "not_recorded"),
    "region": REGIONS,
}
EXIT_STATUS_ORDER = ("employed", "self_employed", "training", "internship", "volunteering", "searching",
                     "inactive", "unknown", "no_exit_outcome")
CONTRACT_ORDER = ("permanent", "fixed_term", "temp_agency", "none", "not_recorded")
FUNNEL_STEPS = ("funnel_applied", "funnel_interviewed", "funnel_eligible", "funnel_matched",
                "funnel_realized", "funnel_ended", "funnel_positive_exit")
# Units whose change against the previous period is relative (value / previous - 1);
# every other unit changes by the difference.
RELATIVE_CHANGE_UNITS = ("count", "eur")
QUALITY_KEYS = ("median_days_to_match", "matched_within_30d_rate", "staff_at_first_meeting_rate",
                "mentor_trained_rate", "check_in_coverage", "caseload_per_coordinator_fte",
                "median_weekly_hours", "early_closure_rate", "completion_rate")


# ---------------------------------------------------------------- plumbing

def one_bucket(q: Query) -> list[dict]:
    return [{"bucket_id": 0, "period_from": q.period_from, "period_to": q.period_to,
             "branches": list(q.branches)}]


def _series_buckets(q: Query, grain: str) -> list[dict]:
    """One bucket per calendar month/quarter/year of the period, as
    :func:`engine.indicator_series` makes them (buckets starting after the
    as-of date are left out)."""
    bounds = [(f, t) for f, t in bucket_bounds(q.period_from, q.period_to, grain) if f <= q.as_of]
    return [{"bucket_id": i, "period_from": f, "period_to": t, "branches": list(q.branches)}
            for i, (f, t) in enumerate(bounds)]


def run_model(con: duckdb.DuckDBPyConnection, final: str, as_of: dt.date, buckets: list[dict] | None,
              outcome: str = engine.DEFAULT_OUTCOME, **params: object) -> pd.DataFrame:
    """Compose ``final`` with the models its SQL reads and run it with bound
    parameters (``buckets`` is bound when given: a query of a period;
    ``outcome``: the outcome definition a positive exit follows)."""
    sql = compose_for(con, final)
    bound = {**engine.base_params(as_of, outcome), **params}
    if buckets is not None:
        bound["buckets"] = buckets
    return engine.run_sql(con, sql, bound)


def _check_series(series: pd.DataFrame, buckets: list[dict]) -> None:
    """A series handed in by the caller must be the engine's for these buckets."""
    if list(series["period_from"]) != [b["period_from"] for b in buckets]:
        raise ValueError("series is not the engine's series for this query and grain")


def _none(value: object) -> object:
    """NaN / NA -> None; numpy scalars -> Python numbers (for dicts)."""
    return engine.clean_value(value)


def _first_row(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, object]:
    """The first row's ``keys`` as plain Python values (no float upcast)."""
    record = frame.to_dict(orient="records")[0]
    return {key: _none(record[key]) for key in keys}


def _order(frame: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    rank = {value: i for i, value in enumerate(order)}
    return frame.assign(_rank=frame[column].map(lambda v: rank.get(v, len(rank)))) \
        .sort_values(["_rank", column], kind="stable").drop(columns="_rank").reset_index(drop=True)


def _table_present(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute("select bool_or(is_present) from dataset_tables where table_name = ?",
                      [table]).fetchone()
    return bool(row and row[0])


# ---------------------------------------------------------- previous period

def minus_year(day: dt.date) -> dt.date:
    """The same day one year earlier; 29 February gives 28 February (the handbook's rule)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous_period(query: Query, con: duckdb.DuckDBPyConnection | None = None) -> Query:
    """The same days one year earlier: ``[F − 1 year, d − 1 year]``, ``d = min(T, A)``.

    Like for like, whether the period is over on the as-of date or still
    running: January–June of a running year is compared with January–June of
    the year before, never with the whole of it. 29 February shifts to 28
    February (as the handbook's year-on-year growth does).

    The as-of date is kept: the earlier period is computed from the data as
    they stand on the original as-of date (what is known *now* about that
    earlier period, including late-recorded outcomes), not the report that
    could have been made at its end. The branch filter is kept. A query with
    an empty period or as-of date is resolved first (pass ``con``).
    """
    if query.as_of is None or query.period_from is None or query.period_to is None:
        if con is None:
            raise ValueError("previous_period needs a resolved query, or con to resolve it")
        query = resolve(con, query)
    d = min(query.period_to, query.as_of)
    return replace(query, period_from=minus_year(query.period_from), period_to=minus_year(d))


# Figures measured on d (a stock), not over the period: their targets are not
# pro-rated. The cumulative count is compared as growth of the stock.
STOCK_KEYS = ("duos_realized_cumulative", "active_duos", "mentees_waiting", "active_mentors")
CUMULATIVE_KEYS = ("duos_realized_cumulative",)


def pro_rated(key: str) -> bool:
    """Whether a target of ``key`` is pro-rated by days: counts and amounts that
    add up over the period (not a stock on d, not a cost per unit, no rate or median)."""
    from analytics.engine.registry import INDICATORS

    entry = INDICATORS[key]
    return (entry.unit in RELATIVE_CHANGE_UNITS and key not in STOCK_KEYS
            and not key.startswith("cost_per_"))


def compare_with_previous(con: duckdb.DuckDBPyConnection, query: Query,
                          keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The handbook keys for the query beside the same days one year earlier, and targets.

    One row per key: ``key, label, unit, good_direction, value,
    previous_value, change, change_kind, target, target_to_date``.

    The earlier period is :func:`previous_period` (``[F − 1 year, d − 1
    year]``, the same as-of date). ``change`` (registry
    ``change_vs_previous_period``): for a count or an amount in euros, the
    relative change ``value / previous_value - 1`` (``change_kind``
    "relative"; for a cumulative count "stock_growth": the growth of the
    stock in a year); for every other unit (rate, ratio, index, score, days,
    hours), the difference ``value - previous_value`` ("difference", a rate's
    change in points); null when either value is null, or (relative) when
    ``previous_value`` is 0.
    ``target``: from the targets table, only when the period is one calendar
    year: the row of that year for the key with ``branch = all`` when the
    filter is empty, or ``branch`` = the one branch the filter names; else null.
    A target may name a key by its alias (registry ``ALIASES``); the targets of
    the keys the outcome definition changes (``OUTCOME_KEYS``) are compared
    only under the default definition.
    ``target_to_date``: the target to compare the value with on d: for a count
    or an amount that adds up over the period (:func:`pro_rated`), the target
    times the days ``[F, d]`` over the days ``[F, T]``; for a rate, a median
    or a stock, the target itself.
    """
    from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS

    q = resolve(con, query)
    keys = tuple(keys or HANDBOOK_KEYS)
    # Both periods in one statement of the engine's own SQL (two buckets, the
    # same as-of date), so the staging is built once: the values are exactly
    # what engine.indicators gives for each query.
    p = previous_period(q)
    buckets = [{"bucket_id": i, "period_from": x.period_from, "period_to": x.period_to,
                "branches": list(x.branches)} for i, x in enumerate((q, p))]
    rows = engine.indicator_rows(con, q.as_of, buckets, q.outcome, q.min_days_in_work).to_dict(orient="records")
    current, previous = ({key: engine.clean_value(row[key]) for key in HANDBOOK_KEYS} for row in rows)
    targets = _targets(con, q)
    d = min(q.period_to, q.as_of)
    share = ((d - q.period_from).days + 1) / ((q.period_to - q.period_from).days + 1)
    rows = []
    for key in keys:
        entry = INDICATORS[key]
        value, prev = current.get(key), previous.get(key)
        if entry.unit in RELATIVE_CHANGE_UNITS:
            kind = "stock_growth" if key in CUMULATIVE_KEYS else "relative"
            change = None if value is None or prev in (None, 0) else value / prev - 1
        else:
            kind = "difference"
            change = None if value is None or prev is None else value - prev
        target = targets.get(key)
        to_date = None if target is None else (target * share if pro_rated(key) else target)
        rows.append({"key": key, "label": entry.label, "unit": entry.unit,
                     "good_direction": entry.good_direction, "value": value, "previous_value": prev,
                     "change": change, "change_kind": kind, "target": target, "target_to_date": to_date})
    return pd.DataFrame(rows, columns=["key", "label", "unit", "good_direction", "value", "previous_value",
                                       "change", "change_kind", "target", "target_to_date"])


def _targets(con: duckdb.DuckDBPyConnection, q: Query) -> dict[str, float]:
    calendar_year = (q.period_from == dt.date(q.period_from.year, 1, 1)
                     and q.period_to == dt.date(q.period_from.year, 12, 31))
    if not calendar_year or len(q.branches) > 1 or not _table_present(con, "targets"):
        return {}
    from analytics.engine.registry import OUTCOME_KEYS, canonical_key

    branch = q.branches[0] if q.branches else "all"
    rows = con.execute(
        "select indicator, max(target) from targets where year = ? and branch = ? group by indicator",
        [q.period_from.year, branch],
    ).fetchall()
    targets: dict[str, float] = {}
    # the registry key's own row first, then an alias's (the same meaning);
    # each target at its indicator's unit scale (registry.UNIT_SCALES), rounded half-even
    for key, value in sorted(rows, key=lambda row: row[0] != canonical_key(row[0])):
        key = canonical_key(key)
        if key in INDICATORS:
            value = float(Decimal(str(value)).quantize(Decimal(1).scaleb(-UNIT_SCALES[INDICATORS[key].unit]),
                                                       rounding=ROUND_HALF_EVEN))
        targets.setdefault(key, float(value))
    if q.outcome != engine.DEFAULT_OUTCOME:
        for key in OUTCOME_KEYS:
            targets.pop(key, None)
    return targets


# ------------------------------------------------------------------ growth

def growth_extras(con: duckdb.DuckDBPyConnection, query: Query) -> dict[str, object]:
    """The growth page's figures that are not in the handbook, for one query.

    Keys (registry entries, ``in_handbook=False``):

    - ``mentees_waiting``: the handbook's key (eligible, applied on or before
      d, no duo matched on or before d in any branch, not withdrawn on d),
      filtered by the mentee's branch;
    - ``mentees_waiting_over_30d``: of them, waiting more than 30 days,
      ``d - applied_on > 30``;
    - ``median_days_waiting``: median of ``d - applied_on`` (None when nobody
      waits);
    - ``free_trained_mentors`` (handbook v2; formerly ``trained_mentors_free``): mentors (by their own branch) who applied on or
      before d, completed the training on or before d, had not left on d, and
      have no duo (any branch) open on d;
    - ``mentors_first_duo_ended``, ``mentors_reengaged``: among the mentors whose first realized duo
      (of their duos with a first meeting on or before d: earliest matched_on,
      ties -> smallest duo_id, any branch) ended on or before d — filtered by
      that duo's branch — the share with a later duo (later matched_on, or the
      same day and a larger duo_id; any branch; started or not) matched on or
      before d. Cumulative since the programme began: the context of the
      handbook's ``mentor_return_rate_12m`` (which replaced the share of them,
      ``mentor_reengagement_rate``, now its alias);
    - ``funnel``: the frame of :func:`funnel`.
    """
    q = resolve(con, query)
    frame = run_model(con, "ins_growth_extras", q.as_of, one_bucket(q))
    result = _first_row(frame, (
        "mentees_waiting", "mentees_waiting_over_30d", "median_days_waiting", "free_trained_mentors",
        "mentors_first_duo_ended", "mentors_reengaged"))
    result["funnel"] = _funnel_frame(_first_row(frame, FUNNEL_STEPS))
    return result


def funnel(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """From application to positive exit, for the mentees who applied in [F, T].

    Mentees are filtered by their own branch and followed up to the as-of
    date A. Each step keeps only the mentees of the step before (registry
    ``funnel_*``): applied in [F, T] -> interviewed (interviewed_on on or
    before A) -> eligible (decision = eligible) -> matched (a duo in any
    branch) -> realized (a duo with its first meeting on or before A) ->
    ended (a realized duo that has ended) -> positive exit (a realized, ended
    duo whose exit outcome is employed, self_employed, training or
    internship; None when the outcomes table is absent).

    Columns: ``step`` (the registry key), ``mentees``, ``share_of_applied``,
    ``share_of_previous`` (None when the denominator is 0 or unknown).
    """
    q = resolve(con, query)
    frame = run_model(con, "ins_funnel", q.as_of, one_bucket(q), q.outcome)
    return _funnel_frame(_first_row(frame, FUNNEL_STEPS))


def _funnel_frame(row: dict[str, object]) -> pd.DataFrame:
    """The funnel's counts (one per step) as the frame :func:`funnel` returns."""
    rows, applied, previous = [], row["funnel_applied"], None
    for step in FUNNEL_STEPS:
        count = row[step]
        rows.append({
            "step": step,
            "mentees": count,
            "share_of_applied": None if count is None or not applied else count / applied,
            "share_of_previous": (None if step == "funnel_applied" or count is None or not previous
                                  else count / previous),
        })
        previous = count
    return pd.DataFrame(rows, columns=["step", "mentees", "share_of_applied", "share_of_previous"])


def waiting_list(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per mentee waiting on d (the handbook's ``mentees_waiting``).

    Columns: ``mentee_id, branch, applied_on, interviewed_on, days_waiting``
    (``d - applied_on``), ``is_over_30_days`` (``days_waiting > 30``); longest
    wait first, then mentee_id. No names: staff pages join them on mentee_id.
    """
    q = resolve(con, query)
    return run_model(con, "ins_waiting_list", q.as_of, one_bucket(q))


def days_to_match_distribution(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The values behind ``median_days_to_match``, for a histogram.

    One row per mentee's first duo (earliest matched_on among all its duos,
    ties -> smallest duo_id) matched in [F, T], by the duo's branch.
    Columns: ``branch, matched_on, days_to_match`` (matched_on - applied_on),
    ``is_within_30d``.
    """
    q = resolve(con, query)
    return run_model(con, "ins_days_to_match", q.as_of, one_bucket(q))


# ----------------------------------------------------------------- quality

# The normal quantile of a 95 % two-sided confidence band (the survival curves' band).
SURVIVAL_Z = NormalDist().inv_cdf(0.975)


def survival_curves(con: duckdb.DuckDBPyConnection, query: Query, by: str = "cohort") -> pd.DataFrame:
    """Kaplan–Meier survival of duos over whole weeks since the first meeting.

    Population (by the duo's branch): with ``by="branch"``, the duos realized
    in [F, T] (first meeting in the period, on or before A), one curve per
    branch; with ``by="cohort"``, every duo realized on or before d since the
    programme began, one curve per year of the first meeting (a cohort
    comparison needs earlier years than the period).

    A duo's time is ``week = floor(days / 7)`` with ``days = ended_on -
    first_meeting_on``, or ``A - first_meeting_on`` for a duo open on A. The
    event is an end with end_reason not in {completed, job_found}; a duo that
    ended completed or with a job, or is still open, is censored at its week.

    Columns: ``group`` (branch, or the year as text), ``week``, ``at_risk``
    (duos with week >= this week), ``events``, ``censored``, ``survival``
    (the product of ``1 - events / at_risk`` over the weeks up to this one),
    ``survival_lower`` and ``survival_upper`` (its 95 % confidence band,
    Greenwood's formula on the log-log scale as lifelines computes it by
    default).
    One row per week with an end or a censoring, plus week 0 for every group
    (survival 1 unless duos end in their first week) — the steps of the
    curve; it is exactly lifelines' ``KaplanMeierFitter`` fitted on the weeks.
    """
    if by not in ("cohort", "branch"):
        raise ValueError(f"by must be 'cohort' or 'branch', not {by!r}")
    q = resolve(con, query)
    frame = run_model(con, "ins_survival", q.as_of, one_bucket(q), by=by, z=SURVIVAL_Z)
    return frame.astype({"week": "int64", "at_risk": "int64", "events": "int64", "censored": "int64"})


# The weeks of the counts table under the survival chart.
RISK_TABLE_WEEKS = (0, 4, 8, 13, 26, 39, 52)


def survival_risk_table(curves: pd.DataFrame, weeks: tuple[int, ...] = RISK_TABLE_WEEKS) -> pd.DataFrame:
    """The counts under a survival chart, from :func:`survival_curves`' frame: per
    group and week w, ``at_risk`` (duos whose week is w or later), ``events`` and
    ``censored`` (those ended early, or censored, in a week before w); the three
    add up to the group's duos."""
    rows = []
    for group, part in curves.groupby("group", sort=True):
        for w in weeks:
            later, before = part[part["week"] >= w], part[part["week"] < w]
            rows.append({"group": group, "week": w,
                         "at_risk": int(later["at_risk"].iloc[0]) if len(later) else 0,
                         "events": int(before["events"].sum()), "censored": int(before["censored"].sum())})
    return pd.DataFrame(rows, columns=["group", "week", "at_risk", "events", "censored"])


def quality_under_growth(con: duckdb.DuckDBPyConnection, query: Query, grain: str = "month",
                         by_branch: bool = False) -> pd.DataFrame:
    """Volume and quality on one time axis, from :func:`engine.indicator_series`.

    Columns: ``period_from, period_to, [branch], duos_realized, active_duos``,
    then the quality keys of :data:`QUALITY_KEYS` (the handbook's values per
    bucket, same definitions as the headline figures).
    """
    series = engine.indicator_series(con, query, grain=grain, by_branch=by_branch)
    columns = ["period_from", "period_to"] + (["branch"] if by_branch else []) \
        + ["duos_realized", "active_duos", *QUALITY_KEYS]
    if series.empty:
        return pd.DataFrame(columns=columns)
    return series[columns].reset_index(drop=True)


def coordinators(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """Coordinators for the at-risk page's filter, with their caseload on d.

    Rows: staff with role coordinator in post on d (started on or before d,
    not left or left after d) in the branch filter (by the staff member's
    branch), and anyone named coordinator of a duo of the filter open on d.
    Columns: ``coordinator_id, branch`` (the staff member's), ``role, fte,
    is_in_post, active_duos`` (duos of the filter active on d with this
    coordinator: the caseload the handbook counts), ``open_duos`` (matched
    and not ended on d); by coordinator_id as text. Empty without a staff table.
    """
    q = resolve(con, query)
    return run_model(con, "ins_coordinators", q.as_of, one_bucket(q))


# ---------------------------------------------------------------- outcomes

def exit_outcomes(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """Realized duos that ended in [F, T] by exit status and contract.

    The exit outcome is the handbook's (stage exit, latest recorded_on, ties
    -> largest outcome_id); ``exit_status`` is its status or
    ``no_exit_outcome``; ``contract`` that row's contract, or
    ``not_recorded`` (empty, or no exit outcome). Columns: ``exit_status,
    contract, is_positive, is_job, duos, share`` (of all the duos ended in
    the period). Status in the record format's order, then contract.
    Empty when the outcomes table is absent (unknown, not "no outcome").
    """
    q = resolve(con, query)
    columns = ["exit_status", "contract", "is_positive", "is_job", "duos", "share"]
    if not _table_present(con, "outcomes"):
        return pd.DataFrame(columns=columns)
    frame = run_model(con, "ins_exit_outcomes", q.as_of, one_bucket(q))
    frame = _order(frame, "contract", CONTRACT_ORDER)
    return _order(frame, "exit_status", EXIT_STATUS_ORDER)[columns]


def followup_12m(con: duckdb.DuckDBPyConnection, query: Query, grain: str = "quarter",
                 series: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 12-month follow-up per bucket: counts beside the handbook's rates.

    Columns: ``period_from, period_to, duos_due_12m`` (realized duos whose
    mark ended_on + 365 is in the bucket and on or before A),
    ``duos_followed_up_12m`` (with a followup_12m outcome),
    ``duos_in_job_12m`` (latest followup_12m status a job),
    ``followup_12m_coverage`` and ``job_rate_12m`` (the handbook's keys, from
    :func:`engine.indicator_series`). Counts of outcomes and the rates are
    null when the outcomes table is absent. ``series``: that series for the
    same query and grain when the caller has it already (a page that charts
    it), so it is not computed twice.
    """
    q = resolve(con, query)
    if series is None:
        series = engine.indicator_series(con, q, grain=grain)
    columns = ["period_from", "period_to", "duos_due_12m", "duos_followed_up_12m", "duos_in_job_12m",
               "followup_12m_coverage", "job_rate_12m"]
    buckets = _series_buckets(q, grain)
    if not buckets:
        return pd.DataFrame(columns=columns)
    _check_series(series, buckets)
    counts = run_model(con, "ins_followup_12m", q.as_of, buckets)
    frame = pd.concat([series[["period_from", "period_to"]].reset_index(drop=True),
                       counts.drop(columns="bucket_id").reset_index(drop=True),
                       series[["followup_12m_coverage", "job_rate_12m"]].reset_index(drop=True)], axis=1)
    return frame[columns]


def person_headline(con: duckdb.DuckDBPyConnection, query: Query) -> dict[str, object]:
    """The programme's headline per person (mentees, not duos).

    A mentee's last duo is, among its realized duos, the one with the latest
    ended_on (ties -> largest duo_id); a mentee with a realized duo still
    open on A has none yet. Population: mentees whose last duo ended in
    [F, T] and whose 12-month mark (last end + 365) is on or before A,
    filtered by the last duo's branch. Window: recorded_on in [last end,
    last end + 365], over every outcome row (any stage) of any of the
    mentee's duos.

    Keys: ``mentees``; ``mentees_with_outcome`` (an outcome row in the
    window); ``mentees_positive`` (such a row with status employed,
    self_employed, training or internship); ``person_positive_rate_12m`` =
    positive / mentees (no outcome counts as not positive);
    ``person_outcome_coverage_12m`` = with an outcome / mentees. Rates are
    None over no mentee; outcome figures are None when the outcomes table is
    absent.
    """
    q = resolve(con, query)
    frame = run_model(con, "ins_person_headline", q.as_of, one_bucket(q),
                 offsets=[{"stage": stage, "offset_days": days} for stage, days in FOLLOWUP_OFFSETS.items()])
    return _first_row(frame, ("mentees", "mentees_with_outcome", "mentees_positive",
                              "person_positive_rate_12m", "person_outcome_coverage_12m"))


def outcome_breakdown(con: duckdb.DuckDBPyConnection, query: Query, by: str = "gender") -> pd.DataFrame:
    """Exit outcomes of the realized duos ended in [F, T], by a mentee attribute.

    ``by``: ``gender``, ``education_level`` or ``region`` (country_of_origin
    through :data:`REGION_COUNTRIES`; EU-27 -> "EU"; anything else ->
    "Other"). An empty attribute is ``not_recorded``. Columns: ``group, duos,
    exit_outcomes, positive_exits, positive_exit_rate, jobs, job_exit_rate``
    — raw numerators and denominators, **not suppressed** (the suppression
    module applies the handbook's funder rules for display). Per group, the
    rates are the handbook's positive_exit_rate / job_exit_rate restricted to
    the group. Outcome columns are None when the outcomes table is absent.
    Groups in a fixed order (:data:`BREAKDOWN_ORDER`); only groups with duos.
    """
    if by not in BREAKDOWN_ORDER:
        raise ValueError(f"by must be one of {tuple(BREAKDOWN_ORDER)}, not {by!r}")
    q = resolve(con, query)
    regions = [{"country": code, "region": region} for code, region in _region_map().items()]
    frame = run_model(con, "ins_outcome_breakdown", q.as_of, one_bucket(q), q.outcome, by=by,
                 regions=regions)
    frame = _order(frame, "group", BREAKDOWN_ORDER[by])
    columns = ["group", "duos", "exit_outcomes", "positive_exits", "positive_exit_rate", "jobs",
               "job_exit_rate"]
    return frame[columns].astype({"duos": "int64"})


# ------------------------------------------------------------------- costs

def cost_series(con: duckdb.DuckDBPyConnection, query: Query, grain: str = "month",
                allocate_central: bool = False) -> pd.DataFrame:
    """Costs and cost ratios per calendar bucket and branch.

    One row per (bucket, branch the filter admits; ``central`` with an empty
    filter or one naming it). Columns: ``period_from, period_to, branch,
    direct_costs_eur`` (the branch's own cost rows), ``allocated_central_eur,
    total_costs_eur, duos_realized, beneficiaries_served, positive_exits,
    cost_per_beneficiary_eur, cost_per_duo_eur, cost_per_positive_exit_eur``
    (the handbook's definitions restricted to the branch, on total costs).

    With ``allocate_central`` (and a filter admitting ``central``), each
    bucket's central costs are shared among the branches in proportion to
    their duos realized in that bucket, counted over every branch (a branch's
    share does not depend on the filter); the ``central`` row then goes. When
    no duo at all was realized in the bucket, central stays unallocated as
    its own row. Without the option, ``allocated_central_eur`` is 0 and
    ``central`` is a row of its own. Cost columns are None when the costs
    table is absent; positive exits when the outcomes table is absent.
    """
    q = resolve(con, query)
    columns = ["period_from", "period_to", "branch", "direct_costs_eur", "allocated_central_eur",
               "total_costs_eur", "duos_realized", "beneficiaries_served", "positive_exits",
               "cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur"]
    buckets = _series_buckets(q, grain)
    if not buckets:
        return pd.DataFrame(columns=columns)
    frame = run_model(con, "ins_cost_series", q.as_of, buckets, q.outcome,
                 allocate_central=bool(allocate_central))
    return frame[columns]


def funding_mix(con: duckdb.DuckDBPyConnection, query: Query, grain: str = "year",
                series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Funding per calendar bucket and funder type, with the concentration.

    One row per (bucket, funder_type with funding received in it). Columns:
    ``period_from, period_to, funder_type, amount_eur, share`` (of the
    bucket's total), then the bucket's ``total_funding_eur, funding_hhi,
    largest_funder_share`` (the handbook's keys, from
    :func:`engine.indicator_series`; HHI and largest share are over funders,
    not types). Rows with no branch count as ``central`` in the filter.
    Empty when the funding table is absent. ``series``: as for
    :func:`followup_12m`.
    """
    q = resolve(con, query)
    columns = ["period_from", "period_to", "funder_type", "amount_eur", "share", "total_funding_eur",
               "funding_hhi", "largest_funder_share"]
    buckets = _series_buckets(q, grain)
    if not buckets or not _table_present(con, "funding"):
        return pd.DataFrame(columns=columns)
    if series is None:
        series = engine.indicator_series(con, q, grain=grain)
    _check_series(series, buckets)
    mix = run_model(con, "ins_funding_mix", q.as_of, buckets)
    series = series.reset_index(drop=True)
    series["bucket_id"] = range(len(series))
    frame = mix.merge(series[["bucket_id", "period_from", "period_to", "total_funding_eur", "funding_hhi",
                              "largest_funder_share"]], on="bucket_id", how="left")
    return frame.sort_values(["bucket_id", "funder_type"]).reset_index(drop=True)[columns]


# -------------------------------------------------------------- staff views

def followup_worklist(con: duckdb.DuckDBPyConnection, query: Query, horizon_days: int = 30,
                      max_overdue_days: int | None = None) -> pd.DataFrame:
    """The staff's follow-up tasks on the as-of date A (the period is not used).

    For the realized duos of the branch filter that have ended (on or before
    A): ``exit_outcome`` due on ended_on while the duo has no exit outcome;
    ``followup_3m``, ``followup_6m``, ``followup_12m`` due on ended_on + 91,
    + 182, + 365 days while no outcome row of that stage is recorded (on or
    before A). A task is listed when due on or before A + ``horizon_days``
    (overdue or due soon) and, if ``max_overdue_days`` is given, at most that
    many days overdue. Columns: ``duo_id, branch, coordinator_id, task,
    due_on, days_overdue`` (A - due_on; negative = due in that many days),
    ``ended_on``; by due date, duo_id, then task. Empty when the outcomes
    table is absent (a task that needs it does not fire, as for at-risk rules).
    """
    q = resolve(con, query)
    stage_offsets = [{"stage": stage, "offset_days": days, "task_order": i}
                     for i, (stage, days) in enumerate(FOLLOWUP_OFFSETS.items())]
    return run_model(con, "ins_followup_worklist", q.as_of, one_bucket(q), stage_offsets=stage_offsets,
                horizon_days=int(horizon_days),
                max_overdue_days=-1 if max_overdue_days is None else int(max_overdue_days))


def duo_timeline(con: duckdb.DuckDBPyConnection, duo_id: str, as_of: dt.date | None = None,
                 include_notes: bool = False) -> pd.DataFrame:
    """Everything that happened to one duo, as the data stood on ``as_of``.

    Staff only (ids; check-in notes only with ``include_notes=True``). Rows:
    ``matched``, ``first_meeting``, each ``meeting`` (hours, mode), each
    ``check_in`` (satisfaction, concern, staff_id, note), each ``outcome``
    (stage, status, contract), ``ended`` (end_reason). Columns: ``event_on,
    event, event_id, hours, mode, mentee_satisfaction, mentor_satisfaction,
    concern, staff_id, note, stage, status, contract, end_reason``; by date,
    then that event order, then id. Empty for a duo unknown on ``as_of``
    (default: the data set's default as-of date).
    """
    as_of = as_of or engine.default_as_of(con)
    return run_model(con, "ins_duo_timeline", as_of, None, duo_id=duo_id, include_notes=bool(include_notes))


# ------------------------------------------------------- the command line

def beyond_handbook(con: duckdb.DuckDBPyConnection, query: Query) -> dict[str, object]:
    """Every registry figure that is not a handbook key, for one query, keyed
    as the registry (what ``python -m analytics indicators`` prints after the
    handbook's keys, in the registry's order).

    Plain numbers where the figure is one number; otherwise:

    - ``change_vs_previous_period``: ``{handbook key: change}`` (as
      :func:`compare_with_previous`);
    - ``duo_survival``: ``{branch: [{week, at_risk, events, censored,
      survival}, ...]}``, the curves of :func:`survival_curves` by branch (duos
      realized in the period);
    - ``allocated_central_eur``: ``{branch: euros}``, the central costs of the
      period (taken as one bucket) shared among the branches; None when the
      filter does not admit ``central`` or the costs table is absent;
    - ``funding_share_by_type``: ``{funder type: share}`` of the funding
      received in the period; None when the funding table is absent.
    """
    from analytics.engine.registry import INDICATORS

    q = resolve(con, query)
    found: dict[str, object] = {}
    changes = compare_with_previous(con, q)
    found["change_vs_previous_period"] = {row["key"]: _none(row["change"])
                                          for row in changes.to_dict(orient="records")}
    growth = growth_extras(con, q)
    for key, value in growth.items():
        if key in INDICATORS and not INDICATORS[key].in_handbook:
            found[key] = value
    for row in growth["funnel"].to_dict(orient="records"):
        found[row["step"]] = _none(row["mentees"])
    curves: dict[str, list[dict[str, object]]] = {}
    for row in survival_curves(con, q, by="branch").to_dict(orient="records"):
        group = row.pop("group")
        curves.setdefault(str(group), []).append({k: _none(v) for k, v in row.items()})
    found["duo_survival"] = curves
    found.update({k: v for k, v in person_headline(con, q).items() if k in INDICATORS})
    admits_central = not q.branches or "central" in q.branches
    if admits_central and _table_present(con, "costs"):
        costs = run_model(con, "ins_cost_series", q.as_of, one_bucket(q), q.outcome, allocate_central=True)
        found["allocated_central_eur"] = {row["branch"]: _none(row["allocated_central_eur"])
                                          for row in costs.to_dict(orient="records")
                                          if row["branch"] != "central"}
    else:
        found["allocated_central_eur"] = None
    if _table_present(con, "funding"):
        mix = run_model(con, "ins_funding_mix", q.as_of, one_bucket(q)).sort_values("funder_type")
        found["funding_share_by_type"] = {row["funder_type"]: _none(row["share"])
                                          for row in mix.to_dict(orient="records")}
    else:
        found["funding_share_by_type"] = None
    return {entry.key: found[entry.key] for entry in INDICATORS.values() if not entry.in_handbook}
