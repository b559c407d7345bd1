"""The matching page driven headless (AppTest) on the tiny example's store:
managers see every waiting mentee with the engine's suggestions, a
coordinator only their branches' mentees, a funder is refused."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.test_app_pages import APP, TIMEOUT, TINY

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tiny_store, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def make(role: str, query: dict, branches: list[str] | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["role"] = role
        if role == "coordinator":
            at.session_state["coordinator_branches"] = branches or ["East"]
        at.query_params.update(query)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        at.switch_page("pages/matching.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def engine_matches(tiny_store, as_of, branches=()):
    from analytics.engine.matching import matches
    from analytics.engine.query import Query
    from analytics.store.snapshots import Store

    return matches(Store(tiny_store).connect(), Query(as_of, branches=tuple(branches)))


def test_manager_sees_every_waiting_mentee_with_the_engines_suggestions(app, tiny_store):
    at = app("manager", {"asof": "2024-03-01"})
    assert [t.value for t in at.title] == ["Matching assistant"]
    table = at.dataframe[0].value
    expected = engine_matches(tiny_store, date(2024, 3, 1))
    # On 2024-03-01: ME12 (West, 41 days) and ME2 (East, 29 days); no mentor is free yet.
    assert [m["mentee_id"] for m in expected] == ["ME12", "ME2"]
    assert list(table["Mentee"]) == ["ME12", "ME2"]
    assert list(table["Days waiting"]) == [41, 29]
    assert list(table["Suggested mentors"]) == ["No free trained mentor in any branch on the as-of date."] * 2
    assert at.get("download_button"), "the shortlist downloads as CSV"


def test_suggestions_reasons_and_mentors_fits(app, tiny_store):
    at = app("manager", {"asof": "2024-07-10"})
    table = at.dataframe[0].value
    expected = engine_matches(tiny_store, date(2024, 7, 10))
    assert list(table["Mentee"]) == [m["mentee_id"] for m in expected] == ["ME9", "ME7"]
    # MR1 (banking) is East's one free mentor; neither mentee states a sector or language
    assert list(table["Suggested mentors"]) == ["MR1 (0: no rule met)"] * 2
    fits = at.dataframe[1].value
    assert list(fits["Mentor"]) == ["MR1"] and list(fits["Mentees they fit"]) == ["ME9, ME7"]
    # the sector weight at 0 changes nothing here; widening adds no other branch's free mentor
    at.toggle(key="match_widen").set_value(True).run()
    assert not at.exception
    assert list(at.dataframe[0].value["Suggested mentors"]) == ["MR1 (1: same branch: East)"] * 2


def test_coordinator_sees_only_their_branches_mentees(app):
    at = app("coordinator", {"asof": "2024-03-01"}, branches=["West"])
    assert list(at.dataframe[0].value["Mentee"]) == ["ME12"]
    # a shared link naming another branch shows nothing of it
    at = app("coordinator", {"asof": "2024-03-01", "branch": "East"}, branches=["West"])
    assert list(at.dataframe[0].value["Mentee"]) == ["ME12"]


def test_funder_is_refused(tiny_store, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    at = AppTest.from_file(str(ROOT / "pages" / "matching.py"), default_timeout=TIMEOUT)
    at.session_state["role"] = "funder"
    at.run()
    assert not at.exception
    assert any("not available for your role" in e.value for e in at.error)
    assert not at.dataframe and not at.get("download_button")


def test_supply_demand_forecast_and_waiting_flow_are_shown(app, tiny_store):
    from analytics.engine import supply
    from analytics.engine.query import Query
    from analytics.store.snapshots import Store

    at = app("manager", {"asof": "2024-07-10"})
    con = Store(tiny_store).connect()
    expected = supply.supply_demand(con, Query(date(2024, 7, 10)))
    shown = at.dataframe[2].value
    assert list(shown["Mentees waiting"]) == list(expected["mentees_waiting"])
    assert list(shown["Free trained mentors"]) == list(expected["free_mentors"])
    recruit = at.dataframe[3].value
    assert list(recruit["Mentors to recruit"]) == list(supply.recruitment(con, Query(date(2024, 7, 10)))["to_recruit"])
    assert len(at.get("plotly_chart")) == 2, "the forecast and the time-to-match curve"
    assert any("Seasonal naive" in c.value for c in at.caption)
    # the withdrawals while waiting (ME10 in June, ME11 in July 2024)
    assert list(at.dataframe[-1].value["Withdrew while waiting"]) == [1, 1]
