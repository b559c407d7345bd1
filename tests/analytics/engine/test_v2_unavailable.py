"""A figure that cannot be computed because a table it reads was not provided is
named with the reason (handbook v2: worked_90d_rate_12m is null when `jobs` is
absent): ``engine.unavailable`` and the command line's ``"unavailable"`` map,
on tests/fixtures/tiny_v2 (A = 2025-06-30, period 2025-01-01 – 2025-06-30)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from analytics.engine import query as engine
from analytics.engine.query import Query
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

TINY_V2 = FIXTURES / "tiny_v2"
D = dt.date.fromisoformat
QUERY = Query(D("2025-06-30"), D("2025-01-01"), D("2025-06-30"))


@pytest.fixture(scope="module")
def without_jobs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("v2") / "no_jobs"
    shutil.copytree(TINY_V2, folder)
    (folder / "jobs.csv").unlink()
    return folder


def test_without_jobs_the_90_day_measure_is_unavailable_with_its_reason(without_jobs):
    con, _ = open_dataset(without_jobs)
    figures = engine.indicators(con, QUERY)
    gone = engine.unavailable(con, figures)
    assert figures["worked_90d_rate_12m"] is None
    assert gone["worked_90d_rate_12m"] == ("jobs",)
    assert engine.unavailable_reason(gone["worked_90d_rate_12m"]) == "the jobs table was not provided"
    # tiny_v2 has no meetings.csv either: median weekly hours is unavailable for the same kind of reason
    assert gone["median_weekly_hours"] == ("meetings",)
    # a figure that has its tables is never listed, null or not
    assert "positive_exit_rate" not in gone and "followup_12m_overdue" not in gone


def test_with_jobs_a_null_figure_is_not_unavailable():
    con, _ = open_dataset(TINY_V2)
    # branch S: no duo's 12-month mark falls in the period, so the rate is not defined (nothing to
    # count), but the jobs table is there: null, and not "unavailable"
    figures = engine.indicators(con, Query(QUERY.as_of, QUERY.period_from, QUERY.period_to, ("S",)))
    assert figures["worked_90d_rate_12m"] is None
    assert "worked_90d_rate_12m" not in engine.unavailable(con, figures)
    # the whole filter: D2 of D1, D2, D3 worked at least 90 days (hand-worked in test_indicators_v2)
    figures = engine.indicators(con, QUERY)
    assert figures["worked_90d_rate_12m"] == pytest.approx(1 / 3)
    assert "worked_90d_rate_12m" not in engine.unavailable(con, figures)


def _cli(folder, *args):
    return subprocess.run([sys.executable, "-m", "analytics", "indicators", "--data", str(folder), "--as-of",
                           "2025-06-30", "--from", "2025-01-01", "--to", "2025-06-30", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_json_gives_null_and_the_reason(without_jobs):
    done = _cli(without_jobs)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["worked_90d_rate_12m"] is None
    assert got["unavailable"]["worked_90d_rate_12m"] == "the jobs table was not provided"
    done = _cli(TINY_V2)
    got = json.loads(done.stdout)
    assert got["worked_90d_rate_12m"] == pytest.approx(1 / 3) and "worked_90d_rate_12m" not in got["unavailable"]


def test_cli_table_says_not_available(without_jobs):
    done = _cli(without_jobs, "--format", "table")
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if "Recorded in work" in line)
    assert line.rstrip().endswith("not available: the jobs table was not provided")
