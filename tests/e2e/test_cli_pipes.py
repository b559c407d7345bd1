"""The command line in a pipe: a reader that stops early (``| head -1``) is not
an error. The command ends quietly with its own exit code and the import it
was making is committed whole. Real subprocesses and real pipes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.store.snapshots import Store
from tests.e2e.test_commands_data import with_rejections

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"


def piped(argv: list, read_lines: int) -> tuple[int, list[bytes], str]:
    """Run the CLI with standard output on a pipe; read ``read_lines`` lines
    (0: close it at once, before the command writes anything), then close it
    as ``head`` does. The exit code, the lines read and standard error."""
    proc = subprocess.Popen([sys.executable, "-m", "analytics", *map(str, argv)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = [proc.stdout.readline() for _ in range(read_lines)]
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=300), lines, err


@pytest.mark.parametrize("read_lines", [0, 1])
def test_import_into_a_closed_pipe_commits_and_exits_0(tmp_path, read_lines):
    db = tmp_path / "store"
    code, lines, err = piped(["import", TINY, "--db", db], read_lines)
    assert (code, err) == (0, "")
    if read_lines:
        assert lines[0].startswith(b"Source: ")
    # the store holds the whole import: the tiny example's 20 meetings and 11 duos
    con = Store(db).connect()
    assert con.execute("select count(*) from meetings").fetchone()[0] == 20
    assert con.execute("select count(*) from duos").fetchone()[0] == 11


def test_import_with_rejections_into_a_closed_pipe_keeps_exit_1(tmp_path):
    # with_rejections: 3 rows rejected, ME1 and ST2 load
    db = tmp_path / "store"
    code, _lines, err = piped(["import", with_rejections(tmp_path / "src"), "--db", db], 0)
    assert (code, err) == (1, "")
    assert Store(db).connect().execute("select mentee_id from mentees").fetchall() == [("ME1",)]


@pytest.mark.parametrize("argv", [
    ["indicators", "--data", TINY, "--format", "json"],
    ["validate", TINY, "--format", "json"],
    ["validate", TINY],
])
@pytest.mark.parametrize("read_lines", [0, 1])
def test_reports_into_a_closed_pipe_exit_0_quietly(argv, read_lines):
    code, _lines, err = piped(argv, read_lines)
    assert (code, err) == (0, "")


def test_validate_json_has_counts_issues_and_the_exit_code(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "analytics", "validate", str(with_rejections(tmp_path / "src")),
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and proc.stderr == ""
    document = json.loads(proc.stdout)
    counts = {t["table"]: (t["read"], t["loaded"], t["rejected"]) for t in document["tables"] if t["present"]}
    assert counts["mentees"] == (2, 1, 1) and counts["staff"] == (2, 1, 1)
    assert document["rejected"] == 3
    assert document["issues"][0] == {"severity": "rejected", "file_name": "mentees.csv", "row_number": 3,
                                     "column_name": "applied_on", "value": "=1+1",
                                     "reason": "not a date (YYYY-MM-DD)"}


def test_import_json_says_what_was_imported(tmp_path):
    db = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-m", "analytics", "import", str(TINY), "--db", str(db),
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stderr == ""
    document = json.loads(proc.stdout)
    assert document["imported"]["snapshot"] == Store(db).current_token()
    assert document["rejected"] == 0 and document["eligibility_exceptions"] == 4


def test_the_report_file_is_replaced_whole(tmp_path):
    report = tmp_path / "issues.json"
    report.write_text("old", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "analytics", "validate", str(TINY), "--report", str(report)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0
    assert json.loads(report.read_text(encoding="utf-8"))["rejected"] == 0
    # no temporary file left (the tests' audit log lives in tmp_path too)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "audit.log") == ["issues.json"]


def test_a_bad_thread_setting_is_a_bad_argument(tmp_path):
    env = {**os.environ, "DUO_IMPACT_THREADS": "many"}
    proc = subprocess.run([sys.executable, "-m", "analytics", "indicators", "--data", str(TINY)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: DUO_IMPACT_THREADS must be a whole number of threads ≥ 1, not 'many'"
    assert proc.stdout == ""
