"""The indicator engine against figures worked out by hand.

The worked example (tests/fixtures/tiny, working in its README) covers every
handbook key for four queries; the small programmes below each isolate one
edge the handbook names, with the working written next to the data.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from analytics.engine import query as engine
from analytics.engine.query import Query, Thresholds
from analytics.records.importer import open_dataset
from analytics.engine.registry import HANDBOOK_KEYS
from tests.analytics.engine.helpers import MENTORS, PEOPLE_HEADER
from tests.conftest import TINY

D = dt.date.fromisoformat


# ------------------------------------------------------------------ the worked example
def _tiny_queries():
    queries = json.loads((TINY / "queries.json").read_text())
    expected = json.loads((TINY / "expected.json").read_text())
    return [pytest.param(q, expected[q["name"]], id=q["name"]) for q in queries]


@pytest.fixture(scope="module")
def tiny_con():
    con, result = open_dataset(TINY)
    assert result.rejected_count == 0
    return con


def _query(q: dict) -> Query:
    return Query(
        as_of=D(q["as_of"]) if q["as_of"] else None,
        period_from=D(q["from"]) if q["from"] else None,
        period_to=D(q["to"]) if q["to"] else None,
        branches=tuple(q["branches"]),
    )


@pytest.mark.parametrize("q, expected", _tiny_queries())
def test_tiny_indicators(tiny_con, q, expected):
    got = engine.indicators(tiny_con, _query(q))
    assert list(got) == ["as_of", "from", "to", "outcome_definition", "min_days_in_work", *HANDBOOK_KEYS]
    assert (got["outcome_definition"], got["min_days_in_work"]) == ("positive", 90)
    for key, value in expected["indicators"].items():
        if value is None or isinstance(value, str):
            assert got[key] == value, key
        else:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


@pytest.mark.parametrize("q, expected", _tiny_queries())
def test_tiny_at_risk(tiny_con, q, expected):
    got = engine.at_risk_list(tiny_con, _query(q))
    assert [{"duo_id": d["duo_id"], "score": d["score"], "rules": d["rules"]} for d in got] == expected["at_risk"]


def test_tiny_new_duo_is_too_early_to_tell(tiny_con):
    # east_central_h1: D7 (matched 06-25, started 06-28, A = 06-30) fires nothing
    # and was matched 5 days ago: "new", not "fine".
    frame = engine.at_risk(tiny_con, Query(as_of=D("2024-06-30"), branches=("East",)))
    status = dict(zip(frame["duo_id"], frame["status"]))
    assert status == {"D2": "at_risk", "D7": "new"}


# ------------------------------------------------------------------ small programmes
def _mentees(*rows: str) -> str:
    return "\n".join([PEOPLE_HEADER, *rows])


def test_period_ending_before_as_of_takes_point_in_time_figures_on_the_period_end(programme):
    con = programme(
        mentees=_mentees(
            "M1,North,2024-01-05,2024-01-08,eligible,2000-01-01,SY,true",
            # interviewed after T but before A: the decision known on A counts on d = T
            "M2,North,2024-03-01,2024-04-10,eligible,2000-01-01,SY,true",
            "M3,North,2024-05-01,2024-05-03,eligible,2000-01-01,SY,true",
        ),
        mentors=MENTORS,
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
            D1,M1,R1,North,2024-01-20,2024-02-01,2024-05-01,completed
        """,
    )
    q1 = engine.indicators(con, Query(D("2024-06-30"), D("2024-01-01"), D("2024-03-31")))
    # d = 03-31: D1 started 02-01, ends 05-01 > d -> active; M2 eligible (known by A), unmatched -> waiting;
    # M3 applied after d. D1 ended outside the period -> no completion figures.
    assert (q1["active_duos"], q1["mentees_waiting"], q1["mentee_applications"]) == (1, 1, 2)
    assert (q1["completion_rate"], q1["beneficiaries_served"], q1["duos_realized_cumulative"]) == (None, 1, 1)

    # As of 04-01 the interview of M2 (04-10) had not happened: no decision, not waiting.
    q2 = engine.indicators(con, Query(D("2024-04-01"), D("2024-01-01"), D("2024-03-31")))
    assert (q2["mentees_waiting"], q2["active_duos"]) == (0, 1)

    # The calendar year as of 06-30: D1 ended 05-01 (completed after exactly 90 days: not early).
    q3 = engine.indicators(con, Query(D("2024-06-30")))
    assert (q3["from"], q3["to"]) == ("2024-01-01", "2024-12-31")
    assert (q3["active_duos"], q3["mentees_waiting"], q3["completion_rate"], q3["early_closure_rate"]) == (0, 2, 1.0, 0.0)


