"""Duo survival curves (insights.survival_curves) against lifelines.

lifelines' ``KaplanMeierFitter`` is an independent oracle (a test-only
dependency): fitted on each group's weeks (``floor(days / 7)``) and event
flags, its ``survival_function_`` at every time of its timeline (0 and each
week with an end or a censoring) must equal the SQL's ``survival`` to 1e-9,
and its ``event_table`` the SQL's ``at_risk``, ``events`` and ``censored``.
The durations and events fed to lifelines are computed here in Python from
the rows the test writes, not read back from the engine.
"""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from analytics.engine import insights
from analytics.engine.query import Query
from tests.analytics.engine.helpers import make_con

D = dt.date.fromisoformat
A = D("2026-06-30")
END_REASONS = ("completed", "job_found", "mentee_withdrew", "mentor_withdrew", "mismatch", "other")
EVENT_REASONS = {"mentee_withdrew", "mentor_withdrew", "mismatch", "other"}


def programme(duos: list[dict]) -> tuple[object, list[dict]]:
    """A data set with one mentee per duo and one mentor; returns (con, duos)."""
    mentees = ["mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker"]
    rows = ["duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason"]
    for i, duo in enumerate(duos):
        first = duo["first_meeting_on"]
        matched = duo.get("matched_on") or first or A
        mentees.append(f"M{i},{duo['branch']},{matched - dt.timedelta(days=10)},2000-01-01,SY,true")
        rows.append(",".join(str(v) if v is not None else "" for v in (
            f"D{i}", f"M{i}", "R1", duo["branch"], matched, first, duo.get("ended_on"), duo.get("end_reason"))))
    con = make_con(mentees="\n".join(mentees), mentors="mentor_id,branch,applied_on,birth_date\n"
                   "R1,N,2015-01-01,1960-01-01", duos="\n".join(rows))
    return con, duos


