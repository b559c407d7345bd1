"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: the helper's guard, the registry entries, an empty programme, and the
same results through the real importer.

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
from tests.analytics.engine.helpers import D, H1, TINY, TINY_DEFAULT, make_con


def test_tiny_loads_as_the_engine_expects(tiny):
    # guard for the helper: the engine reproduces the fixture's hand-worked figures
    got = engine.indicators(tiny, Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30")))
    assert got["duos_realized"] == 6 and got["mentees_waiting"] == 2
    assert got["positive_exit_rate"] == pytest.approx(2 / 3)
    assert got["total_costs_eur"] == 4000


# ------------------------------------------------------------------ registry
def test_registry_entries_for_figures_beyond_the_handbook():
    keys = ("change_vs_previous_period", "median_days_waiting", *insights.FUNNEL_STEPS, "duo_survival",
            "person_positive_rate_12m", "person_outcome_coverage_12m", "allocated_central_eur",
            "funding_share_by_type")
    for key in keys:
        entry = INDICATORS[key]
        assert not entry.in_handbook and key not in HANDBOOK_KEYS
        assert len(entry.definition) > 60, key
    # the handbook's keys are untouched and first
    assert list(INDICATORS)[:len(HANDBOOK_KEYS)] == list(HANDBOOK_KEYS)


def test_every_function_on_an_empty_programme():
    # required tables only, no rows: counts 0, rates/medians None, frames empty
    con = make_con()
    q = Query(D("2024-06-30"))
    extras = insights.growth_extras(con, q)
    assert extras["mentees_waiting"] == 0 and extras["mentors_first_duo_ended"] == 0
    assert extras["median_days_waiting"] is None
    assert extras["funnel"]["mentees"].tolist()[:6] == [0] * 6
    assert insights.person_headline(con, q)["person_positive_rate_12m"] is None
    for frame in (insights.waiting_list(con, q), insights.days_to_match_distribution(con, q),
                  insights.survival_curves(con, q), insights.exit_outcomes(con, q),
                  insights.outcome_breakdown(con, q), insights.funding_mix(con, q),
                  insights.followup_worklist(con, q), insights.coordinators(con, q),
                  insights.duo_timeline(con, "D1", D("2024-06-30"))):
        assert frame.empty
    # 2024 by quarter as of 06-30: Q1, Q2 (Q3 and Q4 start after A); the only branch is central
    assert insights.cost_series(con, q, grain="quarter")["branch"].tolist() == ["central", "central"]
    assert len(insights.quality_under_growth(con, q, grain="quarter")) == 2


# ------------------------------------------------------------------ the real importer
@pytest.mark.parametrize("query", [H1, TINY_DEFAULT], ids=["h1_mid_year", "default"])
def test_same_results_through_the_importer(tiny, query):
    # The loader above follows the data contract; the project's importer is the real path.
    # Both must give the same figures on the worked example.
    importer = pytest.importorskip("analytics.records.importer")
    con, result = importer.open_dataset(TINY)
    assert result.rejected_count == 0
    calls = [
        lambda c: insights.waiting_list(c, query), lambda c: insights.days_to_match_distribution(c, query),
        lambda c: insights.survival_curves(c, query, "cohort"), lambda c: insights.exit_outcomes(c, query),
        lambda c: insights.outcome_breakdown(c, query, "region"),
        lambda c: insights.cost_series(c, query, "quarter", True),
        lambda c: insights.funding_mix(c, query, "quarter"), lambda c: insights.followup_worklist(c, query),
        lambda c: insights.coordinators(c, query), lambda c: insights.funnel(c, query),
        lambda c: insights.duo_timeline(c, "D2", query.as_of, include_notes=True),
    ]
    for call in calls:
        pd.testing.assert_frame_equal(call(con).reset_index(drop=True), call(tiny).reset_index(drop=True),
                                      check_dtype=False)
    assert insights.person_headline(con, query) == insights.person_headline(tiny, query)
    mine, theirs = insights.growth_extras(tiny, query), insights.growth_extras(con, query)
    assert {k: v for k, v in mine.items() if k != "funnel"} == {k: v for k, v in theirs.items() if k != "funnel"}
