"""Data completeness per table, field and branch on tests/fixtures/tiny_v2 (A = 2025-06-30)."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from analytics.engine.completeness import COLUMNS, WEAKENS, completeness, rows_to_complete
from analytics.engine.query import Query
from analytics.engine.registry import INDICATORS
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

A = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def con():
    con, result = open_dataset(FIXTURES / "tiny_v2")
    assert result.rejected_count == 0
    return con


# staff_at_first_meeting: realized duos N = D1-D9, D12 (10), D9's empty -> 9; S = D11 -> 1/1.
# coordinator_id: open on A: N D9 (C1), D10 (C3 starts after A: empty) -> 1/2; S D11 -> 1/1.
# exit: realized, ended N: D1-D8, D12 (9); exits D1, D3, D7, D8, D12 -> 5.
# followup_3m: marks passed for D1-D8 (D12's is 07-30) -> 8; done D4, D8 -> 2.
# followup_6m: D1-D5 (D6's mark is 2025-08-21) -> 5; done D5 -> 1.
# followup_12m: D1, D2, D3 -> 3; done D1, D3 -> 2.
EXPECTED = [
    ("duos", "staff_at_first_meeting", "N", 10, 9), ("duos", "staff_at_first_meeting", "S", 1, 1),
    ("duos", "coordinator_id", "N", 2, 1), ("duos", "coordinator_id", "S", 1, 1),
    ("outcomes", "exit", "N", 9, 5), ("outcomes", "followup_3m", "N", 8, 2),
    ("outcomes", "followup_6m", "N", 5, 1), ("outcomes", "followup_12m", "N", 3, 2),
]


def test_share_filled_per_field_and_branch(con):
    frame = completeness(con, Query(A))
    assert list(frame.columns) == COLUMNS
    assert [tuple(r[:5]) for r in frame.itertuples(index=False)] == EXPECTED
    assert frame["share"].tolist() == pytest.approx([f / n for *_, n, f in EXPECTED])


def test_rows_to_complete_are_the_empty_ones(con):
    missing = rows_to_complete(con, Query(A))
    assert len(missing) == sum(n - f for *_, n, f in EXPECTED) == 17
    assert set(missing[missing["field"] == "coordinator_id"]["duo_id"]) == {"D10"}
    assert set(missing[missing["field"] == "followup_12m"]["duo_id"]) == {"D2"}
    assert rows_to_complete(con, Query(A, branches=("S",))).empty


def test_fields_of_absent_tables_are_left_out(tmp_path):
    folder = tmp_path / "no_staff"
    shutil.copytree(FIXTURES / "tiny_v2", folder)
    (folder / "staff.csv").unlink()
    (folder / "outcomes.csv").unlink()
    con, _ = open_dataset(folder)
    assert set(completeness(con, Query(A))["field"]) == {"staff_at_first_meeting"}


def test_each_field_names_the_figures_it_weakens():
    for keys in WEAKENS.values():
        assert keys and all(k in INDICATORS for k in keys)
