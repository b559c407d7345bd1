"""What funder output needs to suppress the v2 keys: the registry's suppression
metadata (every v2 key has its rule, matching its unit) and the counts behind each
non-response band (``followups.band_counts``), hand-worked on tests/fixtures/tiny_v2
(A = 2025-06-30, period 2025-01-01 – 2025-06-30)."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.engine import query as engine
from analytics.engine.followups import band_counts
from analytics.engine.query import Query
from analytics.engine.registry import BANDS, FUNDER_SUPPRESSION, HANDBOOK_KEYS, INDICATORS
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

D = dt.date.fromisoformat
A, F, T = D("2025-06-30"), D("2025-01-01"), D("2025-06-30")

V2_KEYS = ("trained_before_match_rate", "monthly_check_in_rate", "closed_before_term_rate", "mentor_return_rate_12m",
           "free_trained_mentors", "mentees_waiting_over_30d", "staff_at_first_meeting_recorded_rate",
           "coordinator_recorded_rate", "followup_3m_coverage", "followup_6m_coverage", "followup_12m_overdue",
           "positive_rate_12m", "job_rate_12m_low", "job_rate_12m_high", "positive_exit_rate_high",
           "worked_90d_rate_12m")


@pytest.fixture(scope="module")
def con():
    con, _ = open_dataset(FIXTURES / "tiny_v2")
    return con


@pytest.mark.parametrize("key", V2_KEYS)
def test_every_v2_key_has_a_funder_rule_that_fits_its_unit(key):
    assert key in HANDBOOK_KEYS
    rule = FUNDER_SUPPRESSION[key]
    unit = INDICATORS[key].unit
    assert (rule == "count") == (unit == "count"), (key, rule, unit)
    assert rule in ("count", "rate", "band")


def test_the_band_ends_are_band_keys():
    for rate, (low, high, coverage) in BANDS.items():
        assert FUNDER_SUPPRESSION[high] == "band"
        assert low == rate or FUNDER_SUPPRESSION[low] == "band"   # v1's rate is the lowest end of its own band
        assert INDICATORS[coverage].unit == "rate"


@pytest.mark.parametrize("outcome, exit_low", [
    # ended in the period: D6 (no exit outcome), D7, D8 (employed), D12 (internship) -> 4 duos, 3 responded;
    # positive under each definition: 3 (positive), 2 (job: D7, D8), 1 (stable_job: D8's fixed_term)
    ("positive", 3), ("job", 2), ("stable_job", 1),
])
def test_band_counts(con, outcome, exit_low):
    got = band_counts(con, Query(A, F, T, (), outcome))
    assert got["positive_exit_rate"] == {"duos": 4, "responded": 3, "low": exit_low}
    # 12-month mark in the period: D1, D2, D3; with a followup_12m: D1, D3; in a job: D1 only
    assert got["job_rate_12m"] == {"duos": 3, "responded": 2, "low": 1}
    # the counts give the engine's band back
    figures = engine.indicators(con, Query(A, F, T, (), outcome))
    for rate, (low_key, high_key, _coverage) in BANDS.items():
        c = got[rate]
        assert figures[low_key] == pytest.approx(c["low"] / c["duos"])
        assert figures[high_key] == pytest.approx((c["low"] + c["duos"] - c["responded"]) / c["duos"])


def test_band_counts_by_branch_and_without_outcomes(con, tmp_path):
    import shutil

    # nothing ended in S, no 12-month mark there
    got = band_counts(con, Query(A, F, T, ("S",)))
    assert got == {"positive_exit_rate": {"duos": 0, "responded": 0, "low": None},
                   "job_rate_12m": {"duos": 0, "responded": 0, "low": None}}
    folder = tmp_path / "no_outcomes"
    shutil.copytree(FIXTURES / "tiny_v2", folder)
    (folder / "outcomes.csv").unlink()
    bare, _ = open_dataset(folder)
    got = band_counts(bare, Query(A, F, T))
    assert got["positive_exit_rate"] == {"duos": 4, "responded": None, "low": None}
