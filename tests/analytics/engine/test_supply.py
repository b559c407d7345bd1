"""Supply and demand of mentors (analytics.engine.supply), worked by hand on
the matching test's programme (tests/analytics/engine/test_matching.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.engine import supply
from analytics.engine.query import Query
from tests.analytics.engine.test_matching import AS_OF, DUOS, MENTEES, MENTORS


@pytest.fixture
def con(programme):
    return programme(mentors=MENTORS, mentees=MENTEES, duos=DUOS)


def test_supply_and_demand_per_branch_and_sector(con):
    frame = supply.supply_demand(con, Query(AS_OF))
    rows = [(r["branch"], r["sector"], r["mentees_waiting"], r["free_mentors"], r["mentors_in_training"],
             r["gap"]) for r in frame.to_dict(orient="records")]
    # waiting: ME1 East construction, ME2 East retail, ME3 East (none), ME7 North (none),
    # ME11 West construction; free: MR1, MR3 ("Construction", same key), MR2 retail,
    # MR7 health, MR8 West; in training: MR4 (trained after the as-of date).
    assert [(b, s, w, f, t, g) if s == s else (b, None, w, f, t, g) for b, s, w, f, t, g in rows] == [
        ("East", "Construction", 1, 2, 1, -1),
        ("East", "health", 0, 1, 0, -1),
        ("East", "retail", 1, 1, 0, 0),
        ("East", None, 1, 0, 0, 1),
        ("North", None, 1, 0, 0, 1),
        ("West", "construction", 1, 1, 0, 0),
    ]
    assert list(supply.supply_demand(con, Query(AS_OF, branches=("West",)))["branch"]) == ["West"]


def test_branch_pipeline_and_mentors_to_recruit(con):
    pipeline = supply.branch_pipeline(con, Query(AS_OF)).set_index("branch")
    # East: D1 open, D3 open (its end is after the as-of date), D2 ended and MR7 had no later duo
    assert pipeline.loc["East", ["mentees_waiting", "free_mentors", "mentors_in_training", "open_duos",
                                 "ended_duos", "ended_then_again"]].tolist() == [3, 4, 1, 2, 1, 0]
    assert pipeline.loc["East", "return_rate"] == 0
    recruit = supply.recruitment(con, Query(AS_OF)).set_index("branch")
    # East's eligible applications per complete month 2023-06 .. 2024-06 (13 months):
    # 2 (ME9, ME10), eight months of 0, 1 (ME5), 1 (ME4), 2 (ME1, ME3), 1 (ME2).
    # Seasonal naive: 2024-07 .. 12 are 2023-07 .. 12, all 0; the one past error
    # 1 − 2 = −1 only widens the interval downwards: high = 0 too.
    # demand 3 + 0 <= supply 4 + 1 + 0 -> 0 to recruit. North: 1 waiting, no
    # mentor, one month of history (no forecast) -> 1. West: 1 waiting, 1 free -> 0.
    assert recruit["to_recruit"].to_dict() == {"East": 0, "North": 1, "West": 0}
    assert recruit["to_recruit_high"].to_dict() == {"East": 0, "North": 1, "West": 0}
    assert recruit.loc["East", "forecast_new_eligible"] == 0


def test_seasonal_naive_by_hand():
    history = [2, 2, 1, 3, 1, 0, 2, 2, 1, 0, 4, 1, 5, 0]
    result = supply.seasonal_naive(history)
    # months 15..20 are months 3..8: 1, 3, 1, 0, 2, 2. Past errors: 5 − 2 = 3, 0 − 2 = −2;
    # their 10 % / 90 % quantiles: −2 + 0.1 × 5 = −1.5 and −2 + 0.9 × 5 = 2.5; MAE (3 + 2) / 2.
    assert result["method"] == "seasonal_naive"
    assert result["forecast"] == [1, 3, 1, 0, 2, 2]
    assert result["low"] == pytest.approx([0, 1.5, 0, 0, 0.5, 0.5])
    assert result["high"] == pytest.approx([3.5, 5.5, 3.5, 2.5, 4.5, 4.5])
    assert result["mae"] == 2.5


def test_short_history_uses_the_mean():
    # mean 2; one month ahead the mean so far missed by 4 − 2 = 2 and 0 − 3 = −3
    result = supply.seasonal_naive([2, 4, 0], horizon=2)
    assert result["method"] == "mean"
    assert result["forecast"] == [2, 2]
    assert result["low"] == [0, 0] and result["high"] == pytest.approx([3.5, 3.5])
    assert result["mae"] == 2.5
    assert supply.seasonal_naive([3])["method"] == "none"


def test_forecast_starts_after_the_last_complete_month(con):
    assert supply.last_complete_month(dt.date(2024, 6, 30)) == dt.date(2024, 6, 1)
    assert supply.last_complete_month(dt.date(2024, 7, 10)) == dt.date(2024, 6, 1)
    forecast, fit = supply.forecast_new_eligible(con, Query(AS_OF))
    east = forecast[forecast["branch"] == "East"]
    assert list(east["month"]) == [dt.date(2024, m, 1) for m in range(7, 13)]
    assert fit.set_index("branch").loc["East", ["method", "months", "errors"]].tolist() == [
        "seasonal_naive", 13, 1]


def test_time_to_match_kaplan_meier_censored_at_the_as_of_date(con):
    curve = supply.time_to_match(con, Query(AS_OF))
    # eligible on 2024-06-30: nine mentees (ME6 is ineligible, ME8 applied later).
    # Matched: ME9, ME10 at day 30, ME4 at day 61 (2024-04-01 -> 06-01). Censored:
    # ME7 10, ME11 20, ME2 29, ME1 and ME3 60 (still waiting), ME5 101 (withdrew).
    # day 30: 6 at risk, 2 matched -> 4/6; day 61: 2 at risk, 1 matched -> 2/3 × 1/2.
    rows = [(r["day"], r["risk_set"], r["matched"], r["censored"], round(r["still_waiting"], 9))
            for r in curve.to_dict(orient="records")]
    assert rows == [(0, 9, 0, 0, 1.0), (10, 9, 0, 1, 1.0), (20, 8, 0, 1, 1.0), (29, 7, 0, 1, 1.0),
                    (30, 6, 2, 0, round(2 / 3, 9)), (60, 4, 0, 2, round(2 / 3, 9)),
                    (61, 2, 1, 0, round(1 / 3, 9)), (101, 1, 0, 1, round(1 / 3, 9))]
    assert supply.share_matched_within(curve, 30) == pytest.approx(1 / 3)
    by_branch = supply.time_to_match(con, Query(AS_OF), by_branch=True)
    assert sorted(set(by_branch["group_name"])) == ["East", "North", "West"]


def test_withdrawals_while_waiting_and_time_waited_so_far(con):
    from analytics.engine import matching

    withdrawn = supply.waiting_withdrawals(con, Query(AS_OF))
    # ME5: eligible, applied 2024-03-01, withdrew 2024-06-10 without a match: 101 days
    assert withdrawn[["mentee_id", "days_waited"]].values.tolist() == [["ME5", 101]]
    waited = supply.waited_so_far(matching.waiting_mentees(con, Query(AS_OF)))
    # East: ME1 60, ME3 60, ME2 29; North: ME7 10; West: ME11 20
    assert waited.values.tolist() == [["East", 3, 60.0, 60, 2], ["North", 1, 10.0, 10, 0],
                                      ["West", 1, 20.0, 20, 0]]
