"""Funder suppression of the non-response bands (handbook v2: "in funder output a band
is shown only as a pair with its coverage, and hidden when 1–4 duos lack the outcome
row"): ``ui.data.band_cells`` case by case, and the overview as a funder and as a
manager sees it (AppTest on tests/fixtures/tiny_v2)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.test_outcome_switch import TINY_V2, VIEW, tiny_v2_store  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("duos, responded, low, expected", [
    # nobody lacks the row: the band is a point, shown with its coverage (10/20, 10/20, 20/20)
    (20, 20, 10, {"low": 0.5, "high": 0.5, "coverage": 1.0}),
    # 8 lack it: low 6/20, high 14/20, coverage 12/20, every numerator and complement >= 5: shown
    (20, 12, 6, {"low": 6 / 20, "high": 14 / 20, "coverage": 12 / 20}),
    # 3 lack it: the width 3/20 would give the 3 back -> all hidden, whatever the ends
    (20, 17, 10, "small_complement"),
    # 10 lack it: the high end 18/20 leaves 2 -> hidden, and so the whole pair with its coverage
    (20, 10, 8, "hidden"),
    # over 4 duos: hidden (small denominator)
    (4, 3, 3, "hidden"),
])
def test_a_funders_band(duos, responded, low, expected):
    from ui.data import band_cells

    cells = band_cells({"duos": duos, "responded": responded, "low": low}, suppress=True)
    if isinstance(expected, dict):
        assert {k: c.value for k, c in cells.items()} == pytest.approx(expected)
        assert not any(c.hidden for c in cells.values())
    else:
        assert all(c.hidden and c.value is None for c in cells.values()), cells
        if expected == "small_complement":
            assert {c.reason for c in cells.values()} == {"small_complement"}


def test_staff_see_the_band_whole_and_no_outcomes_means_no_band():
    from ui.data import band_cells

    cells = band_cells({"duos": 4, "responded": 3, "low": 3}, suppress=False)
    assert {k: c.value for k, c in cells.items()} == pytest.approx({"low": 3 / 4, "high": 4 / 4, "coverage": 3 / 4})
    cells = band_cells({"duos": 4, "responded": None, "low": None}, suppress=True)
    assert all(c.value is None and not c.hidden for c in cells.values())


@pytest.mark.usefixtures("navigation_app")
@pytest.mark.parametrize("role, outcome", [("manager", None), ("funder", None), ("funder", "job")])
def test_the_overview_band_as_each_role_sees_it(tiny_v2_store, monkeypatch, role, outcome):  # noqa: F811
    from ui import fmt

    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_v2_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY_V2))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["role"] = role
    for key, value in {**VIEW, **({"outcome": outcome} if outcome else {})}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    rate = next(m for m in at.metric if m.label == "Positive exit rate")
    if role == "manager":
        # the four duos that ended: D7, D8, D12 positive, D6 without an exit outcome -> 3/4 to 4/4,
        # 3 of the 4 with the outcome recorded
        assert any(f"between {fmt.percent(3 / 4)} and {fmt.percent(1.0)}" in c and
                   f"{fmt.percent(3 / 4)} of the duos" in c for c in captions), captions
    else:
        # 4 duos (< 5) and 1 lacking the row: neither the rate nor its band is shown, under any definition
        assert rate.value == "*"
        assert any("non-response band is not shown" in c for c in captions), captions
        assert not any("between" in c and "%" in c for c in captions), captions
