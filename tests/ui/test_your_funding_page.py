"""The "Your funding" page, driven headless: a funder user bound to a funder
of the tiny fixture sees exactly the suppressed cells of
``analytics.report.your_funding.funder_view`` (the figures the command line
lists too), and a funder bound to none is told so."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 120
PASSWORD = "correct horse battery"


@pytest.fixture
def signed_in(tiny_store, tmp_path, monkeypatch):
    from analytics.people.users import UserStore

    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "mentees.csv").write_text("mentee_id\nSOMEONE_ELSE\n", encoding="utf-8")
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(sample))       # real data: sign-in required
    path = tmp_path / "users.json"
    monkeypatch.setenv("DUO_IMPACT_USERS", str(path))
    store = UserStore(path)
    store.add("fara", PASSWORD, "funder", funders=["FundA"])
    store.add("fern", PASSWORD, "funder")

    def sign_in(username: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        at.text_input(key="signin_username").input(username)
        at.text_input(key="signin_password").input(PASSWORD)
        next(b for b in at.button if b.label == "Sign in").click()
        at.run()
        at.switch_page("pages/your_funding.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return sign_in


def _view(tiny_store):
    from analytics.report.your_funding import funder_view
    from analytics.store.snapshots import Store

    return funder_view(Store(tiny_store).connect(), ["FundA"])


def test_the_page_shows_exactly_the_views_cells(signed_in, tiny_store):
    from ui import fmt

    at = signed_in("fara")
    assert [t.value for t in at.title] == ["Your funding"]
    view = _view(tiny_store)
    grants, parts, income = (d.value for d in at.dataframe)
    # tiny: FundA gave 6000 for East (received 2024-01-15) and 1000 for West (2024-06-30), each for 2024
    assert grants["Amount"].tolist() == ["€6,000.00", "€1,000.00"] and grants["Branch"].tolist() == ["East", "West"]
    keys = ["duos_started", "mentees", "duos_ended", "positive_exits", "costs_eur"]
    formats = [fmt.integer] * 4 + [fmt.money]
    for row, (key, formatter) in enumerate(zip(keys, formats)):
        expected = [view.cell(p, key).text(formatter) for p in ("scope", "rest", "programme")]
        assert parts.iloc[row, 1:].tolist() == expected, key
    assert parts.iloc[5, 1:].tolist() == [view.ratio(view.cost_per_duo, p).text(fmt.money)
                                          for p in ("scope", "rest", "programme")]
    assert income["Amount"].tolist() == [view.income.cell(g, "amount_eur").text(fmt.money)
                                         for g in view.income.values.index]
    # no other funder is named: CityX (public) and EUF (eu) are one donor each, hidden by type
    text = income.to_string()
    assert "CityX" not in text and "EUF" not in text and "€5,000" not in text and "€3,000" not in text
    assert {m.label: m.value for m in at.metric}["Your share of the income"] == view.income_share.text(fmt.percent)


def test_a_funder_bound_to_no_funder_is_told_so(signed_in):
    at = signed_in("fern")
    assert any("not bound to a funder" in i.value for i in at.info)
    assert not at.dataframe


def _truth(tiny_store):
    from analytics.engine.query import Query
    from analytics.report.truth import funder_cells
    from analytics.store.snapshots import Store

    return funder_cells(Store(tiny_store).connect(), Query(None, None, None, ()), funders=["FundA"])


def test_the_funder_pages_show_exactly_the_cells_the_command_line_lists(signed_in, tiny_store):
    truth = _truth(tiny_store)
    # Your funding: every listed cell is on the page, in the page's order, and nothing else
    at = signed_in("fara")
    _, parts, income = (d.value for d in at.dataframe)
    metrics = [m.value for m in at.metric]
    shown = [*parts.iloc[:, 1:].T.values.ravel().tolist(), *income["Amount"].tolist(), *metrics]
    listed = [c for c in truth["cells"] if c["page"] == "your_funding"]
    by_key = {c["key"]: c["shown"] for c in listed}
    order = [f"your_funding.{p}.{k}" for p in ("scope", "rest", "programme")
             for k in ("duos_started", "mentees", "duos_ended", "positive_exits", "costs_eur",
                       "cost_per_duo_eur", "cost_per_positive_exit_eur")]
    order += [c["key"] for c in listed if c["key"].startswith("your_funding.income.")]
    order += ["your_funding.income_share"]
    assert sorted(order) == sorted(by_key)
    assert shown == [by_key[k] for k in order]
    # the impact report page: its headline tiles are the listed figures
    at.switch_page("pages/impact_report.py").run()
    assert not at.exception
    figures = [c for c in truth["cells"] if c["page"] == "impact_report" and c["kind"] == "figure"]
    assert [m.value for m in at.metric] == [c["shown"] for c in figures]
    assert [m.label.split(" · IRIS+")[0] for m in at.metric] == [c["label"] for c in figures]
