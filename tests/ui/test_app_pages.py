"""The dashboard driven headless with Streamlit's AppTest: every page for every
role, tiles equal to the engine's figures for the tiny fixture, filters change
them as the engine says, the wrong role fails closed.

Two things about AppTest 1.67 shape these tests:

- AppTest resets ``PagesManager.uses_pages_directory`` before every run, so
  with a ``pages/`` folder beside app.py its reruns take the old
  pages-directory path and run the page file *without* app.py (no frame, no
  sidebar). A real server stops looking at ``pages/`` once st.navigation has
  been called; the ``navigation_app`` fixture does the same for AppTest.
- The filters are widgets bound to the URL (``bind="query-params"``). The
  browser writes the URL when such a widget changes; AppTest does not, so the
  URL itself is checked by the real-browser test, and the tests here check
  both ways in: widgets, and a shared link opening a new session.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# reruns go through app.py, as on a real server (tests/conftest.py: navigation_app)
pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
PAGES = ("overview", "growth", "quality", "outcomes", "your_funding", "impact_report", "at_risk", "matching", "data")
DEFAULT_PAGE = {"manager": "overview", "coordinator": "at_risk", "funder": "overview", None: None}
TIMEOUT = 120


@pytest.fixture
def app(tiny_store, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def make(role: str = "manager", *, query: dict | None = None, branches: list[str] | None = None,
             page: str | None = None, context: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["role"] = role
        if role == "coordinator":
            at.session_state["coordinator_branches"] = branches or ["East"]
        at.query_params.update(query or {})
        at.context.update(context or {})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page and page != DEFAULT_PAGE[role]:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def _engine(tiny_store):
    from analytics.store.snapshots import Store

    return Store(tiny_store).connect()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected_tiles(tiny_store, query, keys):
    from analytics.engine import insights
    from ui import fmt
    from ui.meta import meta

    con = _engine(tiny_store)
    frame = insights.compare_with_previous(con, query, keys)
    return {meta(r["key"]).label: fmt.value(r["value"], meta(r["key"]).unit)
            for r in frame.to_dict(orient="records")}


OVERVIEW_TILES = ("duos_realized", "duos_realized_cumulative", "active_duos", "mentees_waiting",
                  "positive_exit_rate", "job_exit_rate", "completion_rate", "cost_per_beneficiary_eur")


# ------------------------------------------------------------------ every page x role
ROLE_PAGES = {
    "manager": PAGES,
    "coordinator": ("at_risk", "matching"),
    "funder": ("overview", "growth", "your_funding", "impact_report"),
}


@pytest.mark.parametrize("role, page", [(r, p) for r, ps in ROLE_PAGES.items() for p in ps])
def test_every_page_renders_for_its_roles(app, role, page):
    at = app(role, page=page)
    assert not at.exception
    assert at.title, "every page has a title"
    assert not [e for e in at.error if "not available for your role" in e.value]


@pytest.mark.parametrize("role", ROLE_PAGES)
def test_navigation_registers_only_the_roles_pages(app, role):
    at = app(role)
    for page in PAGES:
        if page in ROLE_PAGES[role]:
            at.switch_page(f"pages/{page}.py")          # registered: no error
        else:
            with pytest.raises(ValueError):
                at.switch_page(f"pages/{page}.py")      # not registered for this role


@pytest.mark.parametrize("role, page", [("funder", "at_risk"), ("funder", "data"), ("funder", "quality"),
                                        ("funder", "outcomes"), ("coordinator", "overview"),
                                        ("coordinator", "impact_report"), ("coordinator", "data"),
                                        ("coordinator", "your_funding"),
                                        (None, "overview")])
def test_wrong_role_reaching_a_page_fails_closed(tiny_store, monkeypatch, role, page):
    """A page run directly (as if reached by URL) checks the role itself."""
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    if role:
        at.session_state["role"] = role
    at.run()
    assert not at.exception
    assert any("not available for your role" in e.value for e in at.error)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


# ------------------------------------------------------------------ tiles = engine
def test_overview_tiles_show_the_engines_values(app, tiny_store):
    from analytics.engine.query import Query, default_as_of

    at = app("manager")
    a = default_as_of(_engine(tiny_store))
    expected = _expected_tiles(tiny_store, Query(a, date(a.year, 1, 1), date(a.year, 12, 31)), OVERVIEW_TILES)
    shown = _metrics(at)
    for label, value in expected.items():
        assert shown[label] == value, label
    assert any("had their first meeting" in m.value or "had its first meeting" in m.value for m in at.markdown), "summary paragraph"


def test_changing_the_as_of_date_changes_the_tiles_as_the_engine_says(app, tiny_store):
    from analytics.engine.query import Query

    at = app("manager")
    assert at.date_input(key="asof").value == date(2024, 7, 10), "default: the latest event date"
    before = _metrics(at)
    at.date_input(key="asof").set_value(date(2024, 6, 30)).run()
    assert not at.exception
    expected = _expected_tiles(tiny_store, Query(date(2024, 6, 30), date(2024, 1, 1), date(2024, 12, 31)),
                               OVERVIEW_TILES)
    assert _metrics(at) | expected == _metrics(at)
    assert _metrics(at) != before


def test_branch_and_period_filters(app, tiny_store):
    from analytics.engine.query import Query

    at = app("manager", query={"asof": "2024-06-30"})
    assert at.multiselect(key="branch").options == ["East", "West", "central"]
    at.selectbox(key="period").set_value("quarter").run()
    at.selectbox(key="quarter").set_value("2024-Q2").run()
    at.multiselect(key="branch").set_value(["West"]).run()
    assert not at.exception
    expected = _expected_tiles(tiny_store, Query(date(2024, 6, 30), date(2024, 4, 1), date(2024, 6, 30), ("West",)),
                               OVERVIEW_TILES)
    assert _metrics(at) | expected == _metrics(at)


def test_a_shared_link_restores_the_view(app, tiny_store):
    from analytics.engine.query import Query

    at = app("manager", query={"asof": "2024-06-30", "period": "custom", "from": "2024-01-01",
                               "to": "2024-06-30", "branch": ["East", "central"]})
    expected = _expected_tiles(tiny_store, Query(date(2024, 6, 30), date(2024, 1, 1), date(2024, 6, 30),
                                                 ("East", "central")), OVERVIEW_TILES)
    assert _metrics(at) | expected == _metrics(at)


def test_language_from_the_browser_and_the_url_formats_numbers(app):
    at = app("manager", query={"asof": "2024-06-30"}, context={"locale": "fr-BE"})
    assert at.selectbox(key="lang").value == "fr"
    money = [v for v in _metrics(at).values() if "€" in v]
    assert money and all(v.endswith("\u00a0€") for v in money), money
    at = app("manager", query={"asof": "2024-06-30", "lang": "nl"})
    money = [v for v in _metrics(at).values() if "€" in v]
    assert money and all(v.startswith("€\u00a0") for v in money), money


# ------------------------------------------------------------------ at-risk
def test_at_risk_lists_the_engines_duos_with_reasons_in_plain_words(app, tiny_store):
    from analytics.engine import query as engine

    at = app("manager", page="at_risk", query={"asof": "2024-06-30"})
    table = at.dataframe[0].value
    expected = engine.at_risk_list(_engine(tiny_store), engine.Query(as_of=date(2024, 6, 30)))
    at_risk_ids = {r["duo_id"] for r in expected}
    duo_col, why_col = table.columns[0], table.columns[-1]
    shown = dict(zip(table[duo_col], table[why_col]))
    assert at_risk_ids <= set(shown)
    assert "no meeting for 25 days" in shown["D2"]


def test_coordinator_sees_only_their_branch(app):
    at = app("coordinator", branches=["East"], query={"asof": "2024-06-30"})
    assert [t.value for t in at.title] == ["At-risk duos"], "a coordinator lands on the at-risk duos"
    table = at.dataframe[0].value
    assert len(table) and set(table[table.columns[1]]) == {"East"}
    assert at.multiselect(key="branch").options == ["East"]
    # a shared link naming another branch shows nothing of it
    at = app("coordinator", branches=["East"], query={"asof": "2024-06-30", "branch": "West"})
    table = at.dataframe[0].value
    assert set(table[table.columns[1]]) <= {"East"}


def test_thresholds_change_the_list(app):
    at = app("manager", page="at_risk", query={"asof": "2024-06-30"})
    assert "D2" in set(at.dataframe[0].value.iloc[:, 0])
    at.number_input(key="thr_no_meeting_days").set_value(60).run()
    assert not at.exception
    assert "D2" not in set(at.dataframe[0].value.iloc[:, 0])   # its only rule no longer fires


def test_at_risk_download_is_offered(app):
    at = app("manager", page="at_risk", query={"asof": "2024-06-30"})
    assert at.get("download_button"), "CSV download of the list"


# ------------------------------------------------------------------ every tile = engine
TILE_PAGES = ("overview", "growth", "quality", "outcomes")


@pytest.mark.parametrize("page", TILE_PAGES)
def test_every_handbook_tile_shows_the_engines_value(app, tiny_store, page):
    """Each tile labelled with a handbook indicator shows the engine's value for
    the page's query."""
    from analytics.engine import insights
    from analytics.engine.query import Query, unavailable
    from analytics.engine.registry import HANDBOOK_KEYS
    from ui import fmt
    from ui.meta import meta

    at = app("manager", page=page, query={"asof": "2024-06-30"})
    frame = insights.compare_with_previous(
        _engine(tiny_store), Query(date(2024, 6, 30), date(2024, 1, 1), date(2024, 12, 31)), HANDBOOK_KEYS)
    # a figure null because a table it reads was not provided (tiny has no jobs.csv) says so
    gone = unavailable(_engine(tiny_store), {r["key"]: None if fmt.is_missing(r["value"]) else r["value"]
                                             for r in frame.to_dict(orient="records")})
    expected = {meta(r["key"]).label: "Not available" if r["key"] in gone else fmt.value(r["value"], meta(r["key"]).unit)
                for r in frame.to_dict(orient="records")}
    shown = {label: value for label, value in _metrics(at).items() if label in expected}
    assert len(shown) >= 4, f"{page} shows handbook tiles"
    assert shown == {label: expected[label] for label in shown}


