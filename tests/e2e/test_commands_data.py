"""validate / import / templates: exit codes, the report, the store left alone."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.cli import records as commands_data
from analytics.records import schema
from analytics.cli import ArgumentParser
from analytics.records.templates import spreadsheet_safe
from analytics.store.snapshots import Store
from tests.analytics.records.helpers import BASE, TINY, write_tables

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str]) -> int:
    """The commands as the CLI dispatches them, with only this module registered."""
    parser = ArgumentParser(prog="python -m analytics")
    commands_data.register(parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args)


def with_rejections(folder: Path) -> Path:
    # ME2's applied_on is a formula, D2 then names a rejected mentee; one fte is negative.
    return write_tables(folder, {
        "mentees": BASE["mentees"].replace("ME2,East,2024-02-01", "ME2,East,=1+1"),
        "staff": "staff_id,branch,role,fte,started_on\nST1,East,coordinator,-5,2023-01-01\n"
                 "ST2,@West,manager,1,2023-01-01\n",
    })


def test_validate_the_tiny_example_exits_0(capsys):
    assert run(["validate", TINY]) == 0
    out = capsys.readouterr().out
    assert "0 rows rejected, 0 warnings, 4 eligibility exceptions." in out
    assert "  duos       duos.csv         11      11         0" in out


def test_validate_with_rejections_exits_1_and_writes_a_safe_csv_report(tmp_path, capsys):
    report = tmp_path / "issues.csv"
    assert run(["validate", with_rejections(tmp_path / "src"), "--report", report]) == 1
    out = capsys.readouterr().out
    assert "3 rows rejected, 0 warnings, 0 eligibility exceptions." in out
    assert 'mentees.csv row 3, applied_on "=1+1": not a date (YYYY-MM-DD)' in out
    with open(report, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["severity", "file_name", "row_number", "column_name", "value", "reason"],
        ["rejected", "mentees.csv", "3", "applied_on", "'=1+1", "not a date (YYYY-MM-DD)"],
        ["rejected", "staff.csv", "2", "fte", "'-5", "out of range: must be in (0, 1]"],
        ["rejected", "duos.csv", "3", "mentee_id", "ME2", "refers to mentees.csv row 3, which was rejected"],
    ]


def test_json_report_has_counts_and_every_issue(tmp_path, capsys):
    report = tmp_path / "issues.json"
    assert run(["validate", with_rejections(tmp_path / "src"), "--report", report]) == 1
    document = json.loads(report.read_text(encoding="utf-8"))
    assert [t["table"] for t in document["tables"]] == [t.name for t in schema.TABLES]
    assert {t["table"]: (t["read"], t["loaded"], t["rejected"]) for t in document["tables"]
            if t["present"]} == {"mentees": (2, 1, 1), "mentors": (1, 1, 0), "staff": (2, 1, 1),
                                 "duos": (2, 1, 1)}
    assert document["issues"][1] == {"severity": "rejected", "file_name": "staff.csv", "row_number": 2,
                                     "column_name": "fte", "value": "-5",
                                     "reason": "out of range: must be in (0, 1]"}
    assert len(document["issues"]) == 3


def test_the_terminal_shows_the_first_50_issues(tmp_path, capsys):
    rows = "".join(f"M{i},D1,2024-02-{i % 28 + 1:02d},99\n" for i in range(60))
    folder = write_tables(tmp_path / "src", {"meetings": "meeting_id,duo_id,met_on,hours\n" + rows})
    assert run(["validate", folder]) == 1
    out = capsys.readouterr().out
    assert "Rejected rows (not loaded): 60" in out
    assert out.count("out of range: must be in (0, 12]") == 50
    assert "... 10 more, see --report FILE" in out


def test_import_loads_valid_rows_and_exits_0_or_1(tmp_path, capsys):
    db = tmp_path / "store"
    assert run(["import", TINY, "--db", db]) == 0
    store = Store(db)
    assert store.connect().execute("SELECT count(*) FROM meetings").fetchall() == [(20,)]
    assert run(["import", with_rejections(tmp_path / "src"), "--db", db]) == 1
    con = store.connect()
    assert con.execute("SELECT mentee_id FROM mentees").fetchall() == [("ME1",)]
    assert con.execute("SELECT staff_id FROM staff").fetchall() == [("ST2",)]
    assert con.execute("SELECT count(*) FROM meetings").fetchall() == [(0,)]


def test_strict_import_with_rejections_changes_nothing(tmp_path, capsys):
    db = tmp_path / "store"
    assert run(["import", TINY, "--db", db]) == 0
    token = Store(db).current_token()
    assert run(["import", with_rejections(tmp_path / "src"), "--db", db, "--strict"]) == 2
    assert "--strict: 3 rows rejected, nothing was imported." in capsys.readouterr().err
    assert Store(db).current_token() == token
    assert run(["import", write_tables(tmp_path / "clean", {}), "--db", db, "--strict"]) == 0
    assert Store(db).current_token() != token


@pytest.mark.parametrize("tables, message", [
    ({"duos": None}, "required table file missing: duos.csv"),
    ({"mentors": "mentor_id,branch,applied_on\nMR1,East,2023-06-01\n"},
     "mentors.csv: required column birth_date is missing"),
])
def test_input_that_stops_exits_2_and_leaves_the_store(tmp_path, capsys, tables, message):
    db = tmp_path / "store"
    assert run(["import", TINY, "--db", db]) == 0
    token = Store(db).current_token()
    capsys.readouterr()
    assert run(["import", write_tables(tmp_path / "src", tables), "--db", db]) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was changed" in err
    assert Store(db).current_token() == token
    assert run(["validate", write_tables(tmp_path / "src", tables)]) == 2


def test_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        run(["import", TINY])  # --db is required
    assert stopped.value.code == 2
    assert not (tmp_path / "store").exists()


def test_templates_are_blank_and_import_cleanly(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "templates"
    assert run(["templates", out]) == 0
    for table in schema.TABLES:
        lines = (out / f"{table.name}.csv").read_text(encoding="utf-8").splitlines()
        assert lines == [",".join(table.column_names)]
    book = load_workbook(out / "template.xlsx")
    assert book.sheetnames == [t.name for t in schema.TABLES]
    for table in schema.TABLES:
        sheet = book[table.name]
        assert [cell.value for cell in sheet[1]] == list(table.column_names)
        assert sheet.max_row == 1
    assert run(["validate", out]) == 0
    assert run(["validate", out / "template.xlsx"]) == 0
    assert "0 rows rejected, 0 warnings, 0 eligibility exceptions." in capsys.readouterr().out


def test_spreadsheet_safe_cells():
    assert [spreadsheet_safe(c) for c in ("=A1", "+1", "-5", "@x", "\tx", "\rx", "ok", 7, None)] == [
        "'=A1", "'+1", "'-5", "'@x", "'\tx", "'\rx", "ok", 7, ""]


def test_the_real_command_line_exit_codes(tmp_path):
    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "analytics", *map(str, argv)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    assert cli("validate", "tests/fixtures/tiny").returncode == 0
    assert cli("import", with_rejections(tmp_path / "src"), "--db", tmp_path / "store").returncode == 1
    stopped = cli("import", write_tables(tmp_path / "bad", {"mentees": None}), "--db", tmp_path / "store")
    assert stopped.returncode == 2 and "mentees.csv" in stopped.stderr
    assert cli("validate").returncode == 2
