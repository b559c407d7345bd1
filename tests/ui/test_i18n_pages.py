"""Every page, for every role, in French and in Dutch: no English string of the
interface is shown (AppTest, on the tiny fixture imported once), numbers and
money in the locale's style; and the funder report in French.

What counts as shown: every text of the element tree (titles, markdown,
captions, metric labels, values and help, buttons, widget labels, options and
help, tabs, expanders, chart titles, axes, legends and category labels,
dataframe headers and text cells). A shown text containing an English msgid
whose translation differs is an untranslated string (see tests/i18n_helpers).
The record format's documentation on the Data page is English on purpose (it
is the import contract) and is left out.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.i18n_helpers import shown_texts, untranslated

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
TIMEOUT = 120
# Every role and every page it may see, from the one table of access rights.
from ui.pages import ROLES, for_role  # noqa: E402

# reruns go through app.py, as on a real server (tests/conftest.py: navigation_app)
pytestmark = pytest.mark.usefixtures("navigation_app")

ROLE_PAGES = {role: tuple(p.key for p in for_role(role)) for role in ROLES}
CASES = [(lang, role, page) for lang in ("fr", "nl") for role, pages in ROLE_PAGES.items() for page in pages]


@pytest.fixture(scope="module")
def record_format() -> str:
    from analytics.records.document import record_format_markdown

    return record_format_markdown()


@pytest.fixture
def app(tiny_store, monkeypatch):
    from ui import i18n

    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def make(lang: str, role: str, page: str, query: dict | None = None) -> AppTest:
        # AppTest formats a selectbox's value (format_func) outside the script
        # run, where the language is the process's: make it the page's.
        i18n.use_language(lang)
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["role"] = role
        if role == "coordinator":
            at.session_state["coordinator_branches"] = ["East"]
        at.query_params.update({"lang": lang, "asof": "2024-06-30", **(query or {})})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page != ROLE_PAGES[role][0]:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]
        return at

    yield make
    i18n.use_language("en")


def _check(at, lang: str, record_format: str) -> None:
    texts = shown_texts(at, skip={record_format})
    assert len(texts) > 20, "the page shows something"
    found = untranslated(texts, lang)
    assert not found, f"English strings shown in {lang}: {found}"


@pytest.mark.parametrize("lang, role, page", CASES)
def test_no_english_string_on_any_page(app, record_format, lang, role, page):
    at = app(lang, role, page)
    assert at.selectbox(key="lang").value == lang
    _check(at, lang, record_format)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_interactions_show_translated_text_too(app, record_format, lang):
    """What only shows after a click: a duo's details and timeline, another
    breakdown, survival by branch, a baseline in the report."""
    at = app(lang, "manager", "at_risk")
    at.session_state["risk_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert len(at.dataframe) >= 2, "the duo's timeline is shown"
    _check(at, lang, record_format)

    at = app(lang, "manager", "outcomes")
    at.session_state["breakdown_by"] = "education_level"
    at.run()
    _check(at, lang, record_format)

    at = app(lang, "manager", "quality")
    at.session_state["survival_by"] = "branch"
    at.run()
    _check(at, lang, record_format)

    at = app(lang, "manager", "impact_report")
    at.session_state["report_baseline_on"] = True
    at.session_state["report_baseline_label"] = "Regional study"
    at.run()
    assert not at.exception
    _check(at, lang, record_format)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_data_page_explains_list_values_in_the_language(app, lang):
    from ui import i18n, labels

    at = app(lang, "manager", "data")
    table = next(df.value for df in at.dataframe if len(df.value) > 40)   # the list values
    i18n.use_language(lang)
    meaning = dict(zip(table.iloc[:, 2] + "@" + table.iloc[:, 1], table.iloc[:, 3]))
    expected = {"fr": "Emploi trouvé", "nl": "Werk gevonden"}[lang]
    assert meaning["job_found@end_reason"] == expected == labels.label("job_found")
    assert table.iloc[:, 2].tolist().count("job_found") == 1, "values stay as in the files"


def test_overview_numbers_follow_the_locale(app, tiny_store):
    """Money and rates on the overview as Babel writes them for fr_BE / nl_BE."""
    from analytics.engine import insights
    from analytics.engine.query import Query
    from ui import fmt
    from ui.i18n import LANGUAGES, use_language
    from ui.meta import meta

    from analytics.store.snapshots import Store

    con = Store(tiny_store).connect()
    frame = insights.compare_with_previous(con, Query(date(2024, 6, 30), date(2024, 1, 1), date(2024, 12, 31)),
                                           ("cost_per_beneficiary_eur", "positive_exit_rate"))
    values = {r["key"]: r["value"] for r in frame.to_dict(orient="records")}
    for lang in ("fr", "nl"):
        at = app(lang, "manager", "overview")
        use_language(lang)
        metrics = {m.label: m.value for m in at.metric}
        cost = metrics[meta("cost_per_beneficiary_eur").label]
        assert cost == fmt.money(values["cost_per_beneficiary_eur"], 2, LANGUAGES[lang])  # to the cent
        rate = metrics[meta("positive_exit_rate").label]
        assert rate == fmt.percent(values["positive_exit_rate"], 0, LANGUAGES[lang])
        if lang == "fr":
            assert cost.endswith("\u00a0€") and rate.endswith("\u00a0%")
        else:
            assert cost.startswith("€\u00a0") and rate.endswith("%") and "\u00a0" not in rate
