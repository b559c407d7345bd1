"""Supply and demand of mentors, and the waiting-list flow, on the as-of date.

- :func:`supply_demand`: per branch and sector, mentees waiting, free trained
  mentors, mentors in training and the gap (``ins_supply_demand.sql``);
- :func:`forecast_new_eligible`: new eligible mentees per month for the next
  six months, **seasonal naive** (a month is forecast as the same month a year
  before) from the monthly application history (``ins_monthly_eligible.sql``),
  with an 80 % interval from the method's own past errors, and that past error
  (the mean absolute error) to show beside it. With less than 13 complete
  months the forecast is the mean of the months so far, its errors those of
  that mean one month ahead;
- :func:`recruitment`: per branch, the mentors to recruit and train over the
  six months so that every mentee waiting now or forecast can be offered a
  mentor without waiting for one to be freed (keeping time-to-match within
  30 days): demand = waiting + forecast; supply = free + in training + the
  mentors of the open duos who come back (every open duo ends within the six
  months a duo lasts; the branch's return rate of mentors after a duo);
- :func:`waited_so_far`, :func:`time_to_match`, :func:`waiting_withdrawals`: time waited so far, a Kaplan–Meier view of time to
  match for the mentees who applied and became eligible (censored at the
  as-of date or at a withdrawal), and the withdrawals while waiting.

Only the standard library and pandas on the small frames the SQL returns (a
few hundred months, one row per mentee for the survival view): no loop over
pairs.
"""
from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd

from analytics.engine.models import compose_for
from analytics.engine.query import Query, base_params, default_as_of, run_sql

HORIZON_MONTHS = 6
INTERVAL = (0.1, 0.9)     # an 80 % interval from the past errors' quantiles
SEASON = 12


def _params(con: duckdb.DuckDBPyConnection, query: Query) -> tuple[dt.date, dict[str, object]]:
    as_of = query.as_of or default_as_of(con)
    return as_of, {**base_params(as_of), "branches": list(dict.fromkeys(query.branches))}


