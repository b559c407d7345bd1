"""The Data page's completeness tab: the share filled per field and branch, and the
rows to complete as a CSV download (AppTest on tiny, manager)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]


def test_data_page_shows_completeness(tiny_store, monkeypatch):
    from analytics.engine import completeness
    from analytics.engine.query import Query
    from analytics.store.snapshots import Store
    from ui import fmt

    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(ROOT / "tests" / "fixtures" / "tiny"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["role"] = "manager"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    expected = completeness.completeness(Store(tiny_store).connect(), Query())
    table = next(df.value for df in at.dataframe if "Share filled" in df.value.columns)
    assert len(table) == len(expected) > 0
    assert table["Share filled"].tolist() == [fmt.percent(s) for s in expected["share"]]
