"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: exit outcomes, the 12-month follow-up, the headline per person and the
breakdowns by group and region.

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
from tests.analytics.engine.helpers import D, H1, TINY, TINY_DEFAULT, approx_rows, load_folder, make_con, records


# ------------------------------------------------------------------ exit outcomes
def test_exit_outcomes(tiny):
    # h1_mid_year: realized duos ended in H1: D1 (O1 employed, fixed_term), D3 (O2/O3 same
    # day -> largest id O3 searching, no contract), D11 (O6 internship, no contract)
    frame = insights.exit_outcomes(tiny, H1)
    assert list(frame.columns) == ["exit_status", "contract", "is_positive", "is_job", "duos", "share"]
    approx_rows(records(frame, list(frame.columns)), [
        ("employed", "fixed_term", True, True, 1, 1 / 3),
        ("internship", "not_recorded", True, False, 1, 1 / 3),
        ("searching", "not_recorded", False, False, 1, 1 / 3),
    ])
    # default (A 07-10, 2024): + D7 (ended 07-08, job_found) without an exit outcome
    frame = insights.exit_outcomes(tiny, TINY_DEFAULT)
    assert records(frame, ["exit_status", "contract", "duos"])[-1] == ("no_exit_outcome", "not_recorded", 1)
    assert frame["share"].sum() == pytest.approx(1)
    # the positive share is the handbook's positive_exit_rate (2/4)
    assert frame.loc[frame["is_positive"], "share"].sum() == pytest.approx(
        engine.indicators(tiny, TINY_DEFAULT)["positive_exit_rate"])
    # West: D3 only
    west = Query(H1.as_of, H1.period_from, H1.period_to, ("West",))
    assert records(insights.exit_outcomes(tiny, west), ["exit_status", "duos", "share"]) == [("searching", 1, 1.0)]


def test_exit_outcomes_without_outcomes_table():
    con = load_folder(TINY, without=("outcomes",))
    assert insights.exit_outcomes(con, H1).empty


# ------------------------------------------------------------------ 12-month follow-up
def test_followup_12m(tiny):
    # default (A = 2024-07-10, 2024 by quarter; Q4 starts after A: left out).
    # marks: D9 ended 2023-06-25 -> 2024-06-24 (Q2), D10 2023-07-05 -> 2024-07-04 (Q3, <= A)
    #   Q1: none due -> rates None; Q2: D9, followed up (O4/O5 same day -> O5 employed): 1, 1, 1
    #   Q3: D10, no follow-up: 1, 0, 0 -> coverage 0, job rate None (no follow-up)
    frame = insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter")
    assert list(frame.columns) == ["period_from", "period_to", "duos_due_12m", "duos_followed_up_12m",
                                   "duos_in_job_12m", "followup_12m_coverage", "job_rate_12m"]
    assert records(frame, list(frame.columns)) == [
        (D("2024-01-01"), D("2024-03-31"), 0, 0, 0, None, None),
        (D("2024-04-01"), D("2024-06-30"), 1, 1, 1, 1.0, 1.0),
        (D("2024-07-01"), D("2024-09-30"), 1, 0, 0, 0.0, None),
    ]
    # one bucket for the year: the handbook's figures for the query
    year = insights.followup_12m(tiny, TINY_DEFAULT, grain="year")
    handbook = engine.indicators(tiny, TINY_DEFAULT)
    assert year.loc[0, "followup_12m_coverage"] == handbook["followup_12m_coverage"] == 0.5
    assert year.loc[0, "duos_followed_up_12m"] / year.loc[0, "duos_due_12m"] == 0.5
    # without outcomes: the counts of outcomes and the rates are unknown
    con = load_folder(TINY, without=("outcomes",))
    frame = insights.followup_12m(con, TINY_DEFAULT, grain="year")
    assert frame.loc[0, "duos_due_12m"] == 2
    assert frame[["duos_followed_up_12m", "followup_12m_coverage", "job_rate_12m"]].isna().all().all()


