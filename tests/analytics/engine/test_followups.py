"""Follow-up coverage per cohort and branch on tests/fixtures/tiny_v2 (A = 2025-06-30).

Marks: 3 months = end + 91, 6 months = end + 182, 12 months = end + 365; due when
the mark is <= A, overdue when it is <= A - 30 = 2025-05-31 with no follow-up.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from analytics.engine.followups import COLUMNS, followup_coverage
from analytics.engine.query import Query
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

A = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def con():
    con, result = open_dataset(FIXTURES / "tiny_v2")
    assert result.rejected_count == 0
    return con


# Cohort 2024 (N): D1 (ended 03-01), D2 (05-20), D3 (06-25), D4 (11-15), D5 (08-10).
#   3 months: marks 2024-05-31, 08-19, 09-24, 2025-02-14, 2024-11-09: all due (5); done D4 (O06);
#     overdue the other 4.
#   6 months: marks 2024-08-30, 11-18, 12-24, 2025-05-16, 2025-02-08: all due; done D5 (O07);
#     overdue 4 (D4's 05-16 is before 05-31).
#   12 months: D1 (2025-03-01), D2 (05-20), D3 (06-25) due; D4, D5 not yet. Done D1 (O02/O03),
#     D3 (O05); overdue D2 (D3's mark is less than 30 days ago).
# Cohort 2025 (N): D6 (02-20), D7 (01-03), D8 (03-15), D12 (04-30).
#   3 months: D6 (05-22), D7 (04-04), D8 (06-14) due, D12 (07-30) not; done D8 (O11; D7's O09 is
#     recorded after A); overdue D6, D7. 6 and 12 months: nothing due yet.
# S has no ended duo: no row.
EXPECTED = [
    (2024, "N", "followup_3m", 5, 1, 4, 1 / 5),
    (2024, "N", "followup_6m", 5, 1, 4, 1 / 5),
    (2024, "N", "followup_12m", 3, 2, 1, 2 / 3),
    (2025, "N", "followup_3m", 3, 1, 2, 1 / 3),
    (2025, "N", "followup_6m", 0, 0, 0, None),
    (2025, "N", "followup_12m", 0, 0, 0, None),
]


def test_due_done_overdue_and_coverage(con):
    frame = followup_coverage(con, Query(A))
    assert list(frame.columns) == COLUMNS
    got = [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
    assert [g[:6] for g in got] == [e[:6] for e in EXPECTED]
    for g, e in zip(got, EXPECTED):
        assert g[6] == (None if e[6] is None else pytest.approx(e[6]))


def test_it_agrees_with_the_handbooks_overdue_count(con):
    # the 12-month overdue duos of cohort 2024 are the handbook's followup_12m_overdue for 2025 H1
    from analytics.engine import query as engine

    frame = followup_coverage(con, Query(A))
    overdue = frame[(frame["stage"] == "followup_12m")]["overdue"].sum()
    assert overdue == engine.indicators(con, Query(A, dt.date(2025, 1, 1), A))["followup_12m_overdue"] == 1


def test_branch_filter_and_absent_outcomes(con, tmp_path):
    assert followup_coverage(con, Query(A, branches=("S",))).empty
    assert len(followup_coverage(con, Query(A, branches=("N",)))) == 6
    folder = tmp_path / "no_outcomes"
    shutil.copytree(FIXTURES / "tiny_v2", folder)
    (folder / "outcomes.csv").unlink()
    without, _ = open_dataset(folder)
    assert followup_coverage(without, Query(A)).empty
