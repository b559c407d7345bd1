"""The `indicators` and `at-risk` commands: the handbook's command-line contract."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_indicators_json_has_every_key_and_exits_0():
    r = run("indicators", "--data", str(TINY), "--as-of", "2024-06-30", "--from", "2024-01-01",
            "--to", "2024-06-30", "--branch", "West", "--format", "json")
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    # west_h1 of the worked example: 5 applications, 2 realized, cost per duo 1500 / 2
    assert (figures["mentee_applications"], figures["duos_realized"], figures["cost_per_duo_eur"]) == (5, 2, 750)


@pytest.mark.parametrize("args, message", [
    (("--from", "2024-01-01"), "go together"),
    (("--from", "2024-03-01", "--to", "2024-02-01"), "after it ends"),
    (("--as-of", "2023-12-31", "--from", "2024-01-01", "--to", "2024-02-01"), "before the period"),
    (("--as-of", "30/06/2024"), "YYYY-MM-DD"),
])
def test_bad_arguments_exit_2_with_nothing_on_stdout(args, message):
    r = run("indicators", "--data", str(TINY), *args, "--format", "json")
    assert (r.returncode, r.stdout) == (2, "")
    assert message in r.stderr


def test_input_that_stops_the_import_exits_2(tmp_path):
    shutil.copytree(TINY, tmp_path / "data")
    (tmp_path / "data" / "duos.csv").unlink()  # a required table
    for command in ("indicators", "at-risk"):
        r = run(command, "--data", str(tmp_path / "data"), "--format", "json")
        assert (r.returncode, r.stdout) == (2, "")
        assert "duos" in r.stderr


def test_rejected_rows_go_to_stderr_and_the_figures_come_from_the_rest(tmp_path):
    shutil.copytree(TINY, tmp_path / "data")
    with open(tmp_path / "data" / "meetings.csv", "a", encoding="utf-8") as fh:
        fh.write("MT99,D1,2024-13-01,1,phone\n")  # no 13th month: rejected
    r = run("at-risk", "--data", str(tmp_path / "data"), "--as-of", "2024-06-30", "--format", "json")
    assert r.returncode == 0
    assert "meetings.csv row 22" in r.stderr and "met_on" in r.stderr
    assert [d["duo_id"] for d in json.loads(r.stdout)] == ["D5", "D6", "D2", "D4", "D8"]


def test_table_format_is_for_people():
    r = run("indicators", "--data", str(TINY), "--format", "table")
    assert r.returncode == 0
    assert "Cost per duo" in r.stdout and "€714" in r.stdout and "42.9%" in r.stdout


def test_indicators_compare_previous_adds_the_same_days_one_year_earlier():
    # The default query of the worked example: as of 2024-07-10 (its latest event), the year 2024
    # still running -> compared with 2023-01-01..2023-07-10, as of the same 2024-07-10.
    # duos_realized then: first meetings D9 (2023-06-15) and D10 (2023-06-30) -> 2; the stock
    # realized on 2023-07-10: the same two -> 2; mentee applications in the window: ME13 (05-20)
    # and ME14 (06-01) -> 2.
    r = run("indicators", "--data", str(TINY), "--compare", "previous", "--format", "json")
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    previous = figures["previous"]
    assert (previous["from"], previous["to"]) == ("2023-01-01", "2023-07-10")
    assert set(previous) == set(figures) - {"as_of", "previous", "fingerprint"}
    assert (previous["duos_realized"], previous["duos_realized_cumulative"],
            previous["mentee_applications"]) == (2, 2, 2)
    # without --compare the output is the handbook's, unchanged
    plain = json.loads(run("indicators", "--data", str(TINY), "--format", "json").stdout)
    assert plain == {k: v for k, v in figures.items() if k != "previous"}


def test_report_xlsx_is_made_again_byte_for_byte_and_carries_the_fingerprint(tmp_path):
    import io
    import os

    from openpyxl import load_workbook

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        out = tmp_path / name
        r = subprocess.run([sys.executable, "-m", "analytics", "report", "--data", str(TINY), "--format", "xlsx",
                            "--outcome", "job", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                           timeout=300, env=env)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    wb = load_workbook(io.BytesIO(outs[0]))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any('"snapshot_id"' in t for t in texts)
    assert "Outcome definition: job (employed or self-employed)." in texts


def test_report_names_the_funder_given_and_no_other(tmp_path):
    out = tmp_path / "r.csv"
    r = subprocess.run([sys.executable, "-m", "analytics", "report", "--data", str(TINY), "--format", "csv",
                        "--role", "funder", "--funder", "FundA", "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    text = out.read_bytes().decode("utf-8-sig")
    assert "FundA (your funding)" in text
    assert "CityX" not in text and "EUF" not in text
