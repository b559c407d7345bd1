"""The funder's Growth page, driven headless: for every view a funder can
choose (reporting year x grain x branch or the whole programme) the charts
show exactly the cells the machine-readable truth lists
(``analytics.report.truth.growth_cells``, ``python -m analytics report
--role funder --format json``): every visible value, every hidden mark, and
nothing else; a view below the threshold shows a message and no chart."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
TIMEOUT = 120
# the page's charts in order, each with the measures it draws
CHARTS = (("duos_realized",), ("duos_realized_cumulative",), ("mentee_applications", "duos_realized"),
          ("active_duos",))
VIEWS = [(year, grain, branch) for year in (2023, 2024) for grain in ("month", "quarter", "year")
         for branch in (None, "East", "West")]


@pytest.fixture(scope="module")
def truth(tiny_store):
    from analytics.engine.query import Query
    from analytics.report.truth import funder_cells
    from analytics.store.snapshots import Store

    return funder_cells(Store(tiny_store).connect(), Query(None, None, None, ()))


@pytest.fixture
def growth(tiny_store, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def open_page(query: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["role"] = "funder"
        at.query_params.update(query)
        at.run()
        at.switch_page("pages/growth.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def _charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _listed(truth, year, grain, branch, measure):
    return sorted((c for c in truth["cells"] if c["page"] == "growth" and c["year"] == year
                   and c["grain"] == grain and c["branch"] == branch and c["measure"] == measure),
                  key=lambda c: c["period_from"])


def _query(year, grain, branch):
    q = {"year": str(year), "growth_grain": grain}
    if branch:
        q["branch"] = branch
    return q


@pytest.mark.parametrize("year, grain, branch", VIEWS)
def test_the_page_shows_exactly_the_listed_cells(growth, truth, year, grain, branch):
    view = next(v for v in truth["growth"]["views"]
                if (v["year"], v["grain"], v["branch"]) == (year, grain, branch))
    at = growth(_query(year, grain, branch))
    assert not at.metric, "no tile beside the funder's growth series"
    charts = _charts(at)
    if view["below_threshold"]:
        assert not charts and any("its growth is not shown" in i.value for i in at.info)
        assert not [c for c in truth["cells"] if c["page"] == "growth" and c["year"] == year
                    and c["grain"] == grain and c["branch"] == branch]
        return
    assert len(charts) == len(CHARTS)
    drawn = set()
    for spec, measures in zip(charts, CHARTS):
        traces = [t for t in spec["data"] if not t["name"].endswith(": not shown")]
        marks = {t["name"][: -len(": not shown")]: t for t in spec["data"] if t["name"].endswith(": not shown")}
        assert len(traces) == len(measures)
        for trace, measure in zip(traces, measures):
            cells = _listed(truth, year, grain, branch, measure)
            assert cells, measure
            assert trace["y"] == [c["value"] for c in cells], measure           # a hidden point is a gap
            assert trace["text"] == [c["shown"] for c in cells], measure        # its label: <5 or *
            hidden = [c for c in cells if c["hidden"]]
            if hidden:
                mark = marks[trace["name"]]
                assert mark["text"] == [c["shown"] for c in hidden]
                assert mark["y"] == [0] * len(hidden)
            else:
                assert trace["name"] not in marks
            drawn |= {c["key"] for c in cells}
    listed = {c["key"] for c in truth["cells"] if c["page"] == "growth" and c["year"] == year
              and c["grain"] == grain and c["branch"] == branch}
    assert drawn == listed, "every listed cell is drawn, and nothing else"


def test_the_tiny_programme_in_2024_by_quarter_as_worked_by_hand(growth, truth):
    # first meetings: Q1 D1 D2 D11 (3), Q2 D3 D7 D8 (3), Q3 by 10 July D6 (1): each 1-4 -> <5;
    # applications in Q2 2024: 6 (shown). Hidden points are gaps marked on the axis.
    at = growth(_query(2024, "quarter", None))
    realized, _, applications, _ = _charts(at)
    assert realized["data"][0]["text"] == ["<5", "<5", "<5"] and realized["data"][0]["y"] == [None, None, None]
    assert applications["data"][0]["text"][1] == "6" and applications["data"][0]["y"][1] == 6
    assert any("the year 2024 per quarter" in c.value and "Jul 10, 2024" in c.value for c in at.caption)
    assert any(c.value.startswith("<5: between 1 and 4") for c in at.caption)


def test_the_reporting_period_gives_the_year_and_a_manager_keeps_the_managers_page(growth, tiny_store, monkeypatch):
    at = growth({"period": "month", "month": "2023-06"})
    assert any("its growth is not shown" in i.value for i in at.info)        # 2023: 3 duos, 2 applications
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    at.query_params.update({"asof": "2024-06-30"})
    at.run()
    at.switch_page("pages/growth.py").run()
    assert not at.exception
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "Duos realized per quarter, by branch" in titles and at.metric
    assert not any(t.get("name", "").endswith(": not shown") for c in at.get("plotly_chart")
                   for t in json.loads(c.proto.spec)["data"])
    assert at.session_state["_filters"].as_of == date(2024, 6, 30)
