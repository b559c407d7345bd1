"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: the previous period and the comparison with it.

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
from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS
from tests.analytics.engine.helpers import D, H1, TINY_DEFAULT, make_con, records


# ------------------------------------------------------------------ previous period
@pytest.mark.parametrize("period, previous", [
    # calendar year -> the year before
    (("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31")),
    # calendar quarters -> the quarter before (across a year end too)
    (("2024-04-01", "2024-06-30"), ("2024-01-01", "2024-03-31")),
    (("2024-01-01", "2024-03-31"), ("2023-10-01", "2023-12-31")),
    # a month -> the month before (29 February 2024 is its last day)
    (("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
    # whole months: first half -> second half of the year before
    (("2024-01-01", "2024-06-30"), ("2023-07-01", "2023-12-31")),
    # twelve whole months March..February -> the twelve before
    (("2024-03-01", "2025-02-28"), ("2023-03-01", "2024-02-29")),
    # 10 days 10..19 March 2024 -> the 10 days ending 9 March: 29 Feb + 1..9 March
    (("2024-03-10", "2024-03-19"), ("2024-02-29", "2024-03-09")),
    # 31 days 15 Jan..14 Feb -> 15 Dec..14 Jan (17 days of December + 14 of January)
    (("2024-01-15", "2024-02-14"), ("2023-12-15", "2024-01-14")),
    # "last 12 months" as the filters make it, 2023-07-11..2024-07-10: 366 days (29 Feb)
    # -> the 366 days ending 2023-07-10: from 2022-07-10
    (("2023-07-11", "2024-07-10"), ("2022-07-10", "2023-07-10")),
    # one day -> the day before
    (("2024-03-01", "2024-03-01"), ("2024-02-29", "2024-02-29")),
])
def test_previous_period(period, previous):
    q = Query(D("2024-07-10"), D(period[0]), D(period[1]), ("East", "central"))
    got = insights.previous_period(q)
    assert (got.period_from, got.period_to) == (D(previous[0]), D(previous[1]))
    # the as-of date and the branch filter are kept
    assert got.as_of == D("2024-07-10") and got.branches == ("East", "central")


def test_previous_period_resolves_defaults(tiny):
    # tiny's default as-of date is 2024-07-10 -> the calendar year 2024 -> 2023
    got = insights.previous_period(Query(), tiny)
    assert got == Query(D("2024-07-10"), D("2023-01-01"), D("2023-12-31"))
    with pytest.raises(ValueError):
        insights.previous_period(Query())
    assert not INDICATORS["change_vs_previous_period"].in_handbook


def test_compare_with_previous(tiny):
    # h1_mid_year against its previous period, the second half of 2023, as of 2024-06-30:
    # duos_realized 6 now; before, first meetings in [2023-07-01, 2023-12-31]: D5 (12-20) -> 1;
    #   change (count: relative) 6/1 - 1 = 5
    # positive_exit_rate 2/3 now; before, realized duos ended in H2 2023: D10 (07-05, no exit
    #   outcome) -> 0/1 = 0; change (rate: difference) 2/3
    # median_days_to_match 31 now; before, first duos matched in H2 2023: D5 (ME6 applied
    #   2023-11-20, matched 12-15: 25) -> 25; change (days: difference) 6
    # total_funding_eur 10000 now; none before -> 0; relative change over 0 -> None
    frame = insights.compare_with_previous(
        tiny, H1, keys=("duos_realized", "positive_exit_rate", "median_days_to_match", "total_funding_eur"))
    got = {r["key"]: r for r in frame.to_dict(orient="records")}
    assert got["duos_realized"]["value"] == 6 and got["duos_realized"]["previous_value"] == 1
    assert got["duos_realized"]["change"] == pytest.approx(5) and got["duos_realized"]["change_kind"] == "relative"
    assert got["positive_exit_rate"]["previous_value"] == 0
    assert got["positive_exit_rate"]["change"] == pytest.approx(2 / 3)
    assert got["positive_exit_rate"]["change_kind"] == "difference"
    assert got["median_days_to_match"]["change"] == pytest.approx(6)
    assert got["total_funding_eur"]["previous_value"] == 0 and pd.isna(got["total_funding_eur"]["change"])
    # the previous value is the engine's own figure for the previous period
    assert got["duos_realized"]["previous_value"] == engine.indicators(
        tiny, insights.previous_period(H1))["duos_realized"]
    # no targets table in tiny, and H1 is not a calendar year
    assert frame["target"].isna().all()


def test_compare_with_previous_targets():
    # A calendar year with a targets table: the row of that year and branch `all`
    # (no filter), or of the one branch the filter names.
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
            2024,N,duos_realized,2
            2023,all,duos_realized,9
        """,
    )
    year = Query(D("2024-06-30"), D("2024-01-01"), D("2024-12-31"))
    frame = insights.compare_with_previous(con, year, keys=("duos_realized",))
    # 2024: D2 -> 1; 2023: D1 -> 1; change 1/1 - 1 = 0; target 2024/all = 3
    assert records(frame, ["value", "previous_value", "change", "target"]) == [(1, 1, 0.0, 3.0)]
    frame = insights.compare_with_previous(con, Query(year.as_of, year.period_from, year.period_to, ("N",)),
                                           keys=("duos_realized",))
    assert frame["target"].tolist() == [2.0]
    half = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))
    assert insights.compare_with_previous(con, half, keys=("duos_realized",))["target"].isna().all()


def test_compare_with_previous_is_the_engine_for_both_periods(tiny):
    for query in (H1, TINY_DEFAULT, Query(H1.as_of, H1.period_from, H1.period_to, ("East", "central"))):
        frame = insights.compare_with_previous(tiny, query)
        now, before = engine.indicators(tiny, query), engine.indicators(tiny, insights.previous_period(query))
        assert frame["key"].tolist() == list(HANDBOOK_KEYS)
        for row in frame.to_dict(orient="records"):
            for got, want in ((row["value"], now[row["key"]]), (row["previous_value"], before[row["key"]])):
                assert (want is None and pd.isna(got)) or got == pytest.approx(want, rel=1e-12), row["key"]
