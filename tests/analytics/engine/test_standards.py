"""The standards panel: each standard's figure, the standard, met or not, per branch.

On tests/fixtures/tiny_v2 (A = 2025-06-30, [F, T] = [2025-01-01, 2025-06-30]);
the figures themselves are worked out in test_indicators_v2.py, the two not
there by hand below.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.engine import standards
from analytics.engine.query import Query
from analytics.engine.registry import INDICATORS
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

D = dt.date.fromisoformat
Q = Query(D("2025-06-30"), D("2025-01-01"), D("2025-06-30"))


@pytest.fixture(scope="module")
def con():
    con, result = open_dataset(FIXTURES / "tiny_v2")
    assert result.rejected_count == 0
    return con


def test_the_table_names_registry_figures_with_their_direction_and_a_source():
    assert [s.key for s in standards.STANDARDS] == [
        "pre_match_training", "monthly_staff_contact", "staff_at_first_meeting", "matched_within_30_days",
        "closed_before_term", "mentor_return"]
    for s in standards.STANDARDS:
        assert s.direction == INDICATORS[s.figure].good_direction
        assert 0 <= s.threshold <= 1 and 0 <= s.standard <= 1 and len(s.source) > 40
    # the field's published figures (the issue): STAR 2018 about 30 %, DUO for a JOB 82 %
    by = standards.STANDARDS_BY_KEY
    assert (by["closed_before_term"].figure, by["closed_before_term"].standard) == ("closed_before_term_rate", 0.30)
    assert (by["mentor_return"].figure, by["mentor_return"].standard) == ("mentor_return_rate_12m", 0.82)


@pytest.mark.parametrize("key, value, met", [
    ("mentor_return", 0.82, True), ("mentor_return", 0.8199, False),
    ("closed_before_term", 0.30, True), ("closed_before_term", 0.31, False),
    ("pre_match_training", None, None),
])
def test_met_at_the_threshold(key, value, met):
    assert standards.is_met(standards.STANDARDS_BY_KEY[key], value) is met


# value, met per branch (None = the whole filter). Worked out (test_indicators_v2 for the v2 keys):
# staff_at_first_meeting_rate: first meetings in the period D8 (false), D9 (empty: no), D11 (S, true)
#   -> all 1/3, N 0/2, S 1/1.
# matched_within_30d_rate: first duos matched in the period: D8 (E8 applied 2024-12-20, 26 days),
#   D9 (28 days), D10 (31 days: no), D11 (S, 22 days) -> all 3/4, N 2/3, S 1/1.
EXPECTED = {
    None: {"pre_match_training": (1 / 2, False), "monthly_staff_contact": (5 / 12, False),
           "staff_at_first_meeting": (1 / 3, False), "matched_within_30_days": (3 / 4, False),
           "closed_before_term": (1 / 4, True), "mentor_return": (2 / 3, False)},
    "N": {"pre_match_training": (1 / 3, False), "monthly_staff_contact": (1 / 2, False),
          "staff_at_first_meeting": (0.0, False), "matched_within_30_days": (2 / 3, False),
          "closed_before_term": (1 / 4, True), "mentor_return": (2 / 3, False)},
    "S": {"pre_match_training": (1.0, True), "monthly_staff_contact": (1 / 4, False),
          "staff_at_first_meeting": (1.0, True), "matched_within_30_days": (1.0, True),
          "closed_before_term": (None, None), "mentor_return": (None, None)},
}


def test_standards_per_branch(con):
    frame = standards.standards(con, Q)
    assert list(frame.columns) == standards.COLUMNS
    assert list(dict.fromkeys(frame["branch"])) == [None, "N", "S"]
    for row in frame.itertuples():
        value, met = EXPECTED[row.branch][row.standard]
        assert pd.isna(row.value) == (value is None), (row.branch, row.standard)
        if value is not None:
            assert row.value == pytest.approx(value), (row.branch, row.standard)
        assert row.met is met, (row.branch, row.standard)


def test_a_filter_gives_its_branches_only(con):
    frame = standards.standards(con, Query(Q.as_of, Q.period_from, Q.period_to, ("S",)))
    assert list(dict.fromkeys(frame["branch"])) == [None, "S"]
    whole = frame[frame["branch"].isna()].set_index("standard")["value"]
    assert whole["pre_match_training"] == 1.0


def test_standards_over_time(con):
    frame = standards.standards_over_time(con, Q, grain="quarter")
    assert len(frame) == 2 * len(standards.STANDARDS)
    q1 = frame[frame["period_from"] == D("2025-01-01")].set_index("standard")
    # Q1: matched D8, D9, D11 -> trained: D11 only (1/3); Q2: D10 (R1 trained) -> 1/1
    assert q1.loc["pre_match_training", "value"] == pytest.approx(1 / 3)
    q2 = frame[frame["period_from"] == D("2025-04-01")].set_index("standard")
    assert q2.loc["pre_match_training", "value"] == 1.0 and q2.loc["pre_match_training", "met"] is True


def test_docs_are_generated_from_the_table():
    assert standards.DOC_PATH.read_text(encoding="utf-8") == standards.standards_markdown(), \
        "docs/standards.md is stale: run python -m analytics.engine.standards"