def supply_demand(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per (branch, sector): mentees_waiting, free_mentors,
    mentors_in_training, gap (waiting − free)."""
    _, params = _params(con, query)
    return run_sql(con, compose_for(con, "ins_supply_demand"), params)


def branch_pipeline(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per branch: waiting, free, in training, open and ended duos, the return rate."""
    _, params = _params(con, query)
    return run_sql(con, compose_for(con, "ins_branch_pipeline"), params)


def monthly_new_eligible(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """One row per (branch, month): new eligible mentees (applied that month)."""
    _, params = _params(con, query)
    return run_sql(con, compose_for(con, "ins_monthly_eligible"), params)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile (numpy's default), of a non-empty list."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def seasonal_naive(history: list[float], horizon: int = HORIZON_MONTHS) -> dict[str, object]:
    """Forecast the ``horizon`` months after ``history`` (complete months, oldest
    first): ``method``, ``forecast``, ``low``, ``high`` (lists), ``mae`` (the
    past mean absolute error, None without past errors), ``errors`` (how many).

    Seasonal naive (13 months or more): month t+h is month t+h−12; its past
    errors are y(t) − y(t−12). Fewer: the mean of the months so far, whose
    past errors are y(t) − mean(y(1..t−1)). The interval adds the errors'
    10 % and 90 % quantiles to the forecast, never below 0. Fewer than two
    months: no forecast (method ``none``)."""
    n = len(history)
    if n >= SEASON + 1:
        method = "seasonal_naive"
        forecast = [float(history[n - SEASON + (h % SEASON)]) for h in range(horizon)]
        errors = [history[t] - history[t - SEASON] for t in range(SEASON, n)]
    elif n >= 2:
        method = "mean"
        forecast = [sum(history) / n] * horizon
        errors = [history[t] - sum(history[:t]) / t for t in range(1, n)]
    else:
        return {"method": "none", "forecast": [], "low": [], "high": [], "mae": None, "errors": 0}
    low_q, high_q = _quantile(errors, INTERVAL[0]), _quantile(errors, INTERVAL[1])
    return {
        "method": method,
        "forecast": forecast,
        "low": [max(0.0, f + min(low_q, 0.0)) for f in forecast],
        "high": [max(0.0, f + max(high_q, 0.0)) for f in forecast],
        "mae": sum(abs(e) for e in errors) / len(errors),
        "errors": len(errors),
    }


def last_complete_month(as_of: dt.date) -> dt.date:
    """The first day of the last month that is complete on ``as_of``."""
    following = as_of + dt.timedelta(days=1)
    this_month = dt.date(as_of.year, as_of.month, 1)
    return this_month if following.month != as_of.month else _add_months(this_month, -1)


def forecast_new_eligible(con: duckdb.DuckDBPyConnection, query: Query,
                          horizon: int = HORIZON_MONTHS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(forecast, fit)``: the forecast one row per (branch, month) of the
    ``horizon`` months after the last complete month (``forecast``, ``low``,
    ``high``), branch ``None`` for all the filter's branches together; and per
    branch the method, its past mean absolute error and how many errors it
    rests on. The history is the complete months only."""
    as_of, _ = _params(con, query)
    last = last_complete_month(as_of)
    monthly = monthly_new_eligible(con, query)
    monthly = monthly[pd.to_datetime(monthly["month"]).dt.date <= last]
    series: dict[str | None, list[float]] = {}
    for branch, rows in monthly.groupby("branch", sort=True):
        series[branch] = [float(v) for v in rows.sort_values("month")["new_eligible"]]
    if series:
        total = monthly.groupby("month", sort=True)["new_eligible"].sum()
        series[None] = [float(v) for v in total]
    forecast_rows, fit_rows = [], []
    for branch, history in series.items():
        result = seasonal_naive(history, horizon)
        fit_rows.append({"branch": branch, "method": result["method"], "mae": result["mae"],
                         "errors": result["errors"], "months": len(history)})
        for h, (f, lo, hi) in enumerate(zip(result["forecast"], result["low"], result["high"]), start=1):
            forecast_rows.append({"branch": branch, "month": _add_months(last, h),
                                  "forecast": f, "low": lo, "high": hi})
    return (pd.DataFrame(forecast_rows, columns=["branch", "month", "forecast", "low", "high"]),
            pd.DataFrame(fit_rows, columns=["branch", "method", "mae", "errors", "months"]))


def recruitment(con: duckdb.DuckDBPyConnection, query: Query,
                horizon: int = HORIZON_MONTHS) -> pd.DataFrame:
    """Per branch: waiting, forecast new eligible over the horizon (and its
    80 % upper bound), free, in training, returning mentors (open duos × the
    return rate, rounded down), and ``to_recruit`` = max(0, ⌈demand −
    supply⌉), ``to_recruit_high`` with the upper bound."""
    pipeline = branch_pipeline(con, query)
    forecast, _ = forecast_new_eligible(con, query, horizon)
    rows = []
    for row in pipeline.to_dict(orient="records"):
        mine = forecast[forecast["branch"] == row["branch"]]
        expected, high = float(mine["forecast"].sum()), float(mine["high"].sum())
        rate = row["return_rate"]
        rate = 0.0 if rate is None or rate != rate else float(rate)
        returning = math.floor(row["open_duos"] * rate)
        supply = row["free_mentors"] + row["mentors_in_training"] + returning
        rows.append({
            "branch": row["branch"], "mentees_waiting": row["mentees_waiting"],
            "forecast_new_eligible": expected, "forecast_high": high,
            "free_mentors": row["free_mentors"], "mentors_in_training": row["mentors_in_training"],
            "returning_mentors": returning,
            "to_recruit": max(0, math.ceil(row["mentees_waiting"] + expected - supply - 1e-9)),
            "to_recruit_high": max(0, math.ceil(row["mentees_waiting"] + high - supply - 1e-9)),
        })
    return pd.DataFrame(rows, columns=["branch", "mentees_waiting", "forecast_new_eligible", "forecast_high",
                                       "free_mentors", "mentors_in_training", "returning_mentors",
                                       "to_recruit", "to_recruit_high"])


# -- the waiting-list flow -----------------------------------------------------


def time_to_match(con: duckdb.DuckDBPyConnection, query: Query, by_branch: bool = False) -> pd.DataFrame:
    """Kaplan–Meier life table of days from application to match for the
    eligible mentees (``ins_time_to_match.sql``): group_name, day, risk_set,
    matched, censored, still_waiting (the share not yet matched). Mentees
    still waiting are censored at the as-of date, withdrawn ones at their
    withdrawal."""
    _, params = _params(con, query)
    return run_sql(con, compose_for(con, "ins_time_to_match"), {**params, "by_branch": bool(by_branch)})


def share_matched_within(curve: pd.DataFrame, days: int) -> float | None:
    """1 − still_waiting at ``days`` (the last step on or before it) of one group's curve."""
    steps = curve[curve["day"] <= days]
    return None if steps.empty else float(1 - steps.sort_values("day")["still_waiting"].iloc[-1])


def waiting_withdrawals(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The mentees who withdrew while waiting (``ins_waiting_withdrawals.sql``)."""
    _, params = _params(con, query)
    return run_sql(con, compose_for(con, "ins_waiting_withdrawals"), params)


def waited_so_far(waiting: pd.DataFrame) -> pd.DataFrame:
    """Per branch of the waiting mentees (``matching.waiting_mentees``): how
    many wait, the median and longest wait in days, how many over 30 days."""
    columns = ["branch", "waiting", "median_days", "longest_days", "over_30_days"]
    if waiting.empty:
        return pd.DataFrame(columns=columns)
    grouped = waiting.groupby("branch", sort=True)["waiting_days"]
    return pd.DataFrame({
        "branch": list(grouped.groups),
        "waiting": grouped.size().astype(int).tolist(),
        "median_days": grouped.median().astype(float).tolist(),
        "longest_days": grouped.max().astype(int).tolist(),
        "over_30_days": grouped.apply(lambda d: int((d > 30).sum())).tolist(),
    }, columns=columns)
