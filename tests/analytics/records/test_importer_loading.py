"""The importer against the record format, rule by rule, on real DuckDB: input
that stops the import, and loading (types, native and Arrow paths, re-import,
counts, rollback).

Each test writes the few rows it needs (``helpers.write_tables``); the
expected issues (file, row, column, value, reason) and loaded values are
worked out by hand from those rows, never by running the importer.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from analytics.records import loading
from analytics.records import schema
from analytics.records.importer import ImportStopped, load_into, open_dataset, validate_source
from tests.analytics.records.helpers import IMPORT_FIXTURES, TINY, issues_of, table_rows, write_tables


# -- input that stops the import ------------------------------------------------


def test_missing_required_table_stops(tmp_path):
    folder = write_tables(tmp_path, {"duos": None})
    with pytest.raises(ImportStopped, match=r"required table file missing: duos\.csv"):
        validate_source(folder)


def test_missing_required_column_stops_naming_file_and_column(tmp_path):
    folder = write_tables(tmp_path, {"meetings": "meeting_id,duo_id,met_on\nM1,D1,2024-02-12\n"})
    with pytest.raises(ImportStopped, match=r"meetings\.csv: required column hours is missing"):
        validate_source(folder)


def test_unreadable_file_stops(tmp_path):
    folder = write_tables(tmp_path, {})
    (folder / "mentors.csv").write_bytes(b"mentor_id,branch,applied_on,birth_date\nMR1,\x81\x8d,2023-06-01,1960-01-01\n")
    with pytest.raises(ImportStopped, match=r"mentors\.csv cannot be read: it is neither UTF-8 nor Windows-1252"):
        validate_source(folder)


def test_utf16_file_stops_with_a_hint(tmp_path):
    folder = write_tables(tmp_path, {})
    (folder / "mentors.csv").write_bytes("mentor_id,branch,applied_on,birth_date\n".encode("utf-16"))
    with pytest.raises(ImportStopped, match=r"mentors\.csv cannot be read: it is UTF-16 text"):
        validate_source(folder)


def test_a_column_given_twice_stops(tmp_path):
    folder = write_tables(tmp_path, {"mentors": "mentor_id,branch,applied_on,birth_date,branch\nMR1,E,2023-06-01,1960-01-01,W\n"})
    with pytest.raises(ImportStopped, match=r"mentors\.csv: column branch appears twice"):
        validate_source(folder)


def test_missing_sheet_and_missing_source_stop(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "mentees"
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(ImportStopped, match=r"book\.xlsx: required sheet missing: mentors, duos"):
        validate_source(tmp_path / "book.xlsx")
    with pytest.raises(ImportStopped, match="no such file or folder"):
        validate_source(tmp_path / "nowhere")


# -- loading ---------------------------------------------------------------------

ARCHITECTURE_TYPES = {
    "text": "VARCHAR", "choice": "VARCHAR", "country": "VARCHAR", "date": "DATE", "month": "DATE",
    "bool": "BOOLEAN", "number": "DECIMAL", "integer": "INTEGER", "languages": "VARCHAR",
}


def test_every_table_is_created_with_the_architecture_types(tmp_path):
    con, result = open_dataset(write_tables(tmp_path, {}))
    for table in schema.TABLES:
        described = con.execute(f'DESCRIBE "{table.name}"').fetchall()
        assert [(name, kind) for name, kind, *_ in described] == [
            (c.name, f"DECIMAL(18,{c.scale})" if c.type == "number" else ARCHITECTURE_TYPES[c.type])
            for c in table.columns]
    assert con.execute("SELECT * FROM dataset_tables").fetchall() == [
        ("mentees", True, 2, 2, 0), ("mentors", True, 1, 1, 0), ("staff", False, 0, 0, 0),
        ("duos", True, 2, 2, 0), ("meetings", False, 0, 0, 0), ("check_ins", False, 0, 0, 0),
        ("outcomes", False, 0, 0, 0), ("costs", False, 0, 0, 0), ("funding", False, 0, 0, 0),
        ("jobs", False, 0, 0, 0), ("targets", False, 0, 0, 0)]
    for absent in ("staff", "meetings", "check_ins", "outcomes", "costs", "funding", "jobs", "targets"):
        assert table_rows(con, absent) == []
    log = con.execute("SELECT file_name, table_name, rows_read, rows_loaded, rows_rejected, length(sha256) "
                      "FROM import_log ORDER BY table_name").fetchall()
    assert log == [("duos.csv", "duos", 2, 2, 0, 64), ("mentees.csv", "mentees", 2, 2, 0, 64),
                   ("mentors.csv", "mentors", 1, 1, 0, 64)]


def test_native_and_arrow_loads_give_the_same_tables(tmp_path):
    native, _ = open_dataset(TINY)
    other = duckdb.connect()
    result = validate_source(TINY)
    load_into(other, result)
    for table in [t.name for t in schema.TABLES] + ["dataset_tables", "import_issues"]:
        assert table_rows(native, table) == table_rows(other, table), table


@pytest.mark.parametrize("source", [TINY, IMPORT_FIXTURES / "messy"], ids=["tiny", "messy"])
def test_reimport_gives_identical_tables_in_file_order(source):
    first, _ = open_dataset(source)
    second, _ = open_dataset(source)
    for table in [t.name for t in schema.TABLES] + ["dataset_tables", "import_issues"]:
        assert table_rows(first, table) == table_rows(second, table), table
    # Rows load in the order of the file, rejected rows left out.
    duos = [r[0] for r in first.execute("SELECT duo_id FROM duos").fetchall()]
    if source == TINY:
        assert duos == ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10", "D11"]
    else:
        assert duos == ["D1", "D2"]
        assert first.execute("SELECT meeting_id FROM meetings").fetchall() == [("M1",), ("M4",)]


def test_counts_reconcile_for_every_table(tmp_path):
    shutil.copytree(IMPORT_FIXTURES / "messy", tmp_path / "messy")
    con, result = open_dataset(tmp_path / "messy")
    for table in schema.TABLES:
        read, loaded, rejected = result.counts[table.name]
        assert read == loaded + rejected, table.name
        assert con.execute(f'SELECT count(*) FROM "{table.name}"').fetchall()[0][0] == loaded
        rows = {i.row_number for i in issues_of(result, "rejected") if i.file_name == f"{table.name}.csv"}
        assert len(rows) == rejected, table.name
    # The fixture's README works the counts out by hand.
    assert {t: result.counts[t] for t in ("mentees", "mentors", "staff", "duos", "meetings", "check_ins",
                                          "outcomes", "costs", "funding", "targets")} == {
        "mentees": (4, 3, 1), "mentors": (2, 2, 0), "staff": (2, 1, 1), "duos": (4, 2, 2),
        "meetings": (5, 2, 3), "check_ins": (2, 1, 1), "outcomes": (2, 1, 1), "costs": (3, 2, 1),
        "funding": (2, 1, 1), "targets": (2, 1, 1)}


def test_a_failure_inside_load_into_rolls_everything_back(tmp_path, monkeypatch):
    con, _ = open_dataset(TINY)
    before = {t.name: table_rows(con, t.name) for t in schema.TABLES}
    result = validate_source(write_tables(tmp_path, {}))
    original = loading.copy_table

    def failing(con, result, table, native):
        if table.name == "meetings":
            raise RuntimeError("disk full")
        original(con, result, table, native)

    monkeypatch.setattr(loading, "copy_table", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        load_into(con, result)
    assert {t.name: table_rows(con, t.name) for t in schema.TABLES} == before


def test_the_tiny_example_imports_without_rejections():
    result = validate_source(TINY)
    assert result.rejected_count == 0
    assert result.counts["duos"] == (11, 11, 0) and result.counts["meetings"] == (20, 20, 0)
    assert result.present["targets"] is False
    # The four exceptions the example's README names: ME2 (GR), ME3 (31), ME5 (not registered), ME11 (17).
    assert [(i.row_number, i.column_name) for i in issues_of(result, "eligibility_exception")] == [
        (3, "country_of_origin"), (4, "birth_date"), (6, "registered_jobseeker"), (12, "birth_date")]
    assert issues_of(result, "warning") == []