def test_as_of_in_the_past_reads_later_dates_as_empty(programme):
    con = programme(
        mentees=_mentees(
            "M1,North,2024-01-05,2024-01-08,eligible,2000-01-01,SY,true",
            "M2,North,2024-03-01,2024-03-02,eligible,2000-01-01,SY,true",
        ),
        mentors=MENTORS,
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
            D1,M1,R1,North,2024-01-20,2024-02-01,2024-03-01,mismatch
            D2,M2,R1,North,2024-03-05,2024-03-10,,
        """,
        meetings="""
            meeting_id,duo_id,met_on,hours
            MT1,D1,2024-02-01,2
            MT2,D1,2024-02-12,3
        """,
    )
    # A = 02-15: D1 is still open (its end 03-01 is read as empty), D2 and M2 are unknown,
    # MT2 is in the past, so the last meeting was 3 days before A.
    got = engine.indicators(con, Query(D("2024-02-15"), D("2024-01-01"), D("2024-02-15")))
    assert (got["active_duos"], got["duos_matched"], got["mentee_applications"], got["completion_rate"]) == (1, 1, 1, None)
    frame = engine.at_risk(con, Query(as_of=D("2024-02-15")))
    assert list(frame["duo_id"]) == ["D1"]
    assert frame.loc[0, "days_since_last_meeting"] == 3


def test_29_february_shifts_to_28_february_a_year_back(programme):
    con = programme(
        mentees=_mentees(*(f"M{i},North,2023-01-01,2023-01-02,eligible,2000-01-01,SY,true" for i in range(1, 5))),
        mentors=MENTORS,
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on
            D1,M1,R1,North,2024-01-02,2024-01-10
            D2,M2,R1,North,2024-02-20,2024-02-29
            D3,M3,R1,North,2023-02-20,2023-02-28
            D4,M4,R1,North,2023-02-25,2023-03-01
        """,
    )
    # d = 2024-02-29 -> prior window [2023-01-01, 2023-02-28] holds D3 only: 2/1 - 1 = 1.
    got = engine.indicators(con, Query(D("2024-02-29")))
    assert (got["duos_realized"], got["growth_rate_duos_realized"]) == (2, 1.0)


@pytest.mark.parametrize("birth_date, applied_on, is_exception", [
    ("2000-02-29", "2018-02-28", True),   # 17: the birthday (02-29) has not come yet
    ("2000-02-29", "2018-03-01", False),  # 18
    ("1993-06-01", "2024-05-31", False),  # 30, turns 31 the next day
    ("1993-06-01", "2024-06-01", True),   # 31 on the day
])
def test_age_in_whole_years_at_application(programme, birth_date, applied_on, is_exception):
    con = programme(
        mentees=_mentees(f"M1,North,{applied_on},,,{birth_date},SY,true"),
        mentors=MENTORS,
        duos="duo_id,mentee_id,mentor_id,branch,matched_on",
    )
    year = int(applied_on[:4])
    got = engine.indicators(con, Query(D(f"{year}-12-31")))
    assert got["eligibility_exception_rate"] == (1.0 if is_exception else 0.0)


