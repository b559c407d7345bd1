"""The outcome definition switch on the pages (handbook v2, "Outcome definitions"):
the ``outcome`` URL parameter changes the figures it names, the caption and the
tiles' help name the definition in force, and the page's CSV carries it
(AppTest on tests/fixtures/tiny_v2, as of 2025-06-30, period 2025-01-01 – 2025-06-30).

Hand-worked from tiny_v2's CSV files: duos realized that ended in the period are
D6 (no exit outcome), D7 (employed, empty contract), D8 (employed, fixed_term) and
D12 (internship); the only cost row is 1200 € (January, N).
- positive: D7, D8, D12 -> 3/4; with D6 counted positive (band's top) 4/4; 1200 / 3 = 400 €
- job: D7, D8 -> 2/4; top 3/4; 1200 / 2 = 600 €
- stable_job: D8 only (D7's contract is empty: not stable) -> 1/4; top 2/4; 1200 / 1 = 1200 €
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
TINY_V2 = ROOT / "tests" / "fixtures" / "tiny_v2"
VIEW = {"asof": "2025-06-30", "period": "custom", "from": "2025-01-01", "to": "2025-06-30"}

EXPECTED = {  # outcome -> (positive_exit_rate, its band's top, cost per positive exit)
    "positive": (3 / 4, 4 / 4, 400.0),
    "job": (2 / 4, 3 / 4, 600.0),
    "stable_job": (1 / 4, 2 / 4, 1200.0),
}


@pytest.fixture(scope="module")
def tiny_v2_store(tmp_path_factory) -> Path:
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    path = tmp_path_factory.mktemp("tiny_v2") / "store"
    Store(path).import_result(validate_source(TINY_V2))
    return path


@pytest.fixture
def downloads(monkeypatch):
    """What each download button of a run would hand over (its data evaluated), by key."""
    import streamlit as st

    seen: dict[str, bytes] = {}
    real = st.download_button

    def record(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = data() if callable(data) else data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return seen


def _page(store, monkeypatch, page: str, outcome: str | None) -> AppTest:
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY_V2))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["role"] = "manager"
    for key, value in {**VIEW, **({} if outcome is None else {"outcome": outcome})}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at, label):
    return next(m for m in at.metric if m.label == label)


@pytest.mark.parametrize("outcome", sorted(EXPECTED))
def test_the_url_parameter_changes_the_outcomes_page(tiny_v2_store, monkeypatch, downloads, outcome):
    from ui import fmt

    rate, top, cost = EXPECTED[outcome]
    at = _page(tiny_v2_store, monkeypatch, "outcomes", outcome)
    # the figures it changes
    assert _metric(at, "Positive exit rate").value == fmt.percent(rate)
    assert _metric(at, "Cost per positive exit").value == fmt.money(cost)
    # ... and not the job keys: D7, D8 of the four, whatever the definition
    assert _metric(at, "Job exit rate").value == fmt.percent(2 / 4)
    # the definition named under the title, on the band and in the tiles' help
    named = f", {outcome})"   # the caption ends "(outcome definition “...”, job)"
    assert named in at.caption[0].value and "positive exit:" in at.caption[0].value
    band = next(c.value for c in at.caption if c.value.startswith("Positive exit rate:"))
    assert f"between {fmt.percent(rate)} and {fmt.percent(top)}" in band and named in band
    assert named in _metric(at, "Positive exit rate").help and named in _metric(at, "Cost per positive exit").help
    assert named not in (_metric(at, "Job exit rate").help or "")
    # the selector shows it
    assert at.selectbox(key="outcome").value == outcome
    # the CSV names it on every row, beside the figures it changed
    csv = pd.read_csv(io.BytesIO(downloads["outcomes_csv"]), encoding="utf-8-sig").set_index("key")
    assert set(csv["outcome_definition"]) == {outcome}
    assert csv.loc["positive_exit_rate", "value"] == pytest.approx(rate)
    assert csv.loc["cost_per_positive_exit_eur", "value"] == pytest.approx(cost)
    assert csv.loc["job_exit_rate", "value"] == pytest.approx(2 / 4)


def test_the_default_is_the_engines_and_stays_out_of_the_url(tiny_v2_store, monkeypatch, downloads):
    from ui import fmt

    at = _page(tiny_v2_store, monkeypatch, "overview", None)
    assert _metric(at, "Positive exit rate").value == fmt.percent(3 / 4)
    assert ", positive)" in at.caption[0].value
    assert "outcome" not in at.query_params
    csv = pd.read_csv(io.BytesIO(downloads["overview_csv"]), encoding="utf-8-sig").set_index("key")
    assert csv.loc["positive_exit_rate", ["value", "outcome_definition"]].tolist() == [0.75, "positive"]
    # choosing another definition changes the tile and writes it to the URL
    at.selectbox(key="outcome").select("stable_job").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["outcome"] == ["stable_job"] or at.query_params["outcome"] == "stable_job"
    assert _metric(at, "Positive exit rate").value == fmt.percent(1 / 4)
    csv = pd.read_csv(io.BytesIO(downloads["overview_csv"]), encoding="utf-8-sig").set_index("key")
    assert csv.loc["positive_exit_rate", ["value", "outcome_definition"]].tolist() == [0.25, "stable_job"]


def test_an_unknown_name_in_the_url_falls_back_to_the_default(tiny_v2_store, monkeypatch, downloads):
    from ui import fmt

    at = _page(tiny_v2_store, monkeypatch, "overview", "jobs")
    assert _metric(at, "Positive exit rate").value == fmt.percent(3 / 4)
    assert ", positive)" in at.caption[0].value
