"""The importer against the record format, rule by rule, on real DuckDB: CSV
dialects and encodings, workbooks and Parquet.

Each test writes the few rows it needs (``helpers.write_tables``); the
expected issues (file, row, column, value, reason) and loaded values are
worked out by hand from those rows, never by running the importer.
"""
from __future__ import annotations

import datetime as dt
import textwrap

import duckdb

from analytics.records.importer import Issue, open_dataset, validate_source
from tests.analytics.records.helpers import BASE, issues_of, table_rows, write_tables


# -- CSV dialects and encodings ------------------------------------------------


def test_semicolon_file_reads_decimal_commas(tmp_path):
    folder = write_tables(tmp_path, {
        "staff": "staff_id;branch;role;fte;started_on\nST1;East;Coordinator;0,5;2023-01-01\nST2;West;manager;1;2023-02-01\n",
        "meetings": "meeting_id;duo_id;met_on;hours;mode\nM1;D1;2024-02-12;1,5;Phone\nM2;D1;2024-02-19;,75;\n",
    })
    con, result = open_dataset(folder)
    assert result.rejected_count == 0
    assert table_rows(con, "staff") == [
        ("ST1", "East", "coordinator", 0.5, dt.date(2023, 1, 1), None),
        ("ST2", "West", "manager", 1.0, dt.date(2023, 2, 1), None)]
    assert table_rows(con, "meetings") == [
        ("M1", "D1", dt.date(2024, 2, 12), 1.5, "phone"), ("M2", "D1", dt.date(2024, 2, 19), 0.75, None)]


def test_comma_file_rejects_a_decimal_comma(tmp_path):
    folder = write_tables(tmp_path, {"meetings": 'meeting_id,duo_id,met_on,hours\nM1,D1,2024-02-12,"1,5"\n'})
    result = validate_source(folder)
    assert issues_of(result, "rejected") == [
        Issue("rejected", "meetings.csv", 2, "hours", "1,5", "not a number")]


def test_windows_1252_file_with_accents(tmp_path):
    folder = write_tables(tmp_path, {})
    text = ("mentor_id,branch,applied_on,birth_date,former_sector,first_name\n"
            "MR1,Liège,2023-06-01,1960-01-01,Café & Co – 5€,José\n")
    (folder / "mentors.csv").write_bytes(text.encode("cp1252"))
    (folder / "duos.csv").write_bytes(
        "duo_id,mentee_id,mentor_id,branch,matched_on\nD1,ME1,MR1,Liège,2024-02-05\n".encode("cp1252"))
    con, result = open_dataset(folder)
    assert result.rejected_count == 0
    assert table_rows(con, "mentors") == [
        ("MR1", "Liège", dt.date(2023, 6, 1), None, dt.date(1960, 1, 1), None, "Café & Co – 5€", None, None,
         None, "José", None)]
    assert con.execute("SELECT branch FROM duos").fetchall() == [("Liège",)]


