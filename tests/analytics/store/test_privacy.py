"""Erasure on request and the audit log (issue 5, item 6).

The tiny fixture is imported twice into a temporary store (two kept
snapshots). Forgetting mentee ME3 must remove, from both: the mentee row, duos
D3 and D4, D3's meetings MT09 and MT10 (D4 has none), check-in C5, outcomes O2
and O3, and the import issue on mentees.csv row 4 (ME3's birth date, quoted).
Counts by hand from the fixture CSVs: mentees 15 -> 14, duos 11 -> 9,
meetings 20 -> 18, check_ins 7 -> 6, outcomes 6 -> 4, import_issues 4 -> 3;
mentors 3, staff 4 unchanged.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "tests" / "fixtures" / "tiny"
BEFORE = {"mentees": 15, "mentors": 3, "staff": 4, "duos": 11, "meetings": 20, "check_ins": 7,
          "outcomes": 6, "import_issues": 4}
AFTER_ME3 = {**BEFORE, "mentees": 14, "duos": 9, "meetings": 18, "check_ins": 6, "outcomes": 4,
             "import_issues": 3}


@pytest.fixture
def store(tmp_path, monkeypatch):
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    s = Store(tmp_path / "store")
    s.import_result(validate_source(TINY))
    s.import_result(validate_source(TINY))
    assert len(list(s.path.glob("snapshot-*.duckdb"))) == 2
    return s


def _counts(path: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in BEFORE}


def _snapshots(store) -> list[Path]:
    return sorted(store.path.glob("snapshot-*.duckdb"))


def test_forget_mentee_redacts_every_kept_snapshot(store, capsys):
    from analytics import cli

    before_token = store.current_token()
    reader = store.connect()                   # a dashboard holding the current snapshot
    assert cli.main(["forget", "--mentee", "ME3", "--db", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "mentees 1" in out and "duos 2" in out and "meetings 2" in out and "outcomes 2" in out
    assert "check_ins 1" in out and "import_issues 1" in out and "source export files" in out

    # the reader opened before still reads its old (unlinked) file, until it closes
    assert reader.execute("SELECT count(*) FROM mentees").fetchone()[0] == 15
    reader.close()

    assert store.current_token() != before_token
    snapshots = _snapshots(store)
    assert len(snapshots) == 2 and store.current() in snapshots
    for path in snapshots:
        assert _counts(path) == AFTER_ME3
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM mentees WHERE mentee_id = 'ME3'").fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM duos WHERE mentee_id = 'ME3' OR duo_id IN ('D3', 'D4')"
                               ).fetchone()[0] == 0
            issues = con.execute("SELECT file_name, row_number FROM import_issues ORDER BY row_number").fetchall()
            assert issues == [("mentees.csv", 3), ("mentees.csv", 6), ("mentees.csv", 12)]
            assert "1993-03-01" not in {r[0] for r in con.execute("SELECT value FROM import_issues").fetchall()}
            loaded = dict(con.execute("SELECT table_name, rows_loaded FROM dataset_tables").fetchall())
            assert loaded["mentees"] == 14 and loaded["duos"] == 9
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM mentees").fetchone()[0] == 14

    lines = [json.loads(line) for line in Path(store.path.parent / "audit.log").read_text().splitlines()]
    assert lines[-1]["event"] == "forget" and lines[-1]["user"]
    assert "ME3" not in json.dumps(lines[-1])


def test_forget_mentor_removes_their_duos(store, capsys):
    from analytics import cli

    assert cli.main(["forget", "--mentor", "MR1", "--db", str(store.path)]) == 0
    for path in _snapshots(store):
        counts = _counts(path)
        # MR1: D1, D3, D9, D10, D11; meetings of D1 (5), D3 (2), D11 (2); check-ins C1, C5;
        # outcomes O1, O2, O3, O4, O5, O6; mentees stay
        assert counts["mentors"] == 2 and counts["duos"] == 6 and counts["meetings"] == 11
        assert counts["check_ins"] == 5 and counts["outcomes"] == 0 and counts["mentees"] == 15


def test_forget_unknown_id_changes_nothing(store, capsys):
    from analytics import cli

    files = {p.name: p.stat().st_mtime_ns for p in store.path.iterdir()}
    token = store.current_token()
    assert cli.main(["forget", "--mentee", "NOPE", "--db", str(store.path)]) == 1
    assert store.current_token() == token
    assert {p.name: p.stat().st_mtime_ns for p in store.path.iterdir()} == files
    assert "nothing changed" in capsys.readouterr().err


def test_forget_bad_arguments_exit_2(store):
    from analytics import cli

    with pytest.raises(SystemExit) as stopped:
        cli.main(["forget", "--db", str(store.path)])
    assert stopped.value.code == 2
    with pytest.raises(SystemExit) as stopped:
        cli.main(["forget", "--mentee", "ME1", "--mentor", "MR1", "--db", str(store.path)])
    assert stopped.value.code == 2


def test_audit_lines_for_failed_and_successful_sign_in(tmp_path, monkeypatch):
    from analytics.people.audit import read_audit
    from analytics.people.users import UserStore
    from ui import signin

    password = "correct horse battery"
    monkeypatch.setenv("DUO_IMPACT_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("DUO_IMPACT_AUDIT", raising=False)
    UserStore(tmp_path / "users.json").add("mara", password, "manager")
    assert signin.attempt("mara", "wrong password here") is False
    assert signin.attempt("mara", password) is True
    log = tmp_path / "audit.log"                       # beside the users file
    text = log.read_text(encoding="utf-8")
    assert password not in text and "wrong password here" not in text
    events = [(line["event"], line["user"]) for line in read_audit(log)]
    assert events == [("sign_in_failed", "mara"), ("sign_in", "mara")]
    assert all(line["at"] for line in read_audit(log))
