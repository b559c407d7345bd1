"""Every choice on a page is in the URL (ui.filters.from_url / to_url): a
shared link opens the same view, and a changed choice is written back as a
code (never a translated label), left out when it is the default."""
from __future__ import annotations

import pytest

from tests.ui.test_app_pages import app  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("navigation_app")


def _widget(at, kind: str, key: str):
    return next(w for w in getattr(at, kind) if w.key == key)


def test_a_shared_link_opens_the_quality_view_it_names(app):  # noqa: F811
    at = app("manager", page="quality", query={"asof": "2024-06-30", "quality_key": "completion_rate",
                                               "quality_grain": "year", "survival_by": "branch"})
    assert _widget(at, "selectbox", "quality_key").value == "completion_rate"
    assert _widget(at, "button_group", "quality_grain").value == "year"
    assert _widget(at, "button_group", "survival_by").value == "branch"


def test_thresholds_and_the_worklist_horizon_come_from_the_link(app):  # noqa: F811
    at = app("manager", page="at_risk", query={"asof": "2024-06-30", "thr_no_meeting_days": "10",
                                               "thr_low_intensity_min_hours": "3.5", "worklist_overdue": "30",
                                               "risk_status": ["at_risk"]})
    assert _widget(at, "number_input", "thr_no_meeting_days").value == 10
    assert _widget(at, "number_input", "thr_low_intensity_min_hours").value == 3.5
    assert _widget(at, "number_input", "worklist_overdue").value == 30
    assert _widget(at, "multiselect", "risk_status").value == ["at_risk"]


def test_a_changed_choice_is_written_to_the_url_as_a_code(app):  # noqa: F811
    at = app("manager", page="outcomes", query={"asof": "2024-06-30"})
    assert "allocate_central" not in at.query_params and "breakdown_by" not in at.query_params
    _widget(at, "toggle", "allocate_central").set_value(True).run()
    _widget(at, "button_group", "breakdown_by").set_value("region").run()
    assert at.query_params["allocate_central"] in ("true", ["true"])
    assert at.query_params["breakdown_by"] in ("region", ["region"])        # the code, not the label "Region of origin"
    _widget(at, "toggle", "allocate_central").set_value(False).run()
    assert "allocate_central" not in at.query_params             # the default is left out
