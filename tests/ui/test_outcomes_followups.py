"""The outcomes page: the follow-up coverage table per cohort and branch, and the
non-response band beside the headline rates (AppTest on tiny)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]


def test_outcomes_page_shows_follow_up_coverage_and_bands(tiny_store, monkeypatch):
    from analytics.engine import query as engine
    from analytics.engine.followups import followup_coverage
    from analytics.store.snapshots import Store
    from ui import fmt

    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(ROOT / "tests" / "fixtures" / "tiny"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["role"] = "manager"
    at.run()
    at.switch_page("pages/outcomes.py").run()
    assert not at.exception, [e.value for e in at.exception]
    con = Store(tiny_store).connect()
    expected = followup_coverage(con, engine.Query())
    table = next(df.value for df in at.dataframe if "Overdue" in df.value.columns)
    assert len(table) == len(expected) > 0
    assert table["Due"].tolist() == [fmt.integer(n) for n in expected["due"]]
    assert table["Overdue"].tolist() == [fmt.integer(n) for n in expected["overdue"]]
    figures = engine.indicators(con, engine.Query())
    band = f"between {fmt.percent(figures['positive_exit_rate'])} and {fmt.percent(figures['positive_exit_rate_high'])}"
    assert any(band in c.value for c in at.caption)
