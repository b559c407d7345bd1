"""Every view says its scope, staff views show staff figures plainly, and no raw
None/nan is shown (issue 20). Driven with AppTest on the tiny fixture."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.ui.test_app_pages import app  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("navigation_app")


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_the_coordinator_page_names_its_branch(app):  # noqa: F811
    at = app("coordinator", branches=["East"], query={"asof": "2024-06-30"})
    scope = _captions(at)[0]
    assert "East" in scope and "all branches" not in scope, scope
    assert "Jun 30, 2024" in scope


@pytest.mark.parametrize("page", ["overview", "outcomes"])
def test_outcome_pages_say_the_period_and_the_outcome_definition(app, page):  # noqa: F811
    at = app("manager", page=page, query={"asof": "2024-06-30"})
    scope = _captions(at)[0]
    assert "period Jan 1, 2024 – Dec 31, 2024" in scope and "all branches" in scope, scope
    assert "positive exit:" in scope


def test_a_manager_sees_the_breakdown_plainly(app):  # noqa: F811
    # tiny, 2024 as of 06-30: duos realized that ended by then: D1 (05-20, ME1 F), D3 (06-10, ME3 M),
    # D11 (04-10, ME15 M) -> F 1, M 2. Cells that small are suppressed for a funder; a manager
    # sees them as they are: no "*" or "<5".
    at = app("manager", page="outcomes", query={"asof": "2024-06-30"})
    table = [t for t in at.dataframe if "Duos ended" in list(t.value.columns)][0].value
    cells = table.astype(str).values.ravel().tolist()
    assert not [c for c in cells if c in ("*", "<5")], cells
    assert sorted(table["Duos ended"].tolist()) == ["1", "2"]
    assert any("every figure is shown in full" in c for c in _captions(at))


def test_weeks_running_of_a_duo_not_started_reads_not_started():
    from ui import at_risk

    table = pd.DataFrame({"Duo": ["D1", "D2"], "Weeks running": pd.array([3, None], dtype="Int64")})
    shown = at_risk.for_display(table)
    assert shown["Weeks running"].tolist() == ["3", "not started"]
    assert table["Weeks running"].tolist()[0] == 3     # the CSV keeps the number
