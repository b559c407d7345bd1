"""What the report reads: counts from the engine and its insights, the
funding rows of the period, the data set's coverage, and the calendar
buckets of the trend charts.

Raw numbers only: every value read here goes through suppression
(:mod:`analytics.report.model`) before the report shows it. The counts are
checked against the engine's rates (they must give them back), so the report
fails closed rather than print two different figures for one thing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace as dc_replace

import pandas as pd

from analytics.disclosure import suppression
from analytics.disclosure.suppression import Cell
from analytics.engine import query as engine
from analytics.report.common import ReportError

# The trend charts show this many years before the period, for context. None:
# the report sets each figure beside the same days one year earlier instead,
# and earlier bars beside that figure would give its hidden cells back by
# difference (the previous window minus the bars it is made of).
CONTEXT_YEARS = 0


# The column of the outcome breakdown that counts a positive exit: it follows
# the query's outcome definition (handbook v2, ``--outcome``; under stable_job
# with each exit's contract, ``ins_duo_outcomes``), as the headline does.
POSITIVE_COLUMN = "positive_exits"


def positive_column(q: engine.Query) -> str:
    """The outcome breakdown's column of positive exits under the query's outcome definition."""
    if q.outcome not in engine.OUTCOME_DEFINITIONS:
        raise ReportError(f"the report takes the outcome definitions {', '.join(engine.OUTCOME_DEFINITIONS)}, "
                          f"not {q.outcome!r}")
    return POSITIVE_COLUMN


# where bucket_figures leaves each bucket's ended duos (ended, positive, job),
# counted for every bucket in one statement, for ended_counts to read
ENDED_KEY = "_ended_counts"


def ended_counts(con, q: engine.Query, figures: dict) -> dict[str, float | None]:
    """The duos that ended in the period, split three ways (None: unknown);
    positive exits under the query's outcome definition. ``figures`` of a
    bucket from :func:`bucket_figures` carry the counts already."""
    from analytics.engine import insights

    column = positive_column(q)
    if ENDED_KEY in figures:
        ended, positive, job = figures[ENDED_KEY]
    else:
        frame = insights.outcome_breakdown(con, q, "gender")
        ended = int(frame["duos"].sum()) if len(frame) else 0
        if len(frame) and frame[column].isna().any():
            positive = job = None
        else:
            positive = int(frame[column].sum()) if len(frame) else 0
            job = int(frame["jobs"].sum()) if len(frame) else 0
    rate = figures.get("completion_rate")
    completed = None if ended == 0 or rate is None else int(round(rate * ended))
    if completed is None and ended == 0:
        completed = 0
    _consistent(figures.get("positive_exit_rate"), positive, ended, "positive_exit_rate")
    _consistent(figures.get("job_exit_rate"), job, ended, "job_exit_rate")
    return {
        "ended": ended,
        "positive": positive, "not_positive": None if positive is None else ended - positive,
        "job": job, "not_job": None if job is None else ended - job,
        "completed": completed, "not_completed": None if completed is None else ended - completed,
    }


def _consistent(rate, numerator, denominator, key) -> None:
    """The insights counts must give the engine's rate back (fail closed)."""
    if rate is None or numerator is None or not denominator:
        return
    if abs(numerator / denominator - rate) > 1e-9:
        raise ReportError(f"internal inconsistency for {key}: {numerator}/{denominator} != {rate}")


def followup_counts(con, q: engine.Query, figures: dict) -> dict[str, float | None]:
    """Duos due their 12-month follow-up in the period, followed up, in a job."""
    from analytics.engine import insights

    whole_months = q.period_from.day == 1 and (q.period_to + dt.timedelta(days=1)).day == 1
    if whole_months:  # the months of the period add up to it
        frame = insights.followup_12m(con, q, grain="month")
    else:  # calendar months would overshoot the period: the period as one bucket
        frame = insights.run_model(con, "ins_followup_12m", q.as_of, insights.one_bucket(q))
    due = int(frame["duos_due_12m"].sum()) if len(frame) else 0
    if len(frame) and frame["duos_followed_up_12m"].isna().any():
        followed = job = None
    else:
        followed = int(frame["duos_followed_up_12m"].sum()) if len(frame) else 0
        job = int(frame["duos_in_job_12m"].sum()) if len(frame) else 0
    _consistent(figures.get("followup_12m_coverage"), followed, due, "followup_12m_coverage")
    _consistent(figures.get("job_rate_12m"), job, followed, "job_rate_12m")
    return {"due": due, "followed": followed, "not_followed": None if followed is None else due - followed,
            "job12": job, "not_job12": None if job is None or followed is None else followed - job}


def exit_outcome_coverage(con, q: engine.Query, ended: dict, t: int) -> Cell:
    """The share of the duos that ended whose exit outcome is recorded (suppressed)."""
    from analytics.engine import insights

    frame = insights.outcome_breakdown(con, q, "gender")
    if not len(frame) or frame["exit_outcomes"].isna().any():
        return Cell(None)
    return suppression.rate(int(frame["exit_outcomes"].sum()), ended["ended"], t)


def funding_rows(con, q: engine.Query) -> pd.DataFrame:
    """Funding received in the period, by the handbook's rules (received by A,
    branch filter with `central` for rows without a branch)."""
    present = con.execute("select coalesce(bool_or(is_present), false) from dataset_tables "
                          "where table_name = 'funding'").fetchone()[0]
    if not present:
        return pd.DataFrame(columns=["funder", "funder_type", "amount_eur"])
    return con.execute(
        """
        select funder, funder_type, sum(amount_eur) as amount_eur
        from funding
        where received_on between $f and $t and received_on <= $a
          and (len($b) = 0 or list_contains($b, coalesce(branch, 'central')))
        group by funder, funder_type
        order by funder, funder_type
        """, {"f": q.period_from, "t": q.period_to, "a": q.as_of, "b": list(q.branches)}).df()


