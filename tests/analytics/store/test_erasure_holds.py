"""Erasure that holds (issue 19): an erased person never comes back.

The tiny fixture is imported, mentee ME3 is forgotten, then the same export is
imported again. Worked out by hand from the fixture CSVs (as in
test_privacy.py): ME3 has duos D3 and D4, D3 has meetings MT09 and MT10,
check-in C5, and D3/D4 have outcomes O2 and O3, so the re-import drops
1 + 2 + 2 + 1 + 2 = 8 rows and loads 76 - 8 = 68 (mentees 15 -> 14, duos
11 -> 9, meetings 20 -> 18, check_ins 7 -> 6, outcomes 6 -> 4). Of the 4
eligibility exceptions, the one on mentees.csv row 4 is ME3's and is not
kept; each of the 8 dropped rows gets one warning: 3 + 8 = 11 issues.
"""
from __future__ import annotations

import json

import duckdb
import pytest

from tests.conftest import TINY

AFTER_ME3 = {"mentees": 14, "mentors": 3, "duos": 9, "meetings": 18, "check_ins": 6, "outcomes": 4}


@pytest.fixture
def store(tmp_path, monkeypatch):
    from analytics import cli

    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    path = tmp_path / "store"
    assert cli.main(["import", str(TINY), "--db", str(path)]) == 0
    return path


def _counts(path) -> dict[str, int]:
    from analytics.store import Store

    with Store(path).connect() as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in AFTER_ME3}


def _indicators(store, capsys) -> str:
    from analytics import cli

    capsys.readouterr()
    assert cli.main(["indicators", "--db", str(store), "--as-of", "2026-06-30"]) == 0
    # the figures, without the fingerprint (each import is a snapshot of its own)
    figures = json.loads(capsys.readouterr().out)
    figures.pop("fingerprint")
    return json.dumps(figures, sort_keys=True)


def test_reimport_drops_the_erased_mentee_and_says_so(store, capsys):
    from analytics import cli
    from analytics.report import data
    from analytics.store import Store

    assert cli.main(["forget", "--mentee", "ME3", "--db", str(store)]) == 0
    after_forget = _indicators(store, capsys)
    assert _counts(store) == AFTER_ME3

    assert cli.main(["import", str(TINY), "--db", str(store)]) == 0        # a warning, exit 0
    captured = capsys.readouterr()
    assert "warning: 8 rows dropped (erased): mentees 1, duos 2, meetings 2, check_ins 1, outcomes 2" \
        in captured.err
    assert "Imported 68 rows" in captured.out
    assert _counts(store) == AFTER_ME3
    with Store(store).connect() as con:
        assert con.execute("select count(*) from mentees where mentee_id = 'ME3'").fetchone()[0] == 0
        issues = con.execute("select severity, reason, value from import_issues").fetchall()
        assert len(issues) == 11
        assert sum(1 for s, r, _v in issues if s == "warning" and "dropped (erased)" in r) == 8
        assert "1993-03-01" not in {v for _s, _r, v in issues}       # ME3's quoted birth date
        coverage = data.table_coverage(con)            # the report's "data coverage"
        assert coverage["mentees"] == (True, 14) and coverage["duos"] == (True, 9)
        assert coverage["meetings"] == (True, 18)
    # the same figures as right after the erasure: the person did not come back
    assert _indicators(store, capsys) == after_forget


def test_coverage_counts_after_erasure(store):
    from analytics import cli
    from analytics.report import data
    from analytics.store import Store

    assert cli.main(["forget", "--mentee", "ME3", "--db", str(store)]) == 0
    with Store(store).connect() as con:
        coverage = data.table_coverage(con)
    assert coverage["mentees"] == (True, 14) and coverage["outcomes"] == (True, 4)


def test_erased_ids_are_kept_hashed_with_a_salt(store):
    from analytics import cli
    from analytics.store import erased

    assert cli.main(["forget", "--mentor", "MR2", "--db", str(store)]) == 0
    text = (store / erased.ERASED).read_text(encoding="utf-8")
    assert "MR2" not in text
    document = json.loads(text)
    assert len(document["salt"]) == 64 and len(document["ids"]["mentor"]) == 1
    assert erased.is_erased(store, "mentor", "MR2")
    assert not erased.is_erased(store, "mentee", "MR2") and not erased.is_erased(store, "mentor", "MR1")
    # DuckDB's sha256 (what the import's drop computes) and Python's agree
    salt = document["salt"]
    with duckdb.connect() as con:
        hashed = con.execute("select sha256(? || ':mentor:MR2')", [salt]).fetchone()[0]
    assert hashed == document["ids"]["mentor"][0] == erased.digest(salt, "mentor", "MR2")


def test_reimport_drops_an_erased_mentors_duos(store, capsys):
    from analytics import cli
    from analytics.store import Store

    # MR2 mentors D2 and D5 (duos.csv): the erasure removes MR2, those 2 duos, their 7
    # meetings and 3 check-ins; the re-import must land on the same counts
    assert cli.main(["forget", "--mentor", "MR2", "--db", str(store)]) == 0
    with Store(store).connect() as con:
        expected = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in AFTER_ME3}
    assert expected["mentors"] == 2 and expected["duos"] == 9
    capsys.readouterr()
    assert cli.main(["import", str(TINY), "--db", str(store)]) == 0
    assert "13 rows dropped (erased): mentors 1, duos 2, meetings 7, check_ins 3" in capsys.readouterr().err
    assert _counts(store) == expected


def test_at_risk_output_is_audited(store, capsys):
    from analytics import cli
    from analytics.people.audit import read_audit

    before = len(read_audit())
    for form in ("json", "table"):
        assert cli.main(["at-risk", "--db", str(store), "--as-of", "2026-06-30", "--format", form]) == 0
    lines = read_audit()[before:]
    assert [(line["event"], line["detail"]["what"], line["detail"]["format"]) for line in lines] == [
        ("export", "at_risk", "json"), ("export", "at_risk", "table")]
    assert all(line["detail"]["via"] == "cli" and line["user"] for line in lines)


def test_a_written_validation_report_is_audited(tmp_path, monkeypatch):
    from analytics import cli
    from analytics.people.audit import read_audit

    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    assert cli.main(["validate", str(TINY), "--report", str(tmp_path / "issues.csv")]) == 0
    (line,) = read_audit()
    assert line["detail"]["what"] == "validation_report" and line["detail"]["rows"] == 4   # 4 exceptions
