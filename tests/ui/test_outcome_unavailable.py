"""The 90-day job measure on the outcomes page (AppTest on tests/fixtures/tiny_v2, as of
2025-06-30, period 2025-01-01 – 2025-06-30): its value when ``jobs.csv`` is there, and
"Not available" with the reason (not 0, not a blank) when it is not, in the tile and in
the page's CSV.

Hand-worked: the duos whose 12-month mark falls in the period are D1, D2 and D3; only
D2's mentee (E2) is recorded in work at least 90 days within 12 months of the end
(140 days; E1 80, E3 1) -> 1/3.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.test_outcome_switch import TINY_V2, VIEW, downloads  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
LABEL = "Recorded in work at least 90 days within 12 months"


def _store(folder: Path, path: Path) -> Path:
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    Store(path).import_result(validate_source(folder))
    return path


@pytest.mark.parametrize("with_jobs", [True, False])
def test_the_90_day_measure_or_why_it_is_not_there(tmp_path, monkeypatch, downloads, with_jobs):  # noqa: F811
    from ui import fmt

    folder = tmp_path / "data"
    shutil.copytree(TINY_V2, folder)
    if not with_jobs:
        (folder / "jobs.csv").unlink()
    store = _store(folder, tmp_path / "store")
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["role"] = "manager"
    for key, value in VIEW.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/outcomes.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == LABEL)
    reason = "Not available: no jobs.csv file was provided."
    csv = pd.read_csv(io.BytesIO(downloads["outcomes_csv"]), encoding="utf-8-sig").set_index("key")
    if with_jobs:
        assert tile.value == fmt.percent(1 / 3)
        assert reason not in [c.value for c in at.caption]
        assert csv.loc["worked_90d_rate_12m", "value"] == pytest.approx(1 / 3)
        assert pd.isna(csv.loc["worked_90d_rate_12m", "unavailable"])
    else:
        assert tile.value == "Not available"
        assert reason in [c.value for c in at.caption]
        assert pd.isna(csv.loc["worked_90d_rate_12m", "value"])
        assert csv.loc["worked_90d_rate_12m", "unavailable"] == reason
    # the other figures are there either way (D7, D8, D12 of the four duos that ended: 3/4)
    assert next(m for m in at.metric if m.label == "Positive exit rate").value == fmt.percent(3 / 4)