def test_utf8_bom_is_not_part_of_the_first_column_name(tmp_path):
    folder = write_tables(tmp_path, {})
    text = textwrap.dedent(BASE["mentees"]).strip() + "\n"
    (folder / "mentees.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("ME1,East", "ME1,Zürich").encode("utf-8"))
    con, result = open_dataset(folder)
    assert result.issues == []
    assert con.execute("SELECT mentee_id, branch FROM mentees ORDER BY 1").fetchall() == [
        ("ME1", "Zürich"), ("ME2", "East")]


def test_a_quoted_cell_spanning_lines_is_one_row(tmp_path):
    folder = write_tables(tmp_path, {"check_ins": (
        "check_in_id,duo_id,checked_on,note\n"
        'C1,D1,2024-03-01,"first line\nsecond line\nthird"\n'
        "C2,D1,2024-03-xx,\n"
        'C3,D2,2024-03-08,"a ""quoted"" word"\n')})
    con, result = open_dataset(folder)
    # C2 is the record after the header and C1: spreadsheet row 3, however many lines C1 took.
    assert issues_of(result, "rejected") == [
        Issue("rejected", "check_ins.csv", 3, "checked_on", "2024-03-xx", "not a date (YYYY-MM-DD)")]
    assert con.execute("SELECT check_in_id, note FROM check_ins ORDER BY 1").fetchall() == [
        ("C1", "first line\nsecond line\nthird"), ("C3", 'a "quoted" word')]


def test_rows_after_an_empty_line_keep_their_spreadsheet_number(tmp_path):
    folder = write_tables(tmp_path, {"meetings": (
        "meeting_id,duo_id,met_on,hours\n"
        "M1,D1,2024-02-12,1\n"
        "\n"
        "M2,D1,2024-02-19,13\n"
        ",,,\n"
        "\n")})
    result = validate_source(folder)
    assert [i for i in result.issues if i.file_name == "meetings.csv"] == [
        Issue("warning", "meetings.csv", 3, None, None, "empty row: skipped"),
        Issue("rejected", "meetings.csv", 4, "hours", "13", "out of range: must be in (0, 12]"),
    ]
    assert result.counts["meetings"] == (2, 1, 1)


def test_empty_rows_read_by_duckdb_are_skipped(tmp_path):
    folder = write_tables(tmp_path, {"meetings": (
        "meeting_id,duo_id,met_on,hours\n"
        "M1,D1,2024-02-12,1\n"
        " , ,,\n"
        "M2,D1,2024-02-19,13\n"
        ",,,\n"
        ",,,\n")})
    result = validate_source(folder)
    assert [i for i in result.issues if i.file_name == "meetings.csv"] == [
        Issue("warning", "meetings.csv", 3, None, None, "empty row: skipped"),
        Issue("rejected", "meetings.csv", 4, "hours", "13", "out of range: must be in (0, 12]"),
    ]
    assert result.counts["meetings"] == (2, 1, 1)


def test_stray_quote_and_extra_cells_fall_back_without_losing_rows(tmp_path):
    folder = write_tables(tmp_path, {"funding": (
        "received_on,funder,funder_type,amount_eur\n"
        '2024-01-15,The "Good" Fund,foundation,6000\n'
        "2024-03-01,CityX,public,3000,extra\n"
        "2024-04-01,CityY,public,100,,\n")})
    con, result = open_dataset(folder)
    assert issues_of(result, "rejected") == [
        Issue("rejected", "funding.csv", 3, None, None, "the row has 5 cells, the header has 4")]
    assert result.counts["funding"] == (3, 2, 1)
    assert con.execute("SELECT funder, amount_eur FROM funding").fetchall() == [
        ('The "Good" Fund', 6000.0), ("CityY", 100.0)]


def test_na_country_is_namibia(tmp_path):
    folder = write_tables(tmp_path, {"mentees": BASE["mentees"].replace("AF,true", "NA,true")})
    con, result = open_dataset(folder)
    assert result.issues == []
    assert con.execute("SELECT country_of_origin FROM mentees WHERE mentee_id = 'ME2'").fetchall() == [("NA",)]


# -- workbooks and Parquet -----------------------------------------------------


def test_workbook_with_typed_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("mentees")
    sheet.append(["mentee_id", "branch", "applied_on", "birth_date", "country_of_origin",
                  "registered_jobseeker", "sector_sought"])
    sheet.append([10, "East", dt.date(2024, 1, 10), dt.datetime(2000, 5, 1), "SY", 1, 2024])
    sheet.append(["ME2", "East", "2024-02-01", dt.date(1999, 1, 1), "af", True, None])
    sheet.append(["ME3", "East", dt.date(2024, 2, 1), "1999", "SY", 0, None])
    sheet = book.create_sheet("mentors")
    sheet.append(["mentor_id", "branch", "applied_on", "birth_date"])
    sheet.append(["MR1", "East", dt.date(2023, 6, 1), dt.date(1960, 1, 1)])
    sheet = book.create_sheet("duos")
    sheet.append(["duo_id", "mentee_id", "mentor_id", "branch", "matched_on", "staff_at_first_meeting"])
    sheet.append(["D1", 10, "MR1", "East", dt.date(2024, 2, 5), 0])
    sheet.append([])
    sheet.append(["D2", "ME2", "MR1", "East", dt.date(2024, 3, 2), False])
    sheet = book.create_sheet("costs")
    sheet.append(["month", "branch", "category", "amount_eur"])
    sheet.append([dt.date(2024, 3, 1), "central", "Overhead", 1500.5])
    sheet = book.create_sheet("check_ins")
    sheet.append(["check_in_id", "duo_id", "checked_on", "mentee_satisfaction", "concern"])
    sheet.append(["C1", "D1", dt.date(2024, 3, 1), 4.0, 1])
    book.create_sheet("notes").append(["free text"])
    path = tmp_path / "programme.xlsx"
    book.save(path)

    con, result = open_dataset(path)
    assert result.issues == [
        Issue("warning", "programme.xlsx", None, None, "notes", "sheet is not a table of the record format: ignored"),
        Issue("rejected", "programme.xlsx, sheet mentees", 4, "birth_date", "1999", "not a date (YYYY-MM-DD)"),
        Issue("warning", "programme.xlsx, sheet duos", 3, None, None, "empty row: skipped"),
    ]
    assert table_rows(con, "mentees") == [
        ("10", "East", dt.date(2024, 1, 10), None, None, None, dt.date(2000, 5, 1), None, "SY", None, True,
         "2024", None, None, None),
        ("ME2", "East", dt.date(2024, 2, 1), None, None, None, dt.date(1999, 1, 1), None, "AF", None, True,
         None, None, None, None),
    ]
    assert con.execute("SELECT duo_id, mentee_id, staff_at_first_meeting FROM duos").fetchall() == [
        ("D1", "10", False), ("D2", "ME2", False)]
    assert table_rows(con, "costs") == [(dt.date(2024, 3, 1), "central", "overhead", 1500.5)]
    assert con.execute("SELECT mentee_satisfaction, concern FROM check_ins").fetchall() == [(4, True)]
    assert result.files[0][0] == "programme.xlsx"
    assert result.counts["duos"] == (2, 2, 0)


def test_parquet_files_with_typed_columns(tmp_path):
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * FROM (VALUES (10, 'East', DATE '2024-01-10', DATE '2000-05-01', 'SY', true),
                                               (11, 'West', DATE '2024-02-01', DATE '1999-01-01', 'GR', false))
                          t(mentee_id, branch, applied_on, birth_date, country_of_origin, registered_jobseeker))
                    TO '{tmp_path / "mentees.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 'MR1' AS mentor_id, 'East' AS branch, TIMESTAMP '2023-06-01 00:00:00' AS applied_on,
                                 DATE '1960-01-01' AS birth_date)
                    TO '{tmp_path / "mentors.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT * FROM (VALUES ('D1', 10.0, 'MR1', 'East', DATE '2024-02-05', 1),
                                               ('D2', 11.0, 'MR1', 'East', DATE '2024-03-05', 0))
                          t(duo_id, mentee_id, mentor_id, branch, matched_on, staff_at_first_meeting))
                    TO '{tmp_path / "duos.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 'M1' AS meeting_id, 'D1' AS duo_id, DATE '2024-02-12' AS met_on, 1.5 AS hours,
                                 'VIDEO' AS mode
                          UNION ALL SELECT 'M2', 'D2', DATE '2024-03-06', 20.0, NULL)
                    TO '{tmp_path / "meetings.parquet"}' (FORMAT parquet)""")
    loaded, result = open_dataset(tmp_path)
    assert issues_of(result, "rejected") == [
        Issue("rejected", "meetings.parquet", 3, "hours", "20", "out of range: must be in (0, 12]")]
    assert issues_of(result, "eligibility_exception") == [
        Issue("eligibility_exception", "mentees.parquet", 3, "country_of_origin", "GR",
              "programme rule: mentees come from outside the EU-27"),
        Issue("eligibility_exception", "mentees.parquet", 3, "registered_jobseeker", "false",
              "programme rule: mentees are registered job seekers"),
    ]
    assert loaded.execute("SELECT mentee_id, applied_on, registered_jobseeker FROM mentees").fetchall() == [
        ("10", dt.date(2024, 1, 10), True), ("11", dt.date(2024, 2, 1), False)]
    assert loaded.execute("SELECT applied_on FROM mentors").fetchall() == [(dt.date(2023, 6, 1),)]
    assert loaded.execute("SELECT duo_id, mentee_id, staff_at_first_meeting FROM duos").fetchall() == [
        ("D1", "10", True), ("D2", "11", False)]
    assert table_rows(loaded, "meetings") == [("M1", "D1", dt.date(2024, 2, 12), 1.5, "video")]
