"""The handbook's v2 keys on the second worked example, tests/fixtures/tiny_v2.

Query: A = 2025-06-30, [F, T] = [2025-01-01, 2025-06-30], so d = 2025-06-30.
Each expected value is worked out by hand from the CSV files, in the comment
beside it (duos D1–D12, mentors R1–R11, mentees E1–E12 and W1–W5).
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from analytics.engine import query as engine
from analytics.engine.query import Query
from analytics.records.importer import open_dataset
from tests.conftest import FIXTURES

TINY_V2 = FIXTURES / "tiny_v2"
D = dt.date.fromisoformat
A, F, T = D("2025-06-30"), D("2025-01-01"), D("2025-06-30")


@pytest.fixture(scope="module")
def con():
    con, result = open_dataset(TINY_V2)
    assert result.rejected_count == 0
    return con


def figures(con, branches=(), outcome="positive", min_days=90):
    return engine.indicators(con, Query(A, F, T, tuple(branches), outcome, min_days))


EXPECTED = {
    # Waiting on d: eligible, applied <= d, never matched, not withdrawn: W1 (applied 05-30, 31 days),
    # W2 (05-31, 30 days), W3 (S, 01-10, 171 days); W4 withdrew 03-01, W5 is ineligible.
    # Over 30 days: W1 and W3 = 2 (W2's 30 is not > 30).
    "mentees_waiting_over_30d": 2,
    # Trained by d, not left, no duo open on d: R2 (D2, D6 ended), R3 (D3 ended), R4 (D5, D7 ended),
    # R8 (no duo), R10 (S, no duo) = 5. Not: R1 (D10 matched, not started: open), R5 and R11
    # (untrained), R6 (D9 open), R7 (D11 open), R9 (left 05-01).
    "free_trained_mentors": 5,
    # Matched in [F, T]: D8 (R5 untrained), D9 (R6 trained 03-05 > matched 03-01), D10 (R1 trained
    # 2023-11-01), D11 (R7 trained 02-01 = matched 02-01: on or before) -> 2/4.
    "trained_before_match_rate": 2 / 4,
    # Whole months Jan..Jun 2025 on every day of which the duo is active (first meeting <= the 1st,
    # ended after the last day): D6 Jan (ended 02-20); D7 none (ended 01-03); D8 Feb (first 02-01,
    # ended 03-15); D9 Apr, May, Jun (first 03-10); D11 (S) Mar, Apr, May, Jun (first 02-03);
    # D12 Jan, Feb, Mar (ended 04-30); D10 never started. 12 duo-months.
    # With a check-in in the month: D6 Jan (K1), D9 Apr (K3, K4: once), D9 Jun (K5 on 06-30),
    # D11 Mar (K6 on 03-31), D12 Feb (K8) = 5. K2 (D8, 03-01) is in March, not a counted month of
    # D8; K7 (07-01) is after A. -> 5/12.
    "monthly_check_in_rate": 5 / 12,
    # Realized, ended in [F, T]: D6 (133 days, mentor_withdrew: yes), D7 (182 days exactly: not
    # < 182), D8 (42 days but job_found), D12 (176 days but completed) -> 1/4.
    "closed_before_term_rate": 1 / 4,
    # End + 365 in [F, T] and <= A: D1 (2025-03-01), D2 (2025-05-20), D3 (2025-06-25).
    # D1's R1 has D4 matched 2024-09-01 in (2023-12-01, 2025-03-01]: yes (D10, 2025-04-01, is
    # past the window); D2's R2 has D6 matched 2024-10-01 in (2023-12-15, 2025-05-20]: yes;
    # D3's R3 has no other duo -> 2/3.
    "mentor_return_rate_12m": 2 / 3,
    # First meeting in [F, T]: D8 (false: recorded), D9 (empty), D11 (true) -> 2/3.
    "staff_at_first_meeting_recorded_rate": 2 / 3,
    # Open on d: D9 (C1), D10 (C3 starts 2025-07-15, after A: read as empty), D11 (C2) -> 2/3.
    "coordinator_recorded_rate": 2 / 3,
    # 3-month mark (end + 91) in [F, T] and <= A: D4 (02-14), D6 (05-22), D7 (04-04), D8 (06-14).
    # With a followup_3m by A: D4 (O06), D8 (O11); D7's O09 is recorded after A -> 2/4.
    "followup_3m_coverage": 2 / 4,
    # 6-month mark (end + 182) in [F, T]: D4 (2025-05-16, none), D5 (2025-02-08, O07) -> 1/2.
    "followup_6m_coverage": 1 / 2,
    # 12-month mark in [F, min(T, A - 30) = 2025-05-31]: D1 (has O02, O03), D2 (none) -> 1.
    # D3's mark 06-25 is after 05-31 (not yet overdue).
    "followup_12m_overdue": 1,
    # 12-month mark in [F, T] and <= A: D1, D2, D3. With a followup_12m: D1 (latest O03, 03-05:
    # employed), D3 (O05 training, recorded 06-20 before its mark: it counts). Both positive -> 2/2.
    "positive_rate_12m": 1.0,
    # Same three duos; a job at the latest followup_12m: D1 only; D2 did not respond.
    # low: D1 -> 1/3; high: D1 and D2 (non-respondent) -> 2/3; v1's job_rate_12m: D1 of D1, D3 = 1/2.
    "job_rate_12m_low": 1 / 3,
    "job_rate_12m": 1 / 2,
    "job_rate_12m_high": 2 / 3,
    # Ended in [F, T]: D6 (no exit), D7 (employed), D8 (employed), D12 (internship): positive 3/4;
    # high counts D6 as positive -> 4/4.
    "positive_exit_rate": 3 / 4,
    "positive_exit_rate_high": 1.0,
    # 12-month mark in [F, T] and <= A: D1, D2, D3; days in work in (end, end + 365]:
    # D1/E1: J1 (02-20..04-10) and J2 (04-01..05-20) overlap on 04-01..04-10; the union in the
    #   window is 2024-03-02..2024-05-20 = 30 + 30 + 20 = 80 days (not 40 + 50 = 90);
    # D2/E2: J3 from 2025-01-01, open (read as A), window ends 2025-05-20: 31+28+31+30+20 = 140;
    # D3/E3: J5 began in 2023 and ended 2024-06-26: 1 day in the window (06-25 excluded);
    #   J4 starts after A (ignored). At least 90 days: D2 -> 1/3.
    "worked_90d_rate_12m": 1 / 3,
    # The only cost row: 1200 in January (N); positive exits D7, D8, D12 -> 400.
    "cost_per_positive_exit_eur": 1200 / 3,
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_v2_key_against_its_hand_worked_value(con, key):
    got = figures(con)
    assert got[key] == pytest.approx(EXPECTED[key], rel=1e-12), key


def test_the_output_states_the_definitions_in_force(con):
    got = figures(con)
    assert (got["outcome_definition"], got["min_days_in_work"]) == ("positive", 90)
    got = figures(con, outcome="stable_job", min_days=80)
    assert (got["outcome_definition"], got["min_days_in_work"]) == ("stable_job", 80)


def test_bands_hold_their_order(con):
    got = figures(con)
    assert got["job_rate_12m_low"] <= got["job_rate_12m"] <= got["job_rate_12m_high"]
    assert got["positive_exit_rate"] <= got["positive_exit_rate_high"]


@pytest.mark.parametrize("branch, expected", [
    # N: waiting W1, W2 -> over 30: W1; free R2, R3, R4, R8; matched D8, D9, D10 -> D10 = 1/3;
    # duo-months without D11: D6 Jan, D8 Feb, D9 Apr-Jun, D12 Jan-Mar = 8, checked 4 (K1, K3, K5,
    # K8) -> 1/2; every ended duo is N: 1/4 and 2/3; first meetings D8, D9 -> 1/2; open D9, D10 -> 1/2.
    ("N", dict(mentees_waiting_over_30d=1, free_trained_mentors=4, trained_before_match_rate=1 / 3,
               monthly_check_in_rate=4 / 8, closed_before_term_rate=1 / 4, mentor_return_rate_12m=2 / 3,
               staff_at_first_meeting_recorded_rate=1 / 2, coordinator_recorded_rate=1 / 2)),
    # S: W3 (171 days); R10 (R7 is busy with D11); D11 trained on its match day; D11's four
    # months, checked in March only (K6) -> 1/4; nothing ended in S -> null rates.
    ("S", dict(mentees_waiting_over_30d=1, free_trained_mentors=1, trained_before_match_rate=1.0,
               monthly_check_in_rate=1 / 4, closed_before_term_rate=None, mentor_return_rate_12m=None,
               staff_at_first_meeting_recorded_rate=1.0, coordinator_recorded_rate=1.0,
               followup_12m_overdue=0, job_rate_12m_low=None, worked_90d_rate_12m=None)),
])
def test_branch_filter(con, branch, expected):
    got = figures(con, (branch,))
    for key, value in expected.items():
        assert got[key] == (None if value is None else pytest.approx(value)), key


@pytest.mark.parametrize("outcome, expected", [
    # job: employed or self-employed. Exits D7, D8 of D6, D7, D8, D12 -> 2/4, high (+D6) 3/4,
    # cost 1200/2; at 12 months D1 of D1, D3 (training is not a job) -> 1/2.
    ("job", dict(positive_exit_rate=2 / 4, positive_exit_rate_high=3 / 4, cost_per_positive_exit_eur=600,
                 positive_rate_12m=1 / 2)),
    # stable_job: D7's exit is employed with an empty contract (not stable); D8's is fixed_term ->
    # 1/4, high 2/4, cost 1200; D1's latest followup_12m (O03) is temp_agency, so its earlier
    # permanent row (O02) does not count -> 0/2.
    ("stable_job", dict(positive_exit_rate=1 / 4, positive_exit_rate_high=2 / 4,
                        cost_per_positive_exit_eur=1200, positive_rate_12m=0.0)),
])
def test_outcome_definitions_change_the_four_keys_only(con, outcome, expected):
    default, got = figures(con), figures(con, outcome=outcome)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key
    changed = {k for k in default if default[k] != got[k]}
    assert changed <= {"outcome_definition", *expected}
    # the job keys keep the job statuses
    assert got["job_exit_rate"] == default["job_exit_rate"] and got["job_rate_12m_low"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("min_days, rate", [
    (1, 3 / 3),    # D3's single day counts
    (80, 2 / 3),   # D1's 80 distinct days count
    (81, 1 / 3),   # only D2's 140
    (140, 1 / 3),
    (141, 0.0),
])
def test_min_days_in_work(con, min_days, rate):
    assert figures(con, min_days=min_days)["worked_90d_rate_12m"] == pytest.approx(rate)


def test_absent_tables_make_their_keys_null(tmp_path):
    import shutil

    folder = tmp_path / "no_jobs_no_outcomes"
    shutil.copytree(TINY_V2, folder)
    (folder / "jobs.csv").unlink()
    con, _ = open_dataset(folder)
    got = figures(con)
    assert got["worked_90d_rate_12m"] is None and got["positive_rate_12m"] == 1.0
    (folder / "outcomes.csv").unlink()
    (folder / "check_ins.csv").unlink()
    (folder / "staff.csv").unlink()
    con, _ = open_dataset(folder)
    got = figures(con)
    for key in ("followup_3m_coverage", "followup_6m_coverage", "followup_12m_overdue", "positive_rate_12m",
                "job_rate_12m_low", "job_rate_12m_high", "positive_exit_rate_high", "monthly_check_in_rate",
                "coordinator_recorded_rate"):
        assert got[key] is None, key
    # the keys that read the required tables only stay
    assert got["closed_before_term_rate"] == pytest.approx(1 / 4) and got["free_trained_mentors"] == 5


def test_a_database_that_predates_the_jobs_table(con):
    # a snapshot imported by an older version has no jobs table and no dataset_tables row for it
    old = con.cursor()
    old.execute("create or replace temp table jobs_backup as select * from jobs")
    try:
        old.execute("drop table jobs")
        old.execute("create or replace temp table dt_backup as select * from dataset_tables")
        old.execute("delete from dataset_tables where table_name = 'jobs'")
        got = figures(old)
        assert got["worked_90d_rate_12m"] is None and got["followup_12m_overdue"] == 1
    finally:
        old.execute("create table jobs as select * from jobs_backup")
        old.execute("delete from dataset_tables")
        old.execute("insert into dataset_tables select * from dt_backup")


def test_a_time_series_carries_the_v2_keys(con):
    series = engine.indicator_series(con, Query(A, F, T), grain="quarter")
    # Q1: first meetings D8 (false), D9 (empty), D11 (true) -> 2/3; Q2: none -> null
    q1, q2 = series["staff_at_first_meeting_recorded_rate"].tolist()
    assert q1 == pytest.approx(2 / 3) and q2 != q2
    # the half-year's overdue count is the sum of the quarters' (marks 03-01 and 05-20: D2 only)
    assert series["followup_12m_overdue"].sum() == 1


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", "indicators", "--data", str(TINY_V2),
                           "--as-of", "2025-06-30", "--from", "2025-01-01", "--to", "2025-06-30", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_outcome_and_min_days():
    done = _cli("--outcome", "stable_job", "--min-days", "80")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert (got["outcome_definition"], got["min_days_in_work"]) == ("stable_job", 80)
    assert got["positive_exit_rate"] == pytest.approx(1 / 4) and got["worked_90d_rate_12m"] == pytest.approx(2 / 3)
    # the table's label says the minimum in force
    table = _cli("--min-days", "80", "--format", "table").stdout
    assert "Recorded in work at least 80 days within 12 months  66.7%" in table and " 90 days" not in table


@pytest.mark.parametrize("args", [("--outcome", "jobs"), ("--min-days", "0"), ("--min-days", "366"),
                                  ("--min-days", "ninety")])
def test_cli_bad_values_exit_2(args):
    done = _cli(*args)
    assert done.returncode == 2 and done.stdout == "" and done.stderr


def test_engine_rejects_bad_values(con):
    with pytest.raises(engine.QueryError):
        figures(con, outcome="jobs")
    with pytest.raises(engine.QueryError):
        figures(con, min_days=0)


def test_targets_accept_the_former_keys(con):
    from analytics.engine import insights

    # targets.csv names trained_mentors_free and mentor_reengagement_rate (aliases) and
    # positive_exit_rate, for the calendar year 2025 and all branches
    year = Query(A, D("2025-01-01"), D("2025-12-31"))
    frame = insights.compare_with_previous(con, year, ("free_trained_mentors", "mentor_return_rate_12m", "positive_exit_rate"))
    assert dict(zip(frame["key"], frame["target"])) == {
        "free_trained_mentors": 6, "mentor_return_rate_12m": 0.82, "positive_exit_rate": 0.6}
    # under another outcome definition the positive keys' targets are not compared
    frame = insights.compare_with_previous(con, Query(A, D("2025-01-01"), D("2025-12-31"), outcome="job"), ("positive_exit_rate",))
    assert frame["target"].isna().all()


@pytest.mark.parametrize("outcome, positive_exits, funnel_positive", [
    # Realized, ended in [F, T]: D6 (no exit outcome), D7 (employed, no contract), D8 (employed,
    # fixed_term), D12 (internship). positive: D7, D8, D12; job: D7, D8; stable_job: D8 only.
    ("positive", 3, 3),
    ("job", 2, 2),
    ("stable_job", 1, 1),
])
def test_breakdowns_costs_and_the_funnel_follow_the_outcome_definition(con, outcome, positive_exits,
                                                                       funnel_positive):
    from analytics.engine import insights

    q = Query(A, F, T, (), outcome)
    breakdown = insights.outcome_breakdown(con, q, "region")
    assert (int(breakdown["duos"].sum()), int(breakdown["positive_exits"].sum())) == (4, positive_exits)
    assert int(insights.cost_series(con, q, "year")["positive_exits"].sum()) == positive_exits
    # the mentees who applied in 2024 (E4–E8, E12), followed to A: realized and ended D4, D5, D6
    # (no exit outcome), D7, D8, D12 as above
    steps = insights.funnel(con, Query(A, D("2024-01-01"), D("2024-12-31"), (), outcome))
    assert steps.set_index("step").loc["funnel_positive_exit", "mentees"] == funnel_positive