def test_followup_12m_takes_the_series_a_page_already_has(tiny):
    quarterly = engine.indicator_series(tiny, TINY_DEFAULT, "quarter")
    given = insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter", series=quarterly)
    pd.testing.assert_frame_equal(given, insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter"))
    # a series of another grain does not fit the buckets: refused, not misaligned
    yearly = engine.indicator_series(tiny, TINY_DEFAULT, "year")
    with pytest.raises(ValueError, match="not the engine's series"):
        insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter", series=yearly)


# ------------------------------------------------------------------ headline per person
# Mentor R1 (N) for every duo. A = 2025-12-31, period 2024.
PERSON = dict(
    mentees="""
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        P1,N,2023-08-01,2000-01-01,SY,true
        P2,N,2023-08-01,2000-01-01,SY,true
        P3,N,2023-08-01,2000-01-01,SY,true
        P4,S,2023-08-01,2000-01-01,SY,true
        P5,N,2023-08-01,2000-01-01,SY,true
        P6,N,2023-08-01,2000-01-01,SY,true
        P7,N,2023-08-01,2000-01-01,SY,true
    """,
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        Q1a,P1,R1,N,2023-08-25,2023-09-01,2024-01-15,completed
        Q1b,P1,R1,N,2024-01-25,2024-02-01,2024-06-30,completed
        Q2a,P2,R1,N,2023-09-01,2023-09-05,2024-03-10,job_found
        Q2b,P2,R1,N,2024-04-25,2024-05-01,,
        Q3,P3,R1,N,2023-09-01,2023-09-05,2024-12-31,completed
        Q4,P4,R1,S,2023-09-01,2023-09-05,2024-08-01,mismatch
        Q5,P5,R1,N,2023-09-01,2023-09-05,2023-12-31,completed
        Q6a,P6,R1,N,2023-08-25,2023-09-01,2023-10-01,mismatch
        Q6b,P6,R1,N,2023-11-01,2023-11-05,2024-02-01,completed
        Q7a,P7,R1,N,2023-09-01,2023-09-05,2024-04-01,completed
        Q7b,P7,R1,S,2023-09-01,2023-09-06,2024-04-01,completed
    """,
    outcomes="""
        outcome_id,duo_id,stage,recorded_on,status
        U1,Q1a,exit,2024-01-16,employed
        U2,Q1b,exit,2024-07-01,searching
        U3,Q1b,followup_6m,2025-01-05,training
        U4,Q2a,exit,2024-03-11,employed
        U5,Q3,followup_12m,2025-12-31,searching
        U6,Q6a,followup_12m,2024-10-05,employed
        U7,Q5,exit,2024-01-02,employed
    """,
)
# Last duo (latest end among realized duos; ties to the larger id), window [last end, +365]
# with each outcome measured on its duo's end + 0 / 91 / 182 / 365 by stage:
#   P1: last Q1b (06-30), window to 2025-06-30. U1 (Q1a exit, measured 2024-01-15): outside;
#       U2 (Q1b exit, 06-30): in, searching; U3 (6 months: 06-30 + 182 = 12-29): in, training
#       -> covered, positive. Mark 2025-06-30.
#   P2: Q2b realized and open -> no last duo yet: out.
#   P3: Q3 ended 2024-12-31, mark 2025-12-31 = A: in; U5 12-month searching -> covered only.
#   P4: Q4 (S) ended 08-01, no outcome -> in, not covered. Mark 2025-08-01.
#   P5: Q5 ended 2023-12-31: outside the period.
#   P6: last Q6b (02-01), window to 2025-01-31; U6 is Q6a's 12-month follow-up, measured
#       2023-10-01 + 365 = 2024-09-30: in, employed -> covered, positive. Mark 2025-01-31.
#   P7: Q7a (N) and Q7b (S) both end 04-01 -> last is "Q7b": branch S. Not covered. Mark 2025-04-01.
PERSON_YEAR = Query(D("2025-12-31"), D("2024-01-01"), D("2024-12-31"))


@pytest.mark.parametrize("query, expected", [
    # all: P1, P3, P4, P6, P7 = 5; with an outcome P1, P3, P6 = 3; positive P1, P6 = 2
    (PERSON_YEAR, (5, 3, 2, 2 / 5, 3 / 5)),
    # N (by the last duo's branch): P1, P3, P6; S: P4, P7
    (Query(PERSON_YEAR.as_of, PERSON_YEAR.period_from, PERSON_YEAR.period_to, ("N",)), (3, 3, 2, 2 / 3, 1.0)),
    (Query(PERSON_YEAR.as_of, PERSON_YEAR.period_from, PERSON_YEAR.period_to, ("S",)), (2, 0, 0, 0.0, 0.0)),
    # A = 2025-06-30: marks on or before A: P1 (06-30, exactly), P6 (01-31), P7 (04-01);
    # U3 (recorded 2025-01-05) is known -> P1 and P6 positive: 3, 2, 2
    (Query(D("2025-06-30"), D("2024-01-01"), D("2024-12-31")), (3, 2, 2, 2 / 3, 2 / 3)),
    # nobody's mark has passed: empty denominator -> None
    (Query(D("2024-12-31"), D("2024-01-01"), D("2024-12-31")), (0, 0, 0, None, None)),
])
def test_person_headline(query, expected):
    got = insights.person_headline(make_con(**PERSON), query)
    keys = ("mentees", "mentees_with_outcome", "mentees_positive", "person_positive_rate_12m",
            "person_outcome_coverage_12m")
    assert tuple(got) == keys
    for key, value in zip(keys, expected):
        assert got[key] == (value if value is None else pytest.approx(value)), key
    for key in keys[3:]:
        assert not INDICATORS[key].in_handbook


def test_person_headline_tiny_counts_a_late_12_month_follow_up(tiny):
    # 2023 as of 2024-07-10: ME13 (D9 ended 2023-06-25, mark 2024-06-24) and ME14 (D10 ended
    # 07-05, mark 2024-07-04). D9's 12-month follow-ups O4/O5 were recorded 2024-06-26, two
    # days after the mark, but measure the 12-month mark -> ME13 covered and positive (O5
    # employed); ME14 has nothing -> 1/2, 1/2.
    got = insights.person_headline(tiny, Query(D("2024-07-10"), D("2023-01-01"), D("2023-12-31")))
    assert (got["mentees"], got["mentees_with_outcome"], got["mentees_positive"]) == (2, 1, 1)
    con = load_folder(TINY, without=("outcomes",))
    got = insights.person_headline(con, Query(D("2024-07-10"), D("2023-01-01"), D("2023-12-31")))
    assert got["mentees"] == 2 and got["person_positive_rate_12m"] is None
    assert got["person_outcome_coverage_12m"] is None


# ------------------------------------------------------------------ breakdowns
@pytest.mark.parametrize("by, expected", [
    # h1_mid_year ended realized duos: D1 ME1 (F, secondary, SY) employed;
    # D3 ME3 (M, tertiary, UA) searching; D11 ME15 (M, no education, ER) internship
    ("gender", [("F", 1, 1, 1, 1.0, 1, 1.0), ("M", 2, 2, 1, 0.5, 0, 0.0)]),
    ("education_level", [("secondary", 1, 1, 1, 1.0, 1, 1.0), ("tertiary", 1, 1, 0, 0.0, 0, 0.0),
                         ("not_recorded", 1, 1, 1, 1.0, 0, 0.0)]),
    ("region", [("Middle East", 1, 1, 1, 1.0, 1, 1.0), ("Sub-Saharan Africa", 1, 1, 1, 1.0, 0, 0.0),
                ("Europe (non-EU)", 1, 1, 0, 0.0, 0, 0.0)]),
])
def test_outcome_breakdown(tiny, by, expected):
    frame = insights.outcome_breakdown(tiny, H1, by=by)
    columns = ["group", "duos", "exit_outcomes", "positive_exits", "positive_exit_rate", "jobs", "job_exit_rate"]
    assert list(frame.columns) == columns
    assert records(frame, columns) == expected
    # not suppressed: counts of 1 are there; the totals are the handbook's population
    assert frame["duos"].sum() == 3
    assert frame["positive_exits"].sum() / frame["duos"].sum() == pytest.approx(
        engine.indicators(tiny, H1)["positive_exit_rate"])


def test_outcome_breakdown_edges(tiny):
    # without the outcomes table the duos are known, the outcomes are not
    con = load_folder(TINY, without=("outcomes",))
    frame = insights.outcome_breakdown(con, H1, by="gender")
    assert frame["duos"].tolist() == [1, 2]
    assert frame[["exit_outcomes", "positive_exits", "positive_exit_rate", "jobs"]].isna().all().all()
    # a filter with no duo ended: no rows
    q = Query(H1.as_of, H1.period_from, H1.period_to, ("central",))
    assert insights.outcome_breakdown(tiny, q, by="region").empty
    with pytest.raises(ValueError):
        insights.outcome_breakdown(tiny, H1, by="age")


@pytest.mark.parametrize("country, region", [
    ("gr", "EU"), ("BE", "EU"), ("MA", "Maghreb"), ("DZ", "Maghreb"), ("SY", "Middle East"),
    ("EG", "Middle East"), ("ER", "Sub-Saharan Africa"), ("TR", "Europe (non-EU)"),
    ("XK", "Europe (non-EU)"), ("GB", "Europe (non-EU)"), ("AF", "Asia"), ("BR", "Americas"),
    ("AU", "Other"), ("", "Other"), (None, "Other"),
])
def test_region_of(country, region):
    assert insights.region_of(country) == region
    assert region in insights.REGIONS


def test_region_lists_do_not_overlap():
    seen: dict[str, str] = {}
    for region, codes in insights.REGION_COUNTRIES.items():
        for code in codes:
            assert code not in seen, (code, seen.get(code), region)
            assert code not in insights.eu_country_codes(), code
            seen[code] = region