def test_funder_overview_shows_the_suppressed_report_figures(app, tiny_store):
    """A funder's tiles are the funder report's suppressed cells (the count
    tiles: the funder growth table's, tests/ui/test_funder_growth_filters.py),
    on the published as-of date whatever the link says: the tiny programme's
    small numbers show as <5 or *, and no change or gap to a target gives them back."""
    from analytics import report
    from analytics.engine.query import Query
    from ui import fmt
    from ui.meta import meta

    at = app("funder", query={"asof": "2024-06-30"})
    model = report.build(_engine(tiny_store), Query(date(2024, 7, 10), date(2024, 1, 1), date(2024, 12, 31)))
    cells = {fig.key: fig.cell for fig in model.headline}
    shown = _metrics(at)
    for key in OVERVIEW_TILES:
        label = meta(key).label
        if key in cells and key not in ("duos_realized", "duos_realized_cumulative", "active_duos"):
            cell = cells[key]
            assert shown[label] == (cell.mark if cell.hidden else fmt.value(cell.value, meta(key).unit)), key
    assert shown[meta("active_duos").label] == "<5"          # 4 active duos on 10 July 2024
    assert shown[meta("duos_realized").label] == "7"
    assert shown[meta("duos_realized_cumulative").label] == "*"   # 10, of which 3 before 2024
    assert shown[meta("completion_rate").label] == "*"
    assert not [m for m in at.metric if m.delta], "no change against the previous period"
    paragraph = " ".join(m.value for m in at.markdown)
    assert "67%" not in paragraph and "<5" in paragraph


