"""A funder's filters (``ui.filters``): the published as-of date as text, a
fixed reporting period (a year, a quarter or a month) and one branch or the
whole programme; a link asking for custom dates or another as-of date falls
back. The Overview's count tiles are the cells of the funder growth table
(``analytics.report.funder_series``), so no view can be subtracted from
another; no two funder periods differ by a day (docs/disclosure.md)."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
TIMEOUT = 120


@pytest.fixture
def app(tiny_store, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def make(role: str = "funder", query: dict | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["role"] = role
        at.query_params.update(query or {})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def _series(tiny_store):
    from analytics.report.funder_series import funder_series
    from analytics.store.snapshots import Store

    return funder_series(Store(tiny_store).connect())


def _filters(at):
    return at.session_state["_filters"]


def test_a_funder_has_fixed_periods_one_branch_and_the_published_as_of_date(app):
    at = app()
    assert not at.date_input, "no date widget at all for a funder"
    assert not at.multiselect
    assert at.selectbox(key="period").options == ["A calendar year", "A quarter", "A month"]
    assert at.selectbox(key="year").options == ["2024", "2023"]          # tiny: first data in 2023
    assert at.selectbox(key="branch").options == ["The whole programme", "East", "West"]
    assert any("As of 10 Jul 2024" in m.value or "As of Jul 10, 2024" in m.value for m in at.markdown)
    f = _filters(at)
    assert (f.as_of, f.period, f.period_from, f.period_to, f.branches) == (
        date(2024, 7, 10), "year", date(2024, 1, 1), date(2024, 12, 31), ())
    at.selectbox(key="period").set_value("month").run()
    assert at.selectbox(key="month").options[:3] == ["Jul 2024", "Jun 2024", "May 2024"]
    assert at.selectbox(key="month").options[-1] == "Jan 2023"
    at.selectbox(key="month").set_value("2024-06").run()
    at.selectbox(key="branch").set_value("West").run()
    f = _filters(at)
    assert (f.period, f.period_from, f.period_to, f.branches) == ("month", date(2024, 6, 1), date(2024, 6, 30),
                                                                   ("West",))


def test_a_link_cannot_give_a_funder_custom_dates_or_another_as_of_date(app):
    at = app(query={"asof": "2024-06-30", "period": "custom", "from": "2024-06-02", "to": "2024-06-30",
                    "branch": ["East", "West"]})
    f = _filters(at)
    assert f.as_of == date(2024, 7, 10), "the published as-of date, not the link's"
    assert (f.period, f.period_from, f.period_to) == ("year", date(2024, 1, 1), date(2024, 12, 31))
    assert f.branches == ("West",), "one branch at most: the link's last"
    at = app(query={"period": "12m"})
    assert _filters(at).period == "year"
    at = app(query={"period": "quarter", "quarter": "2024-Q2", "branch": "East"})
    f = _filters(at)
    assert (f.period_from, f.period_to, f.branches) == (date(2024, 4, 1), date(2024, 6, 30), ("East",))
    at = app(query={"period": "month", "month": "2024-06-02"})     # not a month code: the default month
    assert (_filters(at).period_from, _filters(at).period_to) == (date(2024, 7, 1), date(2024, 7, 31))


def test_a_manager_keeps_the_date_filters(app):
    at = app("manager", query={"asof": "2024-06-30", "period": "custom", "from": "2024-06-02",
                               "to": "2024-06-30"})
    f = _filters(at)
    assert (f.as_of, f.period, f.period_from, f.period_to) == (
        date(2024, 6, 30), "custom", date(2024, 6, 2), date(2024, 6, 30))
    assert at.multiselect(key="branch").options == ["East", "West", "central"]


def test_no_two_funder_periods_differ_by_a_day():
    """The Liège attack (1–30 June minus 2–30 June) needs two views whose
    periods differ by one day; every funder period starts on the first of a
    month and ends on the last day of one, so two differ by a month at least."""
    from ui.filters import FUNDER_PERIODS, funder_period_bounds, funder_period_options

    periods = {funder_period_bounds(k, c) for k in FUNDER_PERIODS
               for c in funder_period_options(k, 2022, date(2024, 7, 10))}
    assert len(periods) == 3 + 11 + 31
    for (f1, t1), (f2, t2) in combinations(sorted(periods), 2):
        assert f1.day == f2.day == 1 and (t1 + timedelta(days=1)).day == 1 and (t2 + timedelta(days=1)).day == 1
        assert abs((f1 - f2).days) + abs((t1 - t2).days) >= 28


COUNTS = ("duos_realized", "duos_realized_cumulative", "active_duos")


@pytest.mark.parametrize("query, grain, start, branch", [
    ({}, "year", date(2024, 1, 1), None),
    ({"period": "quarter", "quarter": "2024-Q2", "branch": "East"}, "quarter", date(2024, 4, 1), "East"),
    ({"period": "month", "month": "2024-06", "branch": "West"}, "month", date(2024, 6, 1), "West"),
    ({"period": "year", "year": "2023"}, "year", date(2023, 1, 1), None),
])
def test_the_overview_count_tiles_are_the_growth_tables_cells(app, tiny_store, query, grain, start, branch):
    from analytics.engine import query as engine
    from analytics.report.funder_series import PROGRAMME
    from analytics.store.snapshots import Store
    from ui import fmt
    from ui.filters import funder_period_bounds
    from ui.meta import meta

    fs = _series(tiny_store)
    shown = {m.label: m.value for m in app(query=query).metric}
    for key in COUNTS:
        cell = fs.cell(key, grain, start, branch)
        assert shown[meta(key).label] == (cell.mark if cell.hidden else fmt.integer(cell.value)), key
    # and the table's raw counts are the engine's figures for the same view (what the tile would show a manager)
    code = {"year": str(start.year), "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
            "month": f"{start:%Y-%m}"}[grain]
    f, t = funder_period_bounds(grain, code)
    figures = engine.indicators(Store(tiny_store).connect(),
                                engine.Query(date(2024, 7, 10), f, t, (branch,) if branch else ()))
    last = min(t, date(2024, 7, 10))
    who = branch or PROGRAMME
    assert fs.raw[(who, grain, start)]["duos_realized"] == figures["duos_realized"]
    for key in ("duos_realized_cumulative", "active_duos"):
        assert fs.raw[(who, "month", date(last.year, last.month, 1))][key] == figures[key], key


def test_the_tiles_of_tiny_as_worked_by_hand(app):
    # tiny, first meetings in 2024 by 10 July: D1, D2, D3, D6, D7, D8, D11 -> 7 (East D1 D2 D7 D11: 4,
    # West D3 D6 D8: 3); before 2024: D5, D9, D10 -> 10 since the start, but 10 - 7 would give the 3
    # of 2023 back: hidden (*). Active on 10 July: D2, D5, D6, D8 -> 4 (<5).
    shown = {m.label: m.value for m in app().metric}
    assert (shown["Duos realized"], shown["Duos realized since the start"], shown["Active duos"]) == ("7", "*", "<5")
    shown = {m.label: m.value for m in app(query={"branch": "West"}).metric}
    assert shown["Duos realized"] == "<5"
