"""The quality page's standards panel: one row per standard, the whole filter and each
branch beside the field's standard, from analytics.engine.standards (AppTest on tiny)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]


def test_quality_page_shows_each_standard_per_branch(tiny_store, monkeypatch):
    from analytics.engine import standards
    from analytics.engine.query import Query
    from analytics.store.snapshots import Store
    from ui import fmt

    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(ROOT / "tests" / "fixtures" / "tiny"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["role"] = "manager"
    at.run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Against the field's standards" in [s.value for s in at.subheader]
    table = next(df.value for df in at.dataframe if "Field's standard" in df.value.columns)
    assert table["Standard"].tolist() == [s.label for s in standards.STANDARDS]
    # the cells are the engine's figures for the page's query (tiny: default as-of, its year)
    expected = standards.standards(Store(tiny_store).connect(), Query())
    words = {True: "met", False: "not met", None: "not available"}
    for row in expected.itertuples():
        column = "All branches in the filter" if row.branch is None else row.branch
        cell = table.loc[table["Standard"] == row.label, column].iloc[0]
        assert cell == f"{fmt.percent(row.value)} · {words[row.met]}", (row.standard, row.branch)