def test_ties_compare_ids_as_text(programme):
    con = programme(
        mentees=_mentees(
            "M1,North,2024-02-01,2024-02-02,eligible,2000-01-01,SY,true",
            "M2,North,2024-02-01,2024-02-02,eligible,2000-01-01,SY,true",
        ),
        mentors="mentor_id,branch,applied_on,birth_date\nR1,North,2023-01-01,1960-01-01",
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
            D9,M1,R1,West,2024-03-01,,,
            D10,M1,R1,East,2024-03-01,,,
            D5,M2,R1,North,2024-02-10,2024-02-11,2024-04-01,completed
        """,
        outcomes="""
            outcome_id,duo_id,stage,recorded_on,status
            O10,D5,exit,2024-04-02,searching
            O9,D5,exit,2024-04-02,employed
        """,
    )
    query = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))
    # M1's first duo: D9 and D10 matched the same day; "D10" < "D9" as text -> D10 (East), 29 days.
    assert engine.indicators(con, Query(query.as_of, query.period_from, query.period_to, ("East",)))["median_days_to_match"] == 29
    assert engine.indicators(con, Query(query.as_of, query.period_from, query.period_to, ("West",)))["median_days_to_match"] is None
    # D5's exit outcome: O9 and O10 recorded the same day; "O9" > "O10" -> employed.
    north = engine.indicators(con, Query(query.as_of, query.period_from, query.period_to, ("North",)))
    assert (north["positive_exit_rate"], north["job_exit_rate"]) == (1.0, 1.0)


BASE = dict(
    mentees=_mentees(
        "M1,North,2024-01-01,2024-01-02,eligible,2000-01-01,SY,true",
        "M2,North,2024-01-01,2024-01-02,eligible,2000-01-01,SY,true",
    ),
    mentors=MENTORS,
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        D1,M1,R1,North,2024-01-20,2024-02-01,2024-03-01,mismatch
        D2,M2,R1,North,2024-01-05,2024-01-10,,
    """,
    staff="staff_id,branch,role,fte,started_on",
)
EMPTY = {
    "meetings": "meeting_id,duo_id,met_on,hours",
    "check_ins": "check_in_id,duo_id,checked_on",
    "outcomes": "outcome_id,duo_id,stage,recorded_on,status",
    "costs": "month,branch,category,amount_eur",
    "funding": "received_on,funder,funder_type,amount_eur",
}


@pytest.mark.parametrize("key, when_absent, when_empty", [
    # D1 ran 29 days with no meeting: 0 h per week when meetings exist but are empty.
    ("median_weekly_hours", None, 0.0),
    # D2 is active on d with no check-in: coverage 0; a mean over no check-in is not available.
    ("check_in_coverage", None, 0.0),
    ("mean_mentee_satisfaction", None, None),
    # D1 ended in the period with no exit outcome: coverage 0, not positive.
    ("exit_outcome_coverage", None, 0.0),
    ("positive_exit_rate", None, 0.0),
    ("cost_per_positive_exit_eur", None, None),  # 0 positive exits
    ("total_costs_eur", None, 0),
    ("cost_per_duo_eur", None, 0.0),             # 0 EUR / 2 duos realized
    ("total_funding_eur", None, 0),
    ("funding_hhi", None, None),
])
def test_absent_and_empty_optional_tables_differ(programme, key, when_absent, when_empty):
    query = Query(D("2024-06-30"))
    absent = engine.indicators(programme(**BASE), query)
    empty = engine.indicators(programme(**BASE, **EMPTY), query)
    assert (absent[key], empty[key]) == (when_absent, when_empty)


def test_staff_table_empty_gives_no_caseload_not_an_error(programme):
    got = engine.indicators(programme(**BASE), Query(D("2024-06-30")))
    assert (got["active_duos"], got["caseload_per_coordinator_fte"]) == (1, None)