def funding_received(con, q: engine.Query, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Funding received from ``start`` to ``end`` (and by the as-of date), per
    day received, funder and type, with the branch filter of the handbook (for
    the trend's buckets and the money rule: who gave in each bucket)."""
    present = con.execute("select coalesce(bool_or(is_present), false) from dataset_tables "
                          "where table_name = 'funding'").fetchone()[0]
    if not present:
        return pd.DataFrame(columns=["received_on", "funder", "funder_type", "amount_eur"])
    frame = con.execute(
        """
        select received_on, funder, funder_type, sum(amount_eur) as amount_eur
        from funding
        where received_on between $f and $t and received_on <= $a
          and (len($b) = 0 or list_contains($b, coalesce(branch, 'central')))
        group by received_on, funder, funder_type
        order by received_on, funder, funder_type
        """, {"f": start, "t": end, "a": q.as_of, "b": list(q.branches)}).df()
    frame["received_on"] = [pd.Timestamp(d).date() for d in frame["received_on"]]
    frame["amount_eur"] = frame["amount_eur"].astype(float)
    return frame


def table_coverage(con) -> dict[str, tuple[bool, int]]:
    """Per table of the data set: (provided, rows loaded)."""
    try:
        rows = con.execute("select table_name, is_present, rows_loaded from dataset_tables").fetchall()
    except Exception:  # pragma: no cover - every loaded data set has it
        return {}
    return {name: (bool(present), int(loaded or 0)) for name, present, loaded in rows}


def buckets(q: engine.Query) -> tuple[str, list[tuple[dt.date, dt.date, bool]]]:
    """Calendar buckets for the trend charts: (start, end, in the period).

    The period's buckets (cut to it, starting on or before A), preceded, when
    the period starts on a bucket boundary, by the buckets of the
    :data:`CONTEXT_YEARS` years before it (for context; they are not part of
    the period's totals).
    """
    months = (q.period_to.year - q.period_from.year) * 12 + q.period_to.month - q.period_from.month + 1
    grain = "month" if months <= 4 else ("quarter" if months <= 36 else "year")
    out = []
    aligned = engine.bucket_bounds(q.period_from, q.period_from, grain)[0][0] == q.period_from
    if aligned and CONTEXT_YEARS:
        start = q.period_from.replace(year=q.period_from.year - CONTEXT_YEARS)
        out += [(f, t, False) for f, t in engine.bucket_bounds(start, q.period_from - dt.timedelta(days=1), grain)]
    for f, t in engine.bucket_bounds(q.period_from, q.period_to, grain):
        f, t = max(f, q.period_from), min(t, q.period_to)
        if f <= q.as_of:
            out.append((f, t, True))
    return grain, out


def _ended_by_bucket(con, q, bounds) -> dict[tuple[dt.date, dt.date], tuple]:
    """(ended, positive, job) per bucket, in one statement (``ins_ended_counts``,
    the counts :func:`ended_counts` sums from the breakdown): a bucket without
    an ended duo is (0, 0, 0); positive and job are None without outcomes."""
    from analytics.engine import insights

    buckets = [{"bucket_id": i, "period_from": f, "period_to": t, "branches": list(q.branches)}
               for i, (f, t, _inside) in enumerate(bounds)]
    rows = {int(r["bucket_id"]): r for r in
            insights.run_model(con, "ins_ended_counts", q.as_of, buckets, q.outcome).to_dict(orient="records")}
    out = {}
    for i, (f, t, _inside) in enumerate(bounds):
        row = rows.get(i)
        if row is None:
            out[(f, t)] = (0, 0, 0)
        elif pd.isna(row["positive_exits"]):
            out[(f, t)] = (int(row["duos"]), None, None)
        else:
            out[(f, t)] = (int(row["duos"]), int(row["positive_exits"]), int(row["jobs"]))
    return out


def bucket_figures(con, q, bounds, grain) -> dict[tuple[dt.date, dt.date], dict]:
    """The handbook's figures per bucket: one engine series when the buckets
    are the calendar buckets the engine makes, else one query per bucket;
    each with its ended duos' counts (:data:`ENDED_KEY`, one statement)."""
    figures = _bucket_indicators(con, q, bounds, grain)
    for bucket, counts in _ended_by_bucket(con, q, bounds).items():
        figures[bucket] = {**figures[bucket], ENDED_KEY: counts}
    return figures


def _bucket_indicators(con, q, bounds, grain) -> dict[tuple[dt.date, dt.date], dict]:
    start, end = bounds[0][0], bounds[-1][1]
    calendar = [(f, t) for f, t in engine.bucket_bounds(start, end, grain) if f <= q.as_of]
    if calendar == [(f, t) for f, t, _inside in bounds]:
        series = engine.indicator_series(con, dc_replace(q, period_from=start, period_to=end), grain=grain)
        out = {}
        for row in series.to_dict(orient="records"):
            key = (pd.Timestamp(row["period_from"]).date(), pd.Timestamp(row["period_to"]).date())
            out[key] = {k: engine.clean_value(v) for k, v in row.items()}
        if set(out) == set(calendar):
            return out
    return {(f, t): engine.indicators(con, dc_replace(q, period_from=f, period_to=t)) for f, t, _inside in bounds}
