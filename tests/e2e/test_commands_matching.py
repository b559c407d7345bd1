"""``python -m analytics matches``: the command as the matching meeting runs it,
from a folder and from a store, with bad input said on standard error."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.analytics.engine.test_matching import DUOS, MENTEES, MENTORS
from tests.conftest import write_programme

ROOT = Path(__file__).resolve().parents[2]


def cli(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, argv)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def folder(tmp_path: Path) -> Path:
    # the engine test's programme, plus MR11 whose languages name an unknown code
    mentors = MENTORS.rstrip() + "\n    MR11,East,2023-01-01,1960-01-01,M,retail,2023-02-01,,fr;zz\n"
    return write_programme(tmp_path / "programme", {"mentors": mentors, "mentees": MENTEES, "duos": DUOS})


def test_matches_json_from_a_folder_then_from_the_store(tmp_path):
    source = folder(tmp_path)
    done = cli("matches", "--data", source, "--as-of", "2024-06-30", "--top", "2")
    assert done.returncode == 0, done.stderr
    # MR11 is rejected (zz is no ISO 639-1 code), said on standard error; the rest loads
    assert "mentors.csv row 11 column languages value 'fr;zz'" in done.stderr
    assert "(unknown: zz)" in done.stderr
    mentees = json.loads(done.stdout)
    # as worked out in tests/analytics/engine/test_matching.py
    assert [(m["mentee_id"], m["waiting_days"], [s["mentor_id"] for s in m["suggestions"]])
            for m in mentees] == [
        ("ME1", 60, ["MR1", "MR3"]), ("ME3", 60, ["MR1", "MR2"]), ("ME2", 29, ["MR2", "MR1"]),
        ("ME11", 20, ["MR8"]), ("ME7", 10, [])]
    assert mentees[0]["suggestions"][0] == {
        "mentor_id": "MR1", "score": 5, "reasons": ["same sector: construction", "languages in common: ar"]}
    assert mentees[-1]["reason"] == "branch North has no mentors"

    store = tmp_path / "store"
    assert cli("import", source, "--db", store).returncode == 1   # MR11 rejected, the rest imported
    again = cli("matches", "--db", store, "--as-of", "2024-06-30", "--top", "2")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == mentees


def test_matches_table_branch_filter_and_bad_input(tmp_path):
    source = folder(tmp_path)
    table = cli("matches", "--data", source, "--as-of", "2024-06-30", "--branch", "North", "--format", "table")
    assert table.returncode == 0
    assert table.stdout.splitlines() == [
        "as of 2024-06-30: 1 mentee(s) waiting in branch North",
        "ME7          North          10 days  none: branch North has no mentors"]
    assert "no suggestion on 2024-06-30 in branch North: branch North has no mentors" in table.stderr

    widened = cli("matches", "--data", source, "--as-of", "2024-06-30", "--branch", "North",
                  "--all-branches", "--top", "1")
    assert [s["mentor_id"] for s in json.loads(widened.stdout)[0]["suggestions"]] == ["MR1"]

    unknown = cli("matches", "--data", source, "--branch", "Atlantis")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "error: no mentee or mentor in branch 'Atlantis'" in unknown.stderr
    assert cli("matches", "--data", source, "--top", "0").returncode == 2

    nobody = cli("matches", "--data", source, "--as-of", "2024-06-30", "--branch", "West",
                 "--as-of", "2023-01-05")
    assert json.loads(nobody.stdout) == []
    assert "no mentee waiting on 2023-01-05 in branch West" in nobody.stderr