@pytest.mark.parametrize("branches, costs, funding, hhi", [
    ((), 180, 150, (100**2 + 50**2) / 150**2),  # everything, no-branch funding included
    (("North",), 100, 100, 1.0),                # central costs and no-branch funding left out
    (("North", "central"), 130, 150, (100**2 + 50**2) / 150**2),
    (("central",), 30, 50, 1.0),
])
def test_branch_filter_and_central(programme, branches, costs, funding, hhi):
    con = programme(
        **BASE,
        costs="""
            month,branch,category,amount_eur
            2024-01,North,staff,100
            2024-01,South,staff,50
            2024-01,central,overhead,30
        """,
        funding="""
            received_on,funder,funder_type,amount_eur,branch
            2024-01-15,FundA,foundation,100,North
            2024-02-01,FundB,public,50,
        """,
    )
    got = engine.indicators(con, Query(D("2024-06-30"), branches=branches))
    assert (got["total_costs_eur"], got["total_funding_eur"]) == (costs, funding)
    assert got["funding_hhi"] == pytest.approx(hhi)


# ------------------------------------------------------------------ at-risk thresholds
AT_RISK = dict(
    mentees=_mentees(*(f"M{i},North,2024-01-01,2024-01-02,eligible,2000-01-01,SY,true" for i in range(1, 13))),
    mentors=MENTORS,
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on
        DA,M1,R1,North,2024-06-16,
        DB,M2,R1,North,2024-06-15,
        DC,M3,R1,North,2024-05-01,2024-05-02
        DD,M4,R1,North,2024-05-01,2024-05-02
        DE,M5,R1,North,2024-05-01,2024-05-02
        DF,M6,R1,North,2024-06-01,2024-06-02
        DG,M7,R1,North,2024-04-01,2024-04-02
        DH,M8,R1,North,2024-04-01,2024-04-02
        DI,M9,R1,North,2024-05-01,2024-05-02
        DJ,M10,R1,North,2024-05-01,2024-05-02
        DK,M11,R2,North,2024-05-30,2024-05-31
        DL,M12,R2,North,2024-05-29,2024-05-30
    """,
    meetings="""
        meeting_id,duo_id,met_on,hours
        m1,DC,2024-06-09,3
        m2,DD,2024-06-08,3
        m3,DE,2024-06-20,2
        m4,DF,2024-06-02,3
        m5,DF,2024-06-25,1.5
        m6,DG,2024-06-25,3
        m7,DH,2024-06-25,3
        m8,DI,2024-06-25,3
        m9,DJ,2024-06-25,3
        m10,DK,2024-06-25,3
        m11,DL,2024-06-25,3
    """,
    check_ins="""
        check_in_id,duo_id,checked_on,mentee_satisfaction,mentor_satisfaction
        C1,DC,2024-06-20,4,4
        C2,DD,2024-06-20,4,4
        C3,DE,2024-06-20,4,4
        C4,DG,2024-05-16,4,4
        C5,DH,2024-05-17,4,4
        C9,DI,2024-06-20,5,5
        C10,DI,2024-06-20,2,2
        C11,DJ,2024-06-20,4,2
    """,
)
# A = 2024-06-30. Each duo sits on one threshold:
EXPECTED_STATUS = {
    "DA": ("new", []),                       # matched 14 days ago: not "> 14"
    "DB": ("at_risk", ["not_started"]),      # 15 days
    "DC": ("fine", []),                      # last meeting 21 days ago: not "> 21"
    "DD": ("at_risk", ["no_recent_meeting"]),  # 22 days
    "DE": ("fine", []),                      # exactly 2 h in the last 28 days: not "< 2"
    "DF": ("at_risk", ["low_intensity"]),    # 28 days running; the first meeting (A - 28) is outside (A - 28, A]
    "DG": ("at_risk", ["no_recent_check_in"]),  # check-in on A - 45: outside (A - 45, A]
    "DH": ("fine", []),                      # check-in on A - 44
    "DI": ("fine", []),                      # same-day tie: "C9" > "C10" is the latest (5, 5)
    "DJ": ("at_risk", ["low_satisfaction"]),  # mentor satisfaction 2
    "DK": ("fine", []),                      # untrained mentor, first meeting 30 days ago: not "> 30"
    "DL": ("at_risk", ["mentor_untrained"]),  # 31 days
}


def test_at_risk_thresholds_exactly_at_their_limits(programme):
    frame = engine.at_risk(programme(**AT_RISK), Query(as_of=D("2024-06-30")))
    got = {row.duo_id: (row.status, list(row.rules)) for row in frame.itertuples()}
    assert got == EXPECTED_STATUS
    listed = engine.at_risk_list(programme(**AT_RISK), Query(as_of=D("2024-06-30")))
    assert [d["duo_id"] for d in listed] == ["DB", "DD", "DF", "DG", "DJ", "DL"]


def test_thresholds_are_parameters(programme):
    con = programme(**AT_RISK)
    frame = engine.at_risk(con, Query(as_of=D("2024-06-30")), Thresholds(not_started_days=13, no_meeting_days=20))
    got = {row.duo_id: list(row.rules) for row in frame.itertuples() if row.status == "at_risk"}
    assert got["DA"] == ["not_started"] and got["DC"] == ["no_recent_meeting"]


def test_rules_needing_an_absent_table_do_not_fire(programme):
    tables = {k: v for k, v in AT_RISK.items() if k not in ("meetings", "check_ins")}
    frame = engine.at_risk(programme(**tables), Query(as_of=D("2024-06-30")))
    fired = {rule for rules in frame["rules"] for rule in rules}
    assert fired == {"not_started", "mentor_untrained"}


# ------------------------------------------------------------------ queries the handbook refuses
@pytest.mark.parametrize("query, message", [
    (Query(D("2024-01-01"), D("2024-02-01"), D("2024-03-01")), "before the period"),
    (Query(D("2024-06-30"), D("2024-03-01"), D("2024-02-01")), "after it ends"),
    (Query(D("2024-06-30"), D("2024-03-01"), None), "go together"),
])
def test_refused_queries(tiny_con, query, message):
    with pytest.raises(engine.QueryError, match=message):
        engine.indicators(tiny_con, query)


def test_default_as_of_is_never_after_today(programme):
    con = programme(
        mentees=_mentees("M1,North,2999-01-01,,,2980-01-01,SY,true"),
        mentors=MENTORS, duos="duo_id,mentee_id,mentor_id,branch,matched_on",
    )
    assert engine.default_as_of(con, today=D("2026-11-28")) == D("2026-11-28")


# ------------------------------------------------------------------ series
def test_series_buckets_are_periods_with_the_same_as_of(tiny_con):
    series = engine.indicator_series(tiny_con, Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30")), grain="quarter")
    assert [str(x) for x in series["period_from"]] == ["2024-01-01", "2024-04-01"]
    for row in series.itertuples():
        single = engine.indicators(tiny_con, Query(D("2024-06-30"), row.period_from, row.period_to))
        assert row.duos_realized == single["duos_realized"] and row.active_duos == single["active_duos"]
    # h1_mid_year realized 6 duos in the half year: the two quarters add up.
    assert series["duos_realized"].sum() == 6


@pytest.mark.parametrize("period_from, period_to, grain, expected", [
    ("2024-01-15", "2024-03-10", "month", [("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-31")]),
    ("2024-02-01", "2024-08-01", "quarter", [("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-09-30")]),
    ("2023-06-01", "2024-01-01", "year", [("2023-01-01", "2023-12-31"), ("2024-01-01", "2024-12-31")]),
])
def test_bucket_bounds(period_from, period_to, grain, expected):
    got = engine.bucket_bounds(D(period_from), D(period_to), grain)
    assert [(f.isoformat(), t.isoformat()) for f, t in got] == expected
