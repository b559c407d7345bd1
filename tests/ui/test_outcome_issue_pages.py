"""Issue 16's figures drawn over time (AppTest on tests/fixtures/tiny_v2, as of 2025-06-30,
period 2025-01-01 – 2025-06-30, trends over the period per quarter): the standards per
quarter on the quality page, and the positive exit rate's non-response band on the
outcomes page's chart.

Hand-worked per quarter:
- closed before the six-month term: Q1 ended D6 (133 days, mentor_withdrew: yes), D7 (182 days:
  not < 182), D8 (job_found) -> 1/3; Q2 ended D12 (completed) -> 0/1.
- trained before the match: Q1 matched D8 (R5 untrained), D9 (R6 trained 03-05 > 03-01), D11 (R7
  trained 02-01 = matched 02-01) -> 1/3; Q2 matched D10 (R1 trained 2023) -> 1/1.
- positive exit rate and its band's top: Q1 ended D6 (no exit outcome), D7, D8 (employed) -> 2/3,
  top 3/3; Q2 ended D12 (internship) -> 1/1, top 1/1.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.test_outcome_switch import TINY_V2, VIEW, tiny_v2_store  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]


def _page(store, monkeypatch, page, **extra):
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY_V2))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["role"] = "manager"
    for key, value in {**VIEW, **extra}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _chart(at, title_start):
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["layout"]["title"]["text"].startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")


def _lines(spec):
    """{name: y} of the visible lines (not the band edges); band edges: {name: [low, high]}."""
    lines, bands = {}, {}
    for trace in spec["data"]:
        if trace.get("showlegend") is False:
            bands.setdefault(trace["name"], []).append(trace["y"])
        else:
            lines[trace["name"]] = trace["y"]
    return lines, bands


def test_the_standards_per_quarter(tiny_v2_store, monkeypatch):  # noqa: F811
    at = _page(tiny_v2_store, monkeypatch, "quality", quality_span="period", quality_grain="quarter")
    lines, _bands = _lines(_chart(at, "The standards over time"))
    assert len(lines) == 6
    scale = 100 if max(v for v in lines["Mentors trained before their match"] if v is not None) > 1 else 1
    assert lines["Closed before the six-month term"] == pytest.approx([scale / 3, 0])
    assert lines["Mentors trained before their match"] == pytest.approx([scale / 3, scale])


def test_the_positive_exit_rate_is_drawn_with_its_band(tiny_v2_store, monkeypatch):  # noqa: F811
    at = _page(tiny_v2_store, monkeypatch, "outcomes", outcomes_span="period", outcomes_grain="quarter")
    lines, bands = _lines(_chart(at, "Exit outcomes of the duos that ended, per"))
    rate = lines["Positive exit rate"]
    scale = 100 if max(rate) > 1 else 1
    assert rate == pytest.approx([scale * 2 / 3, scale])
    low, high = bands["Positive exit rate"]
    assert low == pytest.approx([scale * 2 / 3, scale]) and high == pytest.approx([scale, scale])


@pytest.mark.parametrize("page, expected", [
    # realized by A: D1-D9, D11, D12 (D10 never met); D9's answer is empty -> 10 of 11
    ("quality", ["Staff at the first meeting (realized duos) is filled for 10 of the 11 duos"]),
    # realized and ended by A: D1-D8, D12; an exit outcome for D1, D3, D7, D8, D12 -> 5 of 9;
    # 12-month mark passed: D1, D2, D3, followed up D1, D3 -> 2 of 3
    ("outcomes", ["Exit outcome (realized duos that ended) is filled for 5 of the 9 duos",
                  "12-month follow-up (mark passed) is filled for 2 of the 3 duos"]),
])
def test_an_empty_field_is_named_beside_the_figures_it_weakens(tiny_v2_store, monkeypatch, page, expected):  # noqa: F811
    at = _page(tiny_v2_store, monkeypatch, page)
    notes = [c.value for c in at.caption if c.value.startswith("Data completeness:")]
    for words in expected:
        assert any(words in note for note in notes), (words, notes)
    if page == "quality":
        assert "Staff at the first meeting" in notes[0].split("this weakens", 1)[1]


def test_the_impact_report_page_takes_the_switch_without_failing(tiny_v2_store, monkeypatch):  # noqa: F811
    # the report's own counts (analytics.report) may not follow another definition yet: then the page
    # says it is built under the default one instead of failing; once they do, no warning is needed
    at = _page(tiny_v2_store, monkeypatch, "impact_report", outcome="job")
    for warning in at.warning:
        if "outcome definition" in warning.value:
            assert "default definition (positive)" in warning.value