def expected_life(duos: list[dict], as_of: dt.date, by: str, period: tuple[dt.date, dt.date]):
    """Per group: (weeks, event flags), worked out in Python from the rows."""
    groups: dict[str, tuple[list[int], list[int]]] = {}
    for duo in duos:
        first = duo["first_meeting_on"]
        if first is None or first > as_of or (duo.get("matched_on") or first) > as_of:
            continue
        if by == "branch" and not period[0] <= first <= period[1]:
            continue
        if by == "cohort" and first > min(period[1], as_of):
            continue
        ended = duo.get("ended_on")
        ended = ended if ended is not None and ended <= as_of else None
        days = ((ended or as_of) - first).days
        event = int(ended is not None and duo["end_reason"] in EVENT_REASONS)
        key = duo["branch"] if by == "branch" else str(first.year)
        weeks, events = groups.setdefault(key, ([], []))
        weeks.append(days // 7)
        events.append(event)
    return groups


def assert_matches_lifelines(frame: pd.DataFrame, groups: dict) -> None:
    assert sorted(groups) == sorted(set(frame["group"]))
    for key, (weeks, events) in groups.items():
        fitted = KaplanMeierFitter().fit(weeks, events)
        ours = frame[frame["group"] == key].set_index("week")
        curve = fitted.survival_function_["KM_estimate"]
        assert [int(t) for t in curve.index] == ours.index.tolist(), key
        for t, value in curve.items():
            assert ours.loc[int(t), "survival"] == pytest.approx(value, abs=1e-9, rel=0), (key, t)
        # the 95 % band: lifelines' default (exponential Greenwood) confidence interval
        band = fitted.confidence_interval_survival_function_
        lower, upper = band.columns
        for t, row in band.iterrows():
            assert ours.loc[int(t), "survival_lower"] == pytest.approx(row[lower], abs=1e-9, rel=0), (key, t)
            assert ours.loc[int(t), "survival_upper"] == pytest.approx(row[upper], abs=1e-9, rel=0), (key, t)
        table = fitted.event_table
        for t, row in table.iterrows():
            assert ours.loc[int(t), "at_risk"] == row["at_risk"], (key, t)
            assert ours.loc[int(t), "events"] == row["observed"], (key, t)
            assert ours.loc[int(t), "censored"] == row["censored"], (key, t)


def duo(branch, first, days=None, reason=None, matched=None):
    first = D(first) if isinstance(first, str) else first
    ended = None if days is None else first + dt.timedelta(days=days)
    return {"branch": branch, "first_meeting_on": first, "ended_on": ended, "end_reason": reason,
            "matched_on": matched}


# ------------------------------------------------------------------ hand-made
HAND = [
    # branch N, first meetings in 2026 (A = 2026-06-30):
    duo("N", "2026-01-05", 0, "mismatch"),          # week 0, event
    duo("N", "2026-01-05", 6, "mentee_withdrew"),   # 6 days: week 0, event
    duo("N", "2026-01-05", 7, "completed"),         # 7 days: week 1, censored
    duo("N", "2026-01-05", 13, "other"),            # week 1, event (tied with the censoring)
    duo("N", "2026-01-05", 20, "job_found"),        # week 2, censored
    duo("N", "2026-05-31"),                         # open: 30 days to A -> week 4, censored
    duo("N", "2026-01-05", 35, "mentor_withdrew"),  # week 5, event
    duo("N", "2026-06-01", 40, "mismatch"),         # ends 07-11, after A: open -> 29 days, week 4
    # branch S: no duo at week 0, an event at week 3 and one at 10
    duo("S", "2026-02-01", 21, "mismatch"),         # week 3, event
    duo("S", "2026-02-01", 70, "other"),            # week 10, event
    duo("S", "2026-02-01", 71, "completed"),        # week 10, censored
    # never started (not realized) and started after A: not in any curve
    {"branch": "S", "first_meeting_on": None, "ended_on": D("2026-03-01"), "end_reason": "mentee_withdrew",
     "matched_on": D("2026-02-01")},
    duo("S", "2026-07-05", matched=D("2026-06-20")),
    # branch N, 2025: for the cohorts
    duo("N", "2025-03-01", 100, "mismatch"),        # week 14, event
    duo("N", "2025-12-31", 10, "completed"),        # week 1, censored
]


def test_hand_made_against_lifelines_and_by_hand():
    con, duos = programme(HAND)
    period = (D("2026-01-01"), D("2026-12-31"))
    q = Query(A, *period)
    frame = insights.survival_curves(con, q, by="branch")
    # by hand, N in 2026: weeks 0e 0e 1c 1e 2c 4c 4c 5e (8 duos)
    #   S(0) = 1 - 2/8 = 3/4; S(1) = 3/4 (1 - 1/6) = 5/8; S(2) = 5/8; S(4) = 5/8;
    #   S(5) = 5/8 (1 - 1/1) = 0
    n = frame[frame["group"] == "N"]
    assert n["week"].tolist() == [0, 1, 2, 4, 5]
    assert n["at_risk"].tolist() == [8, 6, 4, 3, 1]
    assert n["survival"].tolist() == pytest.approx([3 / 4, 5 / 8, 5 / 8, 5 / 8, 0])
    # S: 3e 10e 10c; a week-0 row with survival 1; S(3) = 2/3; S(10) = 2/3 (1 - 1/2) = 1/3
    s = frame[frame["group"] == "S"]
    assert s["week"].tolist() == [0, 3, 10]
    assert s["survival"].tolist() == pytest.approx([1, 2 / 3, 1 / 3])
    # its band by hand at week 3: g = 1 / (3 * 2) = 1/6, v = ln(2/3);
    # lower = exp(-exp(ln(-v) - 1.96 sqrt(g) / v)), upper with + ; at week 0 (S = 1) both are 1,
    # and N's week 5 (S = 0) both 0
    import math
    z, v, g = insights.SURVIVAL_Z, math.log(2 / 3), 1 / 6
    week3 = s[s["week"] == 3].iloc[0]
    assert week3["survival_lower"] == pytest.approx(math.exp(-math.exp(math.log(-v) - z * math.sqrt(g) / v)))
    assert week3["survival_upper"] == pytest.approx(math.exp(-math.exp(math.log(-v) + z * math.sqrt(g) / v)))
    assert week3["survival_lower"] < 2 / 3 < week3["survival_upper"]
    assert (s.iloc[0]["survival_lower"], s.iloc[0]["survival_upper"]) == (1, 1)
    assert (n.iloc[-1]["survival_lower"], n.iloc[-1]["survival_upper"]) == (0, 0)
    assert z == pytest.approx(1.959963984540054)

    # the counts under the chart, N (8 duos; weeks 0e 0e 1c 1e 2c 4c 4c 5e): at week 4, at risk
    # the 3 with week >= 4; before it 3 events (0, 0, 1) and 2 censored (1, 2)
    counts = insights.survival_risk_table(frame, weeks=(0, 4, 13))
    got = counts[counts["group"] == "N"][["week", "at_risk", "events", "censored"]].values.tolist()
    assert got == [[0, 8, 0, 0], [4, 3, 3, 2], [13, 0, 4, 4]]
    assert ((counts["at_risk"] + counts["events"] + counts["censored"]) ==
            counts["group"].map({"N": 8, "S": 3})).all()
    assert_matches_lifelines(frame, expected_life(duos, A, "branch", period))

    cohorts = insights.survival_curves(con, q, by="cohort")
    assert sorted(set(cohorts["group"])) == ["2025", "2026"]
    assert_matches_lifelines(cohorts, expected_life(duos, A, "cohort", period))


def test_as_of_reading_and_branch_filter():
    con, duos = programme(HAND)
    # As of 2026-01-10: only the 01-05 duos have started; the 6- and 7-day ends are known
    # (01-11 and 01-12 are not: open, 5 days -> week 0). 2025 cohort: 03-01 ended 06-09;
    # 12-31 ended 2026-01-10 = A: known.
    early = D("2026-01-10")
    q = Query(early, D("2025-01-01"), D("2026-01-10"))
    assert_matches_lifelines(insights.survival_curves(con, q, by="cohort"),
                             expected_life(duos, early, "cohort", (q.period_from, q.period_to)))
    # branch filter S: only S's curve
    q = Query(A, D("2026-01-01"), D("2026-12-31"), ("S",))
    frame = insights.survival_curves(con, q, by="branch")
    assert set(frame["group"]) == {"S"}


# ------------------------------------------------------------------ generated
duo_strategy = st.fixed_dictionaries({
    "branch": st.sampled_from(["N", "S", "W"]),
    "start": st.integers(min_value=0, max_value=900),     # days before A
    "days": st.integers(min_value=0, max_value=400),
    "reason": st.sampled_from((None,) + END_REASONS),       # None: still open
})


def _build(raw: list[dict]) -> list[dict]:
    duos = []
    for item in raw:
        first = A - dt.timedelta(days=item["start"])
        if item["reason"] is None:
            duos.append(duo(item["branch"], first))
        else:
            duos.append(duo(item["branch"], first, min(item["days"], item["start"]), item["reason"]))
    return duos


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(duo_strategy, min_size=1, max_size=60))
def test_generated_samples_agree_with_lifelines(raw):
    con, duos = programme(_build(raw))
    period = (A - dt.timedelta(days=600), A)
    for by in ("branch", "cohort"):
        frame = insights.survival_curves(con, Query(A, *period), by=by)
        assert_matches_lifelines(frame, expected_life(duos, A, by, period))


def test_a_larger_sample_agrees_with_lifelines():
    # 3,000 duos over three years: long products, many ties
    rng = random.Random(20260630)
    raw = [{"branch": rng.choice("NSW"), "start": rng.randint(0, 1100), "days": int(rng.expovariate(1 / 120)),
            "reason": rng.choice((None, None) + END_REASONS)} for _ in range(3000)]
    con, duos = programme(_build(raw))
    period = (A - dt.timedelta(days=1100), A)
    for by in ("branch", "cohort"):
        frame = insights.survival_curves(con, Query(A, *period), by=by)
        assert_matches_lifelines(frame, expected_life(duos, A, by, period))
