"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: growth (waiting list, free mentors, re-engagement, the funnel), days to
match and survival.

Every expected value below is worked out by hand from the rows written next
to it (the working is in the comments); the worked example
tests/fixtures/tiny (working in its README) serves where its edges help.
Where a figure is a handbook key, the test also checks it agrees with the
engine. Data sets are built with ``helpers.make_con`` (the data contract).
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import insights
from analytics.engine.query import Query
from analytics.engine.registry import INDICATORS
from tests.analytics.engine.helpers import D, H1, approx_rows, make_con, records


# ------------------------------------------------------------------ growth: a programme worked by hand
# Branches N and S. Mentors (trained / left):
#   R1 N trained 01-10 | R2 N trained 02-01 | R3 S trained, left 2024-06-01 | R4 S untrained
#   R5 S trained 2024-07-02 | R6 S trained | R7 N trained | R8 S trained 03-01, no duo
#   R9 S trained | R10 N trained | R11, R12 N untrained | R13 S untrained
GROWTH = dict(
    mentees="""
        mentee_id,branch,applied_on,interviewed_on,decision,withdrawn_on,birth_date,country_of_origin,registered_jobseeker
        E1,N,2024-05-01,2024-05-03,eligible,,2000-01-01,SY,true
        E2,N,2024-06-10,2024-06-12,eligible,,2000-01-01,SY,true
        E3,S,2024-04-01,2024-04-02,eligible,2024-06-01,2000-01-01,SY,true
        E4,N,2024-03-01,2024-03-05,eligible,,2000-01-01,SY,true
        E5,S,2024-02-01,2024-02-03,ineligible,,2000-01-01,SY,true
        E6,S,2024-06-20,,,,2000-01-01,SY,true
        E7,S,2024-01-10,2024-01-12,eligible,2024-07-05,2000-01-01,SY,true
        E8,N,2024-02-10,2024-02-12,eligible,,2000-01-01,SY,true
        E9,S,2024-01-20,2024-01-22,eligible,,2000-01-01,SY,true
        MX1,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX2,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX3,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX4,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX5,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX6,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX7,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MY9,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MY10,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX10,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX11,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
    """,
    mentors="""
        mentor_id,branch,applied_on,birth_date,training_completed_on,left_on
        R1,N,2023-01-01,1960-01-01,2024-01-10,
        R2,N,2023-01-01,1960-01-01,2024-02-01,
        R3,S,2023-01-01,1960-01-01,2024-01-01,2024-06-01
        R4,S,2023-01-01,1960-01-01,,
        R5,S,2023-01-01,1960-01-01,2024-07-02,
        R6,S,2023-01-01,1960-01-01,2023-12-01,
        R7,N,2023-01-01,1960-01-01,2024-01-01,
        R8,S,2023-01-01,1960-01-01,2024-03-01,
        R9,S,2023-01-01,1960-01-01,2023-11-01,
        R10,N,2023-01-01,1960-01-01,2023-12-01,
        R11,N,2023-01-01,1960-01-01,,
        R12,N,2023-01-01,1960-01-01,,
        R13,S,2023-01-01,1960-01-01,,
    """,
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        X1,MX1,R1,N,2023-12-05,2023-12-10,2024-03-01,completed
        X2,MX2,R1,N,2024-04-01,2024-04-05,,
        X3,MX3,R2,N,2023-12-05,2023-12-12,2024-05-01,mismatch
        X4,MX4,R3,S,2023-12-10,2023-12-15,2024-02-01,mentee_withdrew
        X5,MX5,R6,S,2024-01-05,,2024-01-20,mentee_withdrew
        X6,MX6,R6,S,2024-02-01,2024-02-05,,
        X7,MX7,R7,N,2024-06-25,,,
        Y10,MY10,R9,S,2024-01-15,2024-01-20,2024-04-01,completed
        Y9,MY9,R9,S,2024-01-15,2024-01-22,,
        X10,MX10,R10,N,2023-12-20,2024-01-10,2024-02-15,completed
        X11,MX11,R10,N,2024-07-01,2024-07-03,,
        X12,E4,R11,N,2024-03-20,2024-03-25,2024-05-30,job_found
        X13,E8,R12,N,2024-03-01,,,
        X14,E9,R13,S,2024-02-01,2024-02-05,2024-04-10,mismatch
    """,
    outcomes="""
        outcome_id,duo_id,stage,recorded_on,status
        O1,X12,exit,2024-06-01,employed
        O2,X14,exit,2024-04-12,searching
    """,
)


@pytest.fixture(scope="module")
def growth():
    return make_con(**GROWTH)


GROWTH_H1 = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))


@pytest.mark.parametrize("branches, expected", [
    # Waiting on d = 06-30 (eligible, applied <= d, no duo matched <= d, not withdrawn on d):
    #   E1 N 05-01 -> 60; E2 N 06-10 -> 20; E7 S 01-10 (withdrawal 07-05 after A: read empty)
    #   -> 21+29+31+30+31+30 = 172; MX11 N 2023-12-01 (its duo X11 is matched 07-01, after A:
    #   ignored) -> 30+182 = 212. Not: E3 (withdrew 06-01), E4/E8/E9 (duos), E5 (ineligible),
    #   E6 (no decision), the other duo mentees (X5 never started but was matched: not waiting).
    #   All: 4, over 30: E1, E7, MX11 = 3, median (60+172)/2 = 116.
    # Free on d: R2 (X3 ended 05-01), R8 (no duo), R10 (X11 after A) = 3 (N: R2, R10; S: R8).
    #   Not: R1 (X2 open), R3 (left 06-01), R4/R11/R12/R13 (untrained), R5 (trained after A),
    #   R6 (X6 open), R7 (X7 matched 06-25, not started: open), R9 (Y9 open).
    # Re-engagement: first realized duo (earliest match, ties to the smaller id as text) ended <= d:
    #   R1 X1 (N) -> later X2 matched 04-01: yes; R2 X3 (N) no; R3 X4 (S) no; R9: Y10 and Y9 both
    #   matched 01-15, "Y10" < "Y9" -> first Y10 (S, ended 04-01), Y9 is later: yes; R10 X10 (N):
    #   X11 after A -> no; R11 X12 (N) no; R13 X14 (S) no. R6's only realized duo X6 is open; R7
    #   and R12 have none. -> 2/7; N: R1 of R1, R2, R10, R11 = 1/4; S: R9 of R3, R9, R13 = 1/3.
    ((), dict(mentees_waiting=4, mentees_waiting_over_30d=3, median_days_waiting=116,
              free_trained_mentors=3, mentors_first_duo_ended=7, mentors_reengaged=2)),
    (("N",), dict(mentees_waiting=3, mentees_waiting_over_30d=2, median_days_waiting=60,
                  free_trained_mentors=2, mentors_first_duo_ended=4, mentors_reengaged=1)),
    (("S",), dict(mentees_waiting=1, mentees_waiting_over_30d=1, median_days_waiting=172,
                  free_trained_mentors=1, mentors_first_duo_ended=3, mentors_reengaged=1)),
    # nothing is in `central` but costs and funding: empty denominators -> None
    (("central",), dict(mentees_waiting=0, mentees_waiting_over_30d=0, median_days_waiting=None,
                        free_trained_mentors=0, mentors_first_duo_ended=0, mentors_reengaged=0)),
])
def test_growth_extras(growth, branches, expected):
    q = Query(GROWTH_H1.as_of, GROWTH_H1.period_from, GROWTH_H1.period_to, branches)
    got = insights.growth_extras(growth, q)
    for key, value in expected.items():
        assert got[key] == value, key
    # the former share of them is now the handbook's mentor_return_rate_12m (an alias)
    assert "mentor_reengagement_rate" not in got
    # the waiting counts and the free mentors are the handbook's (v2 keys)
    handbook = engine.indicators(growth, q)
    for key in ("mentees_waiting", "mentees_waiting_over_30d", "free_trained_mentors"):
        assert got[key] == handbook[key], key
    assert isinstance(got["funnel"], pd.DataFrame)


def test_growth_extras_point_in_time(growth):
    # A = 2024-07-10, period to 07-31 -> d = 07-10: X11 (matched 07-01) now counts, so R10
    # re-engaged -> 3/7; R10 is busy with it and R5 (trained 07-02) is free -> R2, R5, R8 = 3.
    q = Query(D("2024-07-10"), D("2024-01-01"), D("2024-07-31"))
    got = insights.growth_extras(growth, q)
    assert (got["mentors_reengaged"], got["mentors_first_duo_ended"]) == (3, 7)
    assert got["free_trained_mentors"] == 3 == engine.indicators(growth, q)["free_trained_mentors"]
    # Same A, period H1 -> d = 06-30: X11 is known but matched after d -> R10 not re-engaged.
    q = Query(D("2024-07-10"), D("2024-01-01"), D("2024-06-30"))
    assert insights.growth_extras(growth, q)["mentors_reengaged"] == 2


@pytest.mark.parametrize("branches, counts", [
    # cohort: applied in H1 2024 = E1..E9 (the duo mentees applied 2023-12-01)
    # interviewed: all but E6 -> 8; eligible: not E5 -> 7; matched: E4 (X12), E8 (X13), E9 (X14)
    # realized: E4, E9; ended: E4 (05-30), E9 (04-10); positive exit: E4 (O1 employed; E9 searching)
    ((), [9, 8, 7, 3, 2, 2, 1]),
    (("N",), [4, 4, 4, 2, 1, 1, 1]),   # E1, E2, E4, E8
    (("S",), [5, 4, 3, 1, 1, 1, 0]),   # E3, E5, E6, E7, E9
    (("central",), [0, 0, 0, 0, 0, 0, 0]),
])
def test_funnel(growth, branches, counts):
    q = Query(GROWTH_H1.as_of, GROWTH_H1.period_from, GROWTH_H1.period_to, branches)
    frame = insights.funnel(growth, q)
    assert frame["step"].tolist() == list(insights.FUNNEL_STEPS)
    assert frame["mentees"].tolist() == counts
    for step in insights.FUNNEL_STEPS:
        assert not INDICATORS[step].in_handbook
    if counts[0]:
        assert frame["share_of_applied"].tolist() == pytest.approx([c / counts[0] for c in counts])
        previous = [None] + [counts[i] / counts[i - 1] if counts[i - 1] else None for i in range(1, 7)]
        got = [None if pd.isna(v) else v for v in frame["share_of_previous"]]
        assert got[0] is None and got[1:] == pytest.approx(previous[1:])
    else:
        assert frame["share_of_applied"].isna().all() and frame["share_of_previous"].isna().all()
    if branches == ():
        # matched, as a share of the eligible: 3/7
        assert frame.loc[3, "share_of_previous"] == pytest.approx(3 / 7)


def test_funnel_without_outcomes():
    tables = {k: v for k, v in GROWTH.items() if k != "outcomes"}
    frame = insights.funnel(make_con(**tables), GROWTH_H1)
    assert frame["mentees"].tolist()[:6] == [9, 8, 7, 3, 2, 2]
    assert frame["mentees"].tolist()[6] is None or pd.isna(frame["mentees"].tolist()[6])


@pytest.mark.parametrize("query, expected", [
    # d = 06-30: longest wait first
    (GROWTH_H1, [("MX11", "N", 212, True), ("E7", "S", 172, True), ("E1", "N", 60, True),
                 ("E2", "N", 20, False)]),
    # period to 05-31, A 06-30 -> d = 05-31: E3 withdrew 06-01 > d: waiting, 04-01 -> 60;
    # E1 05-01 -> exactly 30: not over 30; E7 21+29+31+30+31 = 142; MX11 30+152 = 182; MX7's
    # duo X7 is matched 06-25, after d: MX7 waits too, 182 (ties by id as text: "MX11" < "MX7");
    # E2 applied after d.
    (Query(D("2024-06-30"), D("2024-01-01"), D("2024-05-31")),
     [("MX11", "N", 182, True), ("MX7", "N", 182, True), ("E7", "S", 142, True), ("E3", "S", 60, True),
      ("E1", "N", 30, False)]),
    (Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"), ("S",)), [("E7", "S", 172, True)]),
])
def test_waiting_list(growth, query, expected):
    frame = insights.waiting_list(growth, query)
    assert list(frame.columns) == ["mentee_id", "branch", "applied_on", "interviewed_on", "days_waiting",
                                   "is_over_30_days"]
    assert records(frame, ["mentee_id", "branch", "days_waiting", "is_over_30_days"]) == expected
    assert len(frame) == engine.indicators(growth, query)["mentees_waiting"]
    # the extras summarise the same list
    extras = insights.growth_extras(growth, query)
    assert extras["mentees_waiting_over_30d"] == sum(e[3] for e in expected)
    assert extras["median_days_waiting"] == pytest.approx(frame["days_waiting"].median())


# ------------------------------------------------------------------ days to match
@pytest.mark.parametrize("branches, expected", [
    # tiny README, h1_mid_year: first duos matched in H1: D1 26, D2 30, D7 54, D11 123 (East),
    # D3 31, D6 30, D8 121 (West); D11 is ME15's first duo (a West mentee, East duo: East)
    ((), [("East", 26), ("East", 30), ("East", 54), ("East", 123), ("West", 30), ("West", 31),
          ("West", 121)]),
    (("West",), [("West", 30), ("West", 31), ("West", 121)]),
    (("central",), []),
])
def test_days_to_match_distribution(tiny, branches, expected):
    q = Query(H1.as_of, H1.period_from, H1.period_to, branches)
    frame = insights.days_to_match_distribution(tiny, q)
    assert records(frame, ["branch", "days_to_match"]) == expected
    assert frame["is_within_30d"].tolist() == [days <= 30 for _, days in expected]
    median = engine.indicators(tiny, q)["median_days_to_match"]
    assert (median is None and frame.empty) or frame["days_to_match"].median() == median


# ------------------------------------------------------------------ survival (hand check; lifelines in test_survival.py)
def test_survival_curves_tiny(tiny):
    # by branch, h1_mid_year (realized in H1; open duos censored at A = 06-30):
    #   East: D7 06-28..A 2 d -> week 0, c | D11 02-10..04-10 60 d -> 8, completed: c |
    #         D1 02-12..05-20 98 d -> 14, c | D2 03-10..A 112 d -> 16, c  -> survival 1 throughout
    #   West: D8 05-30..A 31 d -> 4, c | D3 04-05..06-10 66 d -> 9, mismatch: event -> 1 - 1/1 = 0
    frame = insights.survival_curves(tiny, H1, by="branch")
    base = ["group", "week", "at_risk", "events", "censored", "survival"]
    assert list(frame.columns) == [*base, "survival_lower", "survival_upper"]
    # the band (Greenwood; against lifelines in test_survival.py): 1 where survival is 1, 0 where 0
    assert records(frame, ["survival_lower", "survival_upper"]) == [(1.0, 1.0)] * 6 + [(0.0, 0.0)]
    approx_rows(records(frame, base), [
        ("East", 0, 4, 0, 1, 1.0), ("East", 8, 3, 0, 1, 1.0), ("East", 14, 2, 0, 1, 1.0),
        ("East", 16, 1, 0, 1, 1.0),
        ("West", 0, 2, 0, 0, 1.0), ("West", 4, 2, 0, 1, 1.0), ("West", 9, 1, 1, 0, 0.0),
    ])
    # by cohort: every duo realized by d, by year of the first meeting.
    #   2023: D10 06-30..07-05 5 d -> week 0 event (mismatch); D9 06-15..06-25 10 d -> 1 event;
    #         D5 2023-12-20..A 11+182 = 193 d -> 27 censored
    #         S(0) = 1 - 1/3 = 2/3; S(1) = 2/3 * (1 - 1/2) = 1/3; S(27) = 1/3
    #   2024: D7 0 c, D8 4 c, D11 8 c, D3 9 event (at risk 3: D3, D1, D2) -> 2/3, D1 14 c, D2 16 c
    frame = insights.survival_curves(tiny, H1, by="cohort")
    approx_rows(records(frame, base), [
        ("2023", 0, 3, 1, 0, 2 / 3), ("2023", 1, 2, 1, 0, 1 / 3), ("2023", 27, 1, 0, 1, 1 / 3),
        ("2024", 0, 6, 0, 1, 1.0), ("2024", 4, 5, 0, 1, 1.0), ("2024", 8, 4, 0, 1, 1.0),
        ("2024", 9, 3, 1, 0, 2 / 3), ("2024", 14, 2, 0, 1, 2 / 3), ("2024", 16, 1, 0, 1, 2 / 3),
    ])
    # East only, by cohort: 2023 D10 (East) only -> event at week 0 -> 0; 2024 as East above
    frame = insights.survival_curves(tiny, Query(H1.as_of, H1.period_from, H1.period_to, ("East",)), "cohort")
    assert records(frame, ["group", "week", "survival"])[0] == ("2023", 0, 0.0)
    assert insights.survival_curves(tiny, Query(H1.as_of, H1.period_from, H1.period_to, ("central",))).empty
    with pytest.raises(ValueError):
        insights.survival_curves(tiny, H1, by="gender")
