"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: costs (with central costs allocated or not) and the funding mix.

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
from tests.analytics.engine.helpers import D, H1, TINY, TINY_DEFAULT, approx_rows, load_folder, make_con, records


# ------------------------------------------------------------------ costs
# Branches N and S, A = 2024-03-31, Q1 2024 by month.
#   costs: Jan N 1000, Jan central 300, Feb central 600, Feb S 200, Mar central 90
#   duos realized: Jan N C1, C2 (mentees K1, K2), S C3 (K3); Feb none; Mar S C4 (K4)
#   C1 ended 03-15 with an exit outcome employed -> N positive exit in March
COSTS = dict(
    mentees="""
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        K1,N,2023-12-01,2000-01-01,SY,true
        K2,N,2023-12-01,2000-01-01,SY,true
        K3,S,2023-12-01,2000-01-01,SY,true
        K4,S,2023-12-01,2000-01-01,SY,true
    """,
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        C1,K1,R1,N,2024-01-02,2024-01-05,2024-03-15,job_found
        C2,K2,R1,N,2024-01-02,2024-01-20,,
        C3,K3,R1,S,2024-01-02,2024-01-25,,
        C4,K4,R1,S,2024-03-01,2024-03-03,,
    """,
    outcomes="outcome_id,duo_id,stage,recorded_on,status\nO1,C1,exit,2024-03-16,employed",
    costs="""
        month,branch,category,amount_eur
        2024-01,N,staff,1000
        2024-01,central,overhead,300
        2024-02,central,overhead,600
        2024-02,S,staff,200
        2024-03,central,overhead,90
    """,
)
Q1_2024 = Query(D("2024-03-31"), D("2024-01-01"), D("2024-03-31"))
JAN, FEB, MAR = (D("2024-01-01"), D("2024-01-31")), (D("2024-02-01"), D("2024-02-29")), \
    (D("2024-03-01"), D("2024-03-31"))
COST_COLUMNS = ["period_from", "period_to", "branch", "direct_costs_eur", "allocated_central_eur",
                "total_costs_eur", "duos_realized", "beneficiaries_served", "positive_exits",
                "cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur"]


@pytest.mark.parametrize("branches, allocate, expected", [
    # Not allocated: central is a row of its own.
    #   beneficiaries: Jan N K1, K2 / S K3; Feb same; Mar N K1 (ended 03-15), K2 / S K3, K4
    ((), False, [
        (*JAN, "N", 1000.0, 0.0, 1000.0, 2, 2, 0, 500.0, 500.0, None),
        (*JAN, "S", 0.0, 0.0, 0.0, 1, 1, 0, 0.0, 0.0, None),
        (*JAN, "central", 300.0, 0.0, 300.0, 0, 0, 0, None, None, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "S", 200.0, 0.0, 200.0, 0, 1, 0, 200.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
        (*MAR, "S", 0.0, 0.0, 0.0, 1, 2, 0, 0.0, 0.0, None),
        (*MAR, "central", 90.0, 0.0, 90.0, 0, 0, 0, None, None, None),
    ]),
    # Allocated by duos realized: Jan 300 -> N 2/3 = 200, S 1/3 = 100 (N 1200 / 2 duos = 600;
    # S 100 / 1 = 100); Feb: no duo realized anywhere -> central 600 stays its own row;
    # Mar 90 -> S (the only duo, C4): 90 / 1 duo = 90, / 2 beneficiaries = 45.
    ((), True, [
        (*JAN, "N", 1000.0, 200.0, 1200.0, 2, 2, 0, 600.0, 600.0, None),
        (*JAN, "S", 0.0, 100.0, 100.0, 1, 1, 0, 100.0, 100.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "S", 200.0, 0.0, 200.0, 0, 1, 0, 200.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
        (*MAR, "S", 0.0, 90.0, 90.0, 1, 2, 0, 45.0, 90.0, None),
    ]),
    # N + central, allocated: N's share is counted over every branch (S's duos still count),
    # S's share is outside the filter.
    (("N", "central"), True, [
        (*JAN, "N", 1000.0, 200.0, 1200.0, 2, 2, 0, 600.0, 600.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
    ]),
    # N alone: central costs are outside the filter (handbook), so nothing is allocated.
    (("N",), True, [
        (*JAN, "N", 1000.0, 0.0, 1000.0, 2, 2, 0, 500.0, 500.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
    ]),
])
def test_cost_series(branches, allocate, expected):
    con = make_con(**COSTS)
    q = Query(Q1_2024.as_of, Q1_2024.period_from, Q1_2024.period_to, branches)
    frame = insights.cost_series(con, q, grain="month", allocate_central=allocate)
    assert list(frame.columns) == COST_COLUMNS
    approx_rows(records(frame, COST_COLUMNS), expected)
    if not branches:
        # every euro is somewhere: the monthly totals are the handbook's total_costs_eur
        series = engine.indicator_series(con, q, grain="month")
        assert frame.groupby("period_from")["total_costs_eur"].sum().tolist() == \
            series["total_costs_eur"].tolist() == [1300.0, 800.0, 90.0]


def test_cost_series_tiny_quarters(tiny):
    # h1_mid_year by quarter (README working): Q1 East 2000 (Jan), central 500 (Feb); Q2 West
    # 1500 (Jun). Duos realized Q1: East D1, D2, D11; Q2: East D7, West D3, D8.
    # Allocated: Q1 central 500 all to East (3 of 3 duos) -> East 2500 / 3 duos.
    frame = insights.cost_series(tiny, H1, grain="quarter", allocate_central=True)
    assert records(frame, ["branch", "total_costs_eur", "duos_realized"]) == [
        ("East", 2500.0, 3), ("West", 0.0, 0), ("East", 0.0, 1), ("West", 1500.0, 2)]
    assert frame.loc[0, "cost_per_duo_eur"] == pytest.approx(2500 / 3)
    # per-branch duos realized and positive exits add up to the handbook's
    handbook = engine.indicators(tiny, H1)
    assert frame["duos_realized"].sum() == handbook["duos_realized"] == 6
    assert frame["positive_exits"].sum() == 2 and frame["total_costs_eur"].sum() == handbook["total_costs_eur"]


def test_cost_series_absent_tables():
    tables = {k: v for k, v in COSTS.items() if k not in ("costs", "outcomes")}
    frame = insights.cost_series(make_con(**tables), Q1_2024, grain="quarter", allocate_central=True)
    assert frame["duos_realized"].sum() == 4
    cost_columns = ["direct_costs_eur", "allocated_central_eur", "total_costs_eur", "positive_exits",
                    "cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur"]
    assert frame[cost_columns].isna().all().all()


# ------------------------------------------------------------------ funding
def test_funding_mix(tiny):
    # h1_mid_year by quarter: Q1 FundA (foundation) 6000 + CityX (public, no branch) 3000:
    #   shares 2/3, 1/3; HHI (2/3)^2 + (1/3)^2 = 5/9; largest 2/3. Q2: FundA 1000 -> 1, 1, 1.
    #   (EUF 07-02 is after A.)
    frame = insights.funding_mix(tiny, H1, grain="quarter")
    columns = ["period_from", "period_to", "funder_type", "amount_eur", "share", "total_funding_eur",
               "funding_hhi", "largest_funder_share"]
    assert list(frame.columns) == columns
    approx_rows(records(frame, columns), [
        (D("2024-01-01"), D("2024-03-31"), "foundation", 6000.0, 2 / 3, 9000.0, 5 / 9, 2 / 3),
        (D("2024-01-01"), D("2024-03-31"), "public", 3000.0, 1 / 3, 9000.0, 5 / 9, 2 / 3),
        (D("2024-04-01"), D("2024-06-30"), "foundation", 1000.0, 1.0, 1000.0, 1.0, 1.0),
    ])
    # default, one year: foundation 7000, eu 5000, public 3000 of 15000; HHI over funders
    # (FundA 7000, EUF 5000, CityX 3000) = (49 + 25 + 9) / 225 = 83/225
    frame = insights.funding_mix(tiny, TINY_DEFAULT, grain="year")
    approx_rows(records(frame, ["funder_type", "share", "funding_hhi"]), [
        ("eu", 1 / 3, 83 / 225), ("foundation", 7 / 15, 83 / 225), ("public", 0.2, 83 / 225)])
    # West: CityX has no branch and the filter does not name central -> Q2 FundA only
    west = Query(H1.as_of, H1.period_from, H1.period_to, ("West",))
    assert records(insights.funding_mix(tiny, west, grain="quarter"), ["funder_type", "amount_eur"]) == [
        ("foundation", 1000.0)]
    # East + central: CityX counts
    east = Query(H1.as_of, H1.period_from, H1.period_to, ("East", "central"))
    assert insights.funding_mix(tiny, east, grain="year")["amount_eur"].tolist() == [6000.0, 3000.0]
    assert insights.funding_mix(load_folder(TINY, without=("funding",)), H1).empty


def test_funding_mix_takes_the_series_a_page_already_has(tiny):
    quarterly = engine.indicator_series(tiny, H1, "quarter")
    given = insights.funding_mix(tiny, H1, grain="quarter", series=quarterly)
    pd.testing.assert_frame_equal(given, insights.funding_mix(tiny, H1, grain="quarter"))
    with pytest.raises(ValueError, match="not the engine's series"):
        insights.funding_mix(tiny, H1, grain="quarter", series=engine.indicator_series(tiny, H1, "month"))
