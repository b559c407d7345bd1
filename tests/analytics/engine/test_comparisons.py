"""Like-for-like comparisons: the same days one year earlier, pro-rated targets,
the growth of a cumulative stock (analytics.engine.insights.compare_with_previous).

Expected values are worked out by hand from tests/fixtures/tiny (listed in
each test) or from the few rows a test builds.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.engine import insights
from analytics.engine import query as engine
from analytics.engine.query import Query
from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS
from tests.analytics.engine.helpers import D, H1, TINY_DEFAULT, make_con, records  # noqa: F401


@pytest.mark.parametrize("as_of, period, previous", [
    # a year still running on the as-of date -> the same days of the year before, not all of it
    ("2024-07-10", ("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-07-10")),
    # a finished year -> the year before
    ("2024-07-10", ("2023-01-01", "2023-12-31"), ("2022-01-01", "2022-12-31")),
    # a finished quarter -> the same quarter a year earlier (not the quarter before)
    ("2024-07-10", ("2024-04-01", "2024-06-30"), ("2023-04-01", "2023-06-30")),
    # a quarter running on the as-of date: 1 April .. 10 May
    ("2024-05-10", ("2024-04-01", "2024-06-30"), ("2023-04-01", "2023-05-10")),
    # February of a leap year: its 29th shifts to 28 February
    ("2024-07-10", ("2024-02-01", "2024-02-29"), ("2023-02-01", "2023-02-28")),
    # a period starting on 29 February
    ("2024-07-10", ("2024-02-29", "2024-03-31"), ("2023-02-28", "2023-03-31")),
    # an as-of date of 29 February inside the year: d - 1 year = 28 February 2023
    ("2024-02-29", ("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-02-28")),
    # "last 12 months" as the filters make it -> the 12 months before
    ("2024-07-10", ("2023-07-11", "2024-07-10"), ("2022-07-11", "2023-07-10")),
    # one day -> the same day a year earlier
    ("2024-07-10", ("2024-03-01", "2024-03-01"), ("2023-03-01", "2023-03-01")),
])
def test_previous_period_is_the_same_days_one_year_earlier(as_of, period, previous):
    q = Query(D(as_of), D(period[0]), D(period[1]), ("East", "central"))
    got = insights.previous_period(q)
    assert (got.period_from, got.period_to) == (D(previous[0]), D(previous[1]))
    # the as-of date and the branch filter are kept
    assert got.as_of == D(as_of) and got.branches == ("East", "central")


def test_previous_period_resolves_defaults(tiny):
    # tiny's default as-of date is 2024-07-10 -> the calendar year 2024, running -> 2023-01-01..07-10
    got = insights.previous_period(Query(), tiny)
    assert got == Query(D("2024-07-10"), D("2023-01-01"), D("2023-07-10"))
    with pytest.raises(ValueError):
        insights.previous_period(Query())
    assert not INDICATORS["change_vs_previous_period"].in_handbook


def test_compare_with_previous(tiny):
    # H1 2024 as of 2024-06-30 against 2023-01-01..2023-06-30 (same as-of date):
    # duos_realized 6 now (D1 D2 D3 D7 D8 D11); before, first meetings in H1 2023: D9 (06-15),
    #   D10 (06-30) -> 2; change (count: relative) 6/2 - 1 = 2
    # duos_realized_cumulative: on 2024-06-30 D1 D2 D3 D5 D7 D8 D9 D10 D11 -> 9; on 2023-06-30
    #   D9 D10 -> 2; growth of the stock 9/2 - 1 = 3.5
    # positive_exit_rate 2/3 now; before, realized duos ended in H1 2023: D9 (06-25, no exit
    #   outcome) -> 0/1 = 0; change (rate: difference) 2/3
    # median_days_to_match 31 now; before, first duos matched in H1 2023: D9 (ME13 applied
    #   05-20, matched 06-05: 16), D10 (ME14 applied 06-01, matched 06-20: 19) -> 17.5; change 13.5
    # total_funding_eur 10000 now; none before -> 0; relative change over 0 -> None
    frame = insights.compare_with_previous(
        tiny, H1, keys=("duos_realized", "duos_realized_cumulative", "positive_exit_rate",
                        "median_days_to_match", "total_funding_eur"))
    got = {r["key"]: r for r in frame.to_dict(orient="records")}
    assert got["duos_realized"]["value"] == 6 and got["duos_realized"]["previous_value"] == 2
    assert got["duos_realized"]["change"] == pytest.approx(2) and got["duos_realized"]["change_kind"] == "relative"
    cumulative = got["duos_realized_cumulative"]
    assert (cumulative["value"], cumulative["previous_value"]) == (9, 2)
    assert cumulative["change"] == pytest.approx(3.5) and cumulative["change_kind"] == "stock_growth"
    assert got["positive_exit_rate"]["previous_value"] == 0
    assert got["positive_exit_rate"]["change"] == pytest.approx(2 / 3)
    assert got["positive_exit_rate"]["change_kind"] == "difference"
    assert got["median_days_to_match"]["previous_value"] == pytest.approx(17.5)
    assert got["median_days_to_match"]["change"] == pytest.approx(13.5)
    assert got["total_funding_eur"]["previous_value"] == 0 and pd.isna(got["total_funding_eur"]["change"])
    # the previous value is the engine's own figure for the same days a year earlier
    assert got["duos_realized"]["previous_value"] == engine.indicators(
        tiny, Query(H1.as_of, D("2023-01-01"), D("2023-06-30")))["duos_realized"]
    # no targets table in tiny, and H1 is not a calendar year
    assert frame["target"].isna().all() and frame["target_to_date"].isna().all()


def test_compare_with_previous_targets_pro_rated():
    # A calendar year with a targets table: the row of that year and branch `all`
    # (no filter), or of the one branch the filter names; pro-rated to d by days
    # for counts and amounts, not for rates or stocks.
    con = make_con(
        mentees="""
            mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
            M1,N,2023-05-01,2000-01-01,SY,true
            M2,N,2024-05-01,2000-01-01,SY,true
        """,
        mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on
            D1,M1,R1,N,2023-05-10,2023-05-20
            D2,M2,R1,N,2024-05-10,2024-05-20
        """,
        targets="""
            year,branch,indicator,target
            2024,all,duos_realized,3
            2024,all,active_duos,4
            2024,all,positive_exit_rate,0.5
            2024,N,duos_realized,2
            2023,all,duos_realized,9
        """,
    )
    year = Query(D("2024-06-30"), D("2024-01-01"), D("2024-12-31"))
    keys = ("duos_realized", "active_duos", "positive_exit_rate")
    frame = insights.compare_with_previous(con, year, keys=keys)
    # 2024 to 06-30: D2 -> 1; 2023-01-01..06-30: D1 -> 1; change 1/1 - 1 = 0; target 2024/all = 3,
    # to date 3 * 182/366 (1 January..30 June 2024 is 31+29+31+30+31+30 = 182 days of 366)
    row = records(frame, ["value", "previous_value", "change", "target"])[0]
    assert row == (1, 1, 0.0, 3.0)
    to_date = dict(zip(frame["key"], frame["target_to_date"]))
    assert to_date["duos_realized"] == pytest.approx(3 * 182 / 366)
    # a stock on d (active duos: D1 and D2 on 2024-06-30) and a rate: the target itself
    assert to_date["active_duos"] == 4 and to_date["positive_exit_rate"] == 0.5
    frame = insights.compare_with_previous(con, Query(year.as_of, year.period_from, year.period_to, ("N",)),
                                           keys=("duos_realized",))
    assert frame["target"].tolist() == [2.0]
    assert frame["target_to_date"].tolist() == [pytest.approx(2 * 182 / 366)]
    # a finished year: nothing to pro-rate (as of 2025-01-10, the 2024 target whole)
    done = insights.compare_with_previous(con, Query(D("2025-01-10"), year.period_from, year.period_to),
                                          keys=("duos_realized",))
    assert done["target_to_date"].tolist() == [3.0]
    half = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))
    assert insights.compare_with_previous(con, half, keys=("duos_realized",))["target"].isna().all()


@pytest.mark.parametrize("key, pro", [
    ("duos_realized", True), ("total_costs_eur", True), ("total_funding_eur", True),
    ("mentee_applications", True),
    ("active_duos", False), ("duos_realized_cumulative", False), ("mentees_waiting", False),
    ("cost_per_beneficiary_eur", False), ("positive_exit_rate", False), ("median_days_to_match", False),
])
def test_which_targets_are_pro_rated(key, pro):
    assert insights.pro_rated(key) is pro


def test_compare_with_previous_is_the_engine_for_both_periods(tiny):
    for query in (H1, TINY_DEFAULT, Query(H1.as_of, H1.period_from, H1.period_to, ("East", "central"))):
        frame = insights.compare_with_previous(tiny, query)
        now, before = engine.indicators(tiny, query), engine.indicators(tiny, insights.previous_period(query))
        assert frame["key"].tolist() == list(HANDBOOK_KEYS)
        for row in frame.to_dict(orient="records"):
            for got, want in ((row["value"], now[row["key"]]), (row["previous_value"], before[row["key"]])):
                assert (want is None and pd.isna(got)) or got == pytest.approx(want, rel=1e-12), row["key"]