def test_duo_details_and_timeline(app):
    at = app("manager", page="at_risk", query={"asof": "2024-06-30"})
    first = at.dataframe[0].value.iloc[0, 0]
    at.session_state["risk_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert any(m.value.startswith(f"**Duo {first}**") for m in at.markdown)
    timeline = at.dataframe[1].value
    assert list(timeline.columns) == ["Date", "Event", "Details"]
    assert "Matched" in set(timeline["Event"])


# ------------------------------------------------------------------ hostile text
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """The tiny fixture with a branch renamed to an HTML payload (a copy: the
    fixture itself is never modified)."""
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    folder = tmp_path_factory.mktemp("hostile") / "data"
    folder.mkdir()
    for src in TINY.glob("*.csv"):
        (folder / src.name).write_text(src.read_text(encoding="utf-8").replace(",West,", f",{HOSTILE},")
                                       .replace(",West\n", f",{HOSTILE}\n"), encoding="utf-8")
    path = folder.parent / "store"   # beside its data: the tests use it as the "sample" (demo mode)
    Store(path).import_result(validate_source(folder))
    return path


@pytest.mark.parametrize("page", PAGES)
def test_imported_text_is_shown_as_text(hostile_store, monkeypatch, page):
    import json

    monkeypatch.setenv("DUO_IMPACT_DB", str(hostile_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(hostile_store.parent / "data"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    at.query_params.update({"asof": "2024-06-30", "branch": HOSTILE})
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if page not in ("data", "your_funding"):     # the pages without the shared filters
        assert HOSTILE in at.multiselect(key="branch").options
    markdown_like = [*at.markdown, *at.caption, *at.title, *at.subheader, *at.header, *at.info,
                     *at.warning, *at.error, *at.success]
    for element in markdown_like:
        assert "<img" not in element.value.replace("\\<img", ""), element.value
    for chart in at.get("plotly_chart"):
        assert "<img" not in json.dumps(json.loads(chart.proto.spec)), "plotly reads HTML in names"


def test_first_run_imports_the_bundled_sample(tmp_path, monkeypatch):
    """A fresh clone: the store is empty, so the app imports the sample first."""
    from analytics.store.snapshots import Store

    store = tmp_path / "store"
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))
    assert Store(store).current_token() is None
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert Store(store).current_token() is not None
    assert _metrics(at)["Duos realized"] == "7"
