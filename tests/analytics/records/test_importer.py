"""The importer against the record format, rule by rule, on real DuckDB.

Each test writes the few rows it needs; the expected issues (file, row,
column, value, reason) and loaded values are worked out by hand from those
rows, never by running the importer.
"""
from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest

from analytics.records import loading
from analytics.records import schema
from analytics.records.importer import ImportStopped, Issue, load_into, open_dataset, validate_source

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
TINY = FIXTURES / "tiny"
IMPORT_FIXTURES = FIXTURES / "import"

# A small programme that loads whole: two mentees, one mentor, two duos.
BASE = {
    "mentees": """
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        ME1,East,2024-01-10,2000-05-01,SY,true
        ME2,East,2024-02-01,1999-01-01,AF,true
    """,
    "mentors": """
        mentor_id,branch,applied_on,birth_date
        MR1,East,2023-06-01,1960-01-01
    """,
    "duos": """
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        D1,ME1,MR1,East,2024-02-05,2024-02-12,2024-05-20,completed
        D2,ME2,MR1,East,2024-03-02,,,
    """,
}


def write_tables(folder: Path, tables: dict[str, str | None], base: dict[str, str] | None = None) -> Path:
    """Write `<table>.csv` files from dedented CSV text; None leaves a table out."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = dict(BASE if base is None else base)
    merged.update(tables)
    for name, text in merged.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def issues_of(result, severity: str | None = None) -> list[Issue]:
    return [i for i in result.issues if severity is None or i.severity == severity]


def table_rows(con, table: str) -> list[tuple]:
    return con.execute(f'SELECT * FROM "{table}"').fetchall()


# -- every rejection reason -------------------------------------------------

STAFF_HEADER = "staff_id,branch,role,fte,started_on\n"
CHECK_IN_HEADER = "check_in_id,duo_id,checked_on,mentee_satisfaction\n"
AMBIGUOUS = ("ambiguous number: a '.' in a semicolon-separated file "
             "(its decimal mark is ',' and numbers carry no thousands separator)")

REJECTIONS = [
    pytest.param(
        {"mentees": BASE["mentees"].replace("ME2,East,2024-02-01", "ME2,East,2024-13-01")},
        ("mentees.csv", 3, "applied_on", "2024-13-01", "not a date (YYYY-MM-DD)"), id="impossible date"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("2024-02-01", "01/02/2024")},
        ("mentees.csv", 3, "applied_on", "01/02/2024", "not a date (YYYY-MM-DD)"), id="non-ISO date"),
    pytest.param(
        {"costs": "month,branch,category,amount_eur\n2024-3,East,staff,10\n"},
        ("costs.csv", 2, "month", "2024-3", "not a month (YYYY-MM)"), id="month"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("AF,true", "AF,maybe")},
        ("mentees.csv", 3, "registered_jobseeker", "maybe", "not a boolean (true/false, 1/0, yes/no)"),
        id="boolean"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("AF,true", "XX,true")},
        ("mentees.csv", 3, "country_of_origin", "XX", "not an ISO 3166-1 alpha-2 country code"),
        id="country"),
    pytest.param(
        {"staff": STAFF_HEADER + "ST1,East,coordinator,half,2023-01-01\n"},
        ("staff.csv", 2, "fte", "half", "not a number"), id="number"),
    pytest.param(
        {"staff": STAFF_HEADER + "ST1,East,coordinator,0,2023-01-01\n"},
        ("staff.csv", 2, "fte", "0", "out of range: must be in (0, 1]"), id="fte 0 excluded"),
    pytest.param(
        {"staff": STAFF_HEADER + "ST1,East,coordinator,1.5,2023-01-01\n"},
        ("staff.csv", 2, "fte", "1.5", "out of range: must be in (0, 1]"), id="fte above 1"),
    pytest.param(
        {"meetings": "meeting_id,duo_id,met_on,hours\nM1,D1,2024-02-12,12.5\n"},
        ("meetings.csv", 2, "hours", "12.5", "out of range: must be in (0, 12]"), id="hours above 12"),
    pytest.param(
        {"costs": "month,branch,category,amount_eur\n2024-03,East,staff,-1\n"},
        ("costs.csv", 2, "amount_eur", "-1", "out of range: must be ≥ 0"), id="negative cost"),
    pytest.param(
        {"funding": "received_on,funder,funder_type,amount_eur\n2024-03-01,FundA,foundation,0\n"},
        ("funding.csv", 2, "amount_eur", "0", "out of range: must be > 0"), id="zero funding"),
    pytest.param(
        {"check_ins": CHECK_IN_HEADER + "C1,D1,2024-03-01,4.5\n"},
        ("check_ins.csv", 2, "mentee_satisfaction", "4.5", "not a whole number"), id="integer"),
    pytest.param(
        {"check_ins": CHECK_IN_HEADER + "C1,D1,2024-03-01,6\n"},
        ("check_ins.csv", 2, "mentee_satisfaction", "6", "out of range: must be 1–5"),
        id="satisfaction above 5"),
    pytest.param(
        {"targets": "year,branch,indicator,target\n2024.5,all,duos_matched,10\n"},
        ("targets.csv", 2, "year", "2024.5", "not a whole number"), id="year"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("ME2,East", "ME2,   ")},
        ("mentees.csv", 3, "branch", None, "missing required value"), id="blank required cell"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("1999-01-01", "")},
        ("mentees.csv", 3, "birth_date", None, "missing required value"), id="empty required date"),
    pytest.param(
        {"mentees": "mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker,decision\n"
                    "ME1,East,2024-01-10,2000-05-01,SY,true,eligible\n"
                    "ME2,East,2024-02-01,1999-01-01,AF,true,maybe\n"},
        ("mentees.csv", 3, "decision", "maybe", "not one of: eligible, ineligible"), id="list value"),
    pytest.param(
        {"mentees": BASE["mentees"] + "ME1,West,2024-03-01,2001-01-01,SY,true\n"},
        ("mentees.csv", 4, "mentee_id", "ME1", "duplicate key: already used in row 2"),
        id="duplicate key"),
    pytest.param(
        {"duos": BASE["duos"].replace("2024-02-05,2024-02-12", "2024-02-05,2024-02-01")},
        ("duos.csv", 2, "first_meeting_on", "2024-02-01", "first_meeting_on is before matched_on (2024-02-05)"),
        id="first meeting before match"),
    pytest.param(
        {"duos": BASE["duos"].replace("2024-02-12,2024-05-20", "2024-02-12,2024-02-10")},
        ("duos.csv", 2, "ended_on", "2024-02-10", "ended_on is before first_meeting_on (2024-02-12)"),
        id="ended before first meeting"),
    pytest.param(
        {"duos": BASE["duos"].replace("D2,ME2,MR1,East,2024-03-02,,,", "D2,ME2,MR1,East,2024-03-02,,2024-03-01,mismatch")},
        ("duos.csv", 3, "ended_on", "2024-03-01",
         "ended_on is before matched_on (2024-03-02) and first_meeting_on is empty"),
        id="ended before match, never started"),
    pytest.param(
        {"duos": BASE["duos"].replace("2024-05-20,completed", "2024-05-20,")},
        ("duos.csv", 2, "end_reason", None, "missing: required when ended_on is set"),
        id="ended without reason"),
    pytest.param(
        {"duos": BASE["duos"].replace("D2,ME2", "D2,ME9")},
        ("duos.csv", 3, "mentee_id", "ME9", "no mentees row has mentee_id 'ME9'"), id="missing mentee"),
    pytest.param(
        {"duos": BASE["duos"].replace("D2,ME2", "D2,me2")},
        ("duos.csv", 3, "mentee_id", "me2", "no mentees row has mentee_id 'me2'"),
        id="ids match exactly"),
    pytest.param(
        {"mentees": BASE["mentees"].replace("AF,true", "AF,")},
        ("duos.csv", 3, "mentee_id", "ME2", "refers to mentees.csv row 3, which was rejected"),
        id="reference to a rejected row"),
    pytest.param(
        {"meetings": "meeting_id,duo_id,met_on,hours\nM1,D7,2024-02-12,1\n"},
        ("meetings.csv", 2, "duo_id", "D7", "no duos row has duo_id 'D7'"), id="missing duo"),
    pytest.param(
        {"staff": "staff_id;branch;role;fte;started_on\nST1;East;coordinator;0.5;2023-01-01\n"},
        ("staff.csv", 2, "fte", "0.5", AMBIGUOUS), id="dot in a semicolon file"),
    pytest.param(
        {"mentors": "mentor_id,branch,applied_on,birth_date\nMR1,East,2023-06-01,1960-01-01\nMR2,East\n"},
        ("mentors.csv", 3, None, None, "the row has 2 cells, the header has 4"), id="too few cells"),
]


@pytest.mark.parametrize("tables, expected", REJECTIONS)
def test_each_rejection_reason_names_file_row_column_value(tmp_path, tables, expected):
    result = validate_source(write_tables(tmp_path, tables))
    assert Issue("rejected", *expected) in issues_of(result, "rejected")
    table = next(t for t in schema.TABLES if f"{t.name}.csv" == expected[0])
    read, loaded, rejected = result.counts[table.name]
    assert rejected >= 1 and read == loaded + rejected


def test_duplicate_key_rejected_even_when_the_first_row_was_rejected(tmp_path):
    mentees = BASE["mentees"] + "ME2,West,2024-03-01,2001-01-01,SY,true\n"
    mentees = mentees.replace("ME2,East,2024-02-01", "ME2,East,2024-02-31")
    result = validate_source(write_tables(tmp_path, {"mentees": mentees}))
    rejected = issues_of(result, "rejected")
    assert Issue("rejected", "mentees.csv", 3, "applied_on", "2024-02-31", "not a date (YYYY-MM-DD)") in rejected
    assert Issue("rejected", "mentees.csv", 4, "mentee_id", "ME2", "duplicate key: already used in row 3") in rejected
    assert result.counts["mentees"] == (3, 1, 2)
    # D2 names ME2, whose first row was rejected: it goes too.
    assert Issue("rejected", "duos.csv", 3, "mentee_id", "ME2",
                 "refers to mentees.csv row 3, which was rejected") in rejected


def test_a_row_with_several_problems_counts_once(tmp_path):
    mentees = BASE["mentees"].replace("ME2,East,2024-02-01,1999-01-01,AF,true", "ME2,,2024-02-30,1999-01-01,ZZ,perhaps")
    result = validate_source(write_tables(tmp_path, {"mentees": mentees}))
    mentee_issues = [i for i in result.issues if i.file_name == "mentees.csv" and i.row_number == 3]
    assert [i.column_name for i in mentee_issues] == [
        "branch", "applied_on", "country_of_origin", "registered_jobseeker"]
    assert result.counts["mentees"] == (2, 1, 1)


# -- the cascade -------------------------------------------------------------


def test_rejected_parents_reject_their_children_and_each_is_reported(tmp_path):
    folder = write_tables(tmp_path, {
        "mentees": BASE["mentees"].replace("1999-01-01", "1999-02-30"),      # ME2 rejected (row 3)
        "mentors": """
            mentor_id,branch,applied_on,birth_date
            MR1,East,2023-06-01,1960-01-01
            MR2,East,2023-07-01,
        """,                                                                   # MR2 rejected (row 3)
        "duos": BASE["duos"] + "D3,ME1,MR2,East,2024-04-01,,,\n",
        "meetings": """
            meeting_id,duo_id,met_on,hours
            M1,D1,2024-02-12,1
            M2,D2,2024-03-10,1
            M3,D3,2024-04-02,1
        """,
        "check_ins": """
            check_in_id,duo_id,checked_on
            C1,D2,2024-03-15
        """,
        "outcomes": """
            outcome_id,duo_id,stage,recorded_on,status
            O1,D3,exit,2024-05-01,employed
            O2,D1,exit,2024-05-22,employed
        """,
    })
    result = validate_source(folder)
    rejected = issues_of(result, "rejected")
    assert rejected == [
        Issue("rejected", "mentees.csv", 3, "birth_date", "1999-02-30", "not a date (YYYY-MM-DD)"),
        Issue("rejected", "mentors.csv", 3, "birth_date", None, "missing required value"),
        Issue("rejected", "duos.csv", 3, "mentee_id", "ME2", "refers to mentees.csv row 3, which was rejected"),
        Issue("rejected", "duos.csv", 4, "mentor_id", "MR2", "refers to mentors.csv row 3, which was rejected"),
        Issue("rejected", "meetings.csv", 3, "duo_id", "D2", "refers to duos.csv row 3, which was rejected"),
        Issue("rejected", "meetings.csv", 4, "duo_id", "D3", "refers to duos.csv row 4, which was rejected"),
        Issue("rejected", "check_ins.csv", 2, "duo_id", "D2", "refers to duos.csv row 3, which was rejected"),
        Issue("rejected", "outcomes.csv", 2, "duo_id", "D3", "refers to duos.csv row 4, which was rejected"),
    ]
    assert result.counts["duos"] == (3, 1, 2)
    assert result.counts["meetings"] == (3, 1, 2)
    assert result.counts["check_ins"] == (1, 0, 1)
    assert result.counts["outcomes"] == (2, 1, 1)
    assert result.rejected_count == 8


# -- warnings ---------------------------------------------------------------


def test_warnings_load_the_row_and_clear_what_leads_nowhere(tmp_path):
    folder = write_tables(tmp_path, {
        "mentees": """
            mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
            ME1,East,2024-01-10,2000-05-01,SY,true
            ME2,East,2024-03-10,1999-01-01,AF,true
        """,
        "mentors": """
            mentor_id,branch,applied_on,birth_date
            MR1,East,2024-03-01,1960-01-01
        """,
        "staff": """
            staff_id,branch,role,fte,started_on,left_on
            ST1,East,coordinator,0.5,2023-06-01,2023-05-01
            ST2,East,coordinator,2,2023-01-01,
        """,
        "duos": """
            duo_id,mentee_id,mentor_id,coordinator_id,branch,matched_on,first_meeting_on,ended_on,end_reason
            D1,ME1,MR1,ST9,East,2024-03-05,2024-03-12,,completed
            D2,ME2,MR1,ST2,East,2024-03-02,,,
            D3,ME1,MR1,ST1,East,2024-04-01,,,
        """,
        "meetings": """
            meeting_id,duo_id,met_on,hours
            M1,D1,2024-03-01,1
        """,
    })
    result = validate_source(folder)
    # MR1 applied 2024-03-01 and no duo was matched before that: no warning names the mentor.
    assert issues_of(result, "warning") == [
        Issue("warning", "staff.csv", 2, "left_on", "2023-05-01", "left_on is before started_on (2023-06-01): loaded"),
        Issue("warning", "duos.csv", 2, "coordinator_id", "ST9",
              "no staff row has staff_id 'ST9': coordinator_id loaded as empty"),
        Issue("warning", "duos.csv", 2, "end_reason", "completed",
              "end_reason without ended_on: loaded as open, end_reason ignored"),
        Issue("warning", "duos.csv", 3, "coordinator_id", "ST2",
              "refers to staff.csv row 3, which was rejected: coordinator_id loaded as empty"),
        Issue("warning", "duos.csv", 3, "matched_on", "2024-03-02",
              "matched_on is before applied_on (2024-03-10) of mentee_id ME2: loaded"),
        Issue("warning", "meetings.csv", 2, "met_on", "2024-03-01",
              "met_on is before matched_on (2024-03-05) of duo_id D1: loaded"),
    ]
    assert result.counts["duos"] == (3, 3, 0) and result.counts["meetings"] == (1, 1, 0)
    con = duckdb.connect()
    load_into(con, result)
    assert con.execute("SELECT duo_id, coordinator_id, end_reason FROM duos ORDER BY duo_id").fetchall() == [
        ("D1", None, None), ("D2", None, None), ("D3", "ST1", None)]


def test_mentor_applying_after_the_match_is_a_warning(tmp_path):
    folder = write_tables(tmp_path, {"mentors": """
        mentor_id,branch,applied_on,birth_date
        MR1,East,2024-02-10,1960-01-01
    """})
    warnings = issues_of(validate_source(folder), "warning")
    assert warnings == [Issue("warning", "duos.csv", 2, "matched_on", "2024-02-05",
                              "matched_on is before applied_on (2024-02-10) of mentor_id MR1: loaded")]


def test_check_in_staff_of_an_absent_staff_table_is_loaded_empty(tmp_path):
    folder = write_tables(tmp_path, {"check_ins": """
        check_in_id,duo_id,staff_id,checked_on,concern
        C1,D1,ST1,2024-03-01,no
        C2,D2,,2024-03-05,YES
    """})
    result = validate_source(folder)
    assert issues_of(result, "warning") == [
        Issue("warning", "check_ins.csv", 2, "staff_id", "ST1", "the staff table is absent: staff_id loaded as empty")]
    con = duckdb.connect()
    load_into(con, result)
    assert table_rows(con, "check_ins") == [
        ("C1", "D1", None, dt.date(2024, 3, 1), None, None, False, None),
        ("C2", "D2", None, dt.date(2024, 3, 5), None, None, True, None)]


def test_unknown_columns_and_files_are_ignored_with_a_warning(tmp_path):
    folder = write_tables(tmp_path, {"mentors": """
        mentor_id,branch,applied_on,birth_date,favourite_colour
        MR1,East,2023-06-01,1960-01-01,blue
    """})
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = validate_source(folder)
    assert issues_of(result, "warning") == [
        Issue("warning", "notes.csv", None, None, None, "not a table of the record format: ignored"),
        Issue("warning", "mentors.csv", 1, "favourite_colour", None, "unknown column: ignored"),
    ]
    assert result.rejected_count == 0


# -- eligibility exceptions --------------------------------------------------


def test_programme_rule_breaks_are_loaded_and_listed(tmp_path):
    # Ages in whole years on applied_on, worked out by hand:
    # ME1 born 2006-02-01, applied 2024-02-01: 18 on the day -> fine.
    # ME2 born 2006-02-02, applied 2024-02-01: 17 (birthday tomorrow) -> exception.
    # ME3 born 1993-03-01, applied 2024-03-01: 31 on the day -> exception.
    # ME4 born 1993-03-02, applied 2024-03-01: 30 -> fine.
    # ME5 born 2000-02-29, applied 2018-02-28: 17 (28 Feb comes before 29 Feb) -> exception.
    # ME6 born 2000-02-29, applied 2018-03-01: 18 -> fine; origin `el` is Greece (EU).
    # ME7 not a registered job seeker.
    # MR1 born 1974-01-02, applied 2024-01-01: 49 -> exception. MR2 born 1974-01-01: 50 -> fine.
    folder = write_tables(tmp_path, {
        "mentees": """
            mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
            ME1,East,2024-02-01,2006-02-01,SY,true
            ME2,East,2024-02-01,2006-02-02,SY,true
            ME3,East,2024-03-01,1993-03-01,SY,true
            ME4,East,2024-03-01,1993-03-02,SY,1
            ME5,East,2018-02-28,2000-02-29,SY,yes
            ME6,East,2018-03-01,2000-02-29,el,TRUE
            ME7,East,2024-01-01,2000-01-01,SY,No
        """,
        "mentors": """
            mentor_id,branch,applied_on,birth_date
            MR1,East,2024-01-01,1974-01-02
            MR2,East,2024-01-01,1974-01-01
        """,
        "duos": """
            duo_id,mentee_id,mentor_id,branch,matched_on
            D1,ME1,MR2,East,2024-03-01
        """,
    })
    result = validate_source(folder)
    assert result.rejected_count == 0
    rule = "programme rule: mentees are 18–30 (whole years) on applied_on"
    assert issues_of(result, "eligibility_exception") == [
        Issue("eligibility_exception", "mentees.csv", 3, "birth_date", "2006-02-02", f"{rule}; aged 17 on applied_on"),
        Issue("eligibility_exception", "mentees.csv", 4, "birth_date", "1993-03-01", f"{rule}; aged 31 on applied_on"),
        Issue("eligibility_exception", "mentees.csv", 6, "birth_date", "2000-02-29", f"{rule}; aged 17 on applied_on"),
        Issue("eligibility_exception", "mentees.csv", 7, "country_of_origin", "GR",
              "programme rule: mentees come from outside the EU-27"),
        Issue("eligibility_exception", "mentees.csv", 8, "registered_jobseeker", "false",
              "programme rule: mentees are registered job seekers"),
        Issue("eligibility_exception", "mentors.csv", 2, "birth_date", "1974-01-02",
              "programme rule: mentors are at least 50 (whole years) on applied_on; aged 49 on applied_on"),
    ]
    assert result.counts["mentees"] == (7, 7, 0) and result.counts["mentors"] == (2, 2, 0)


# -- cells: trimming, missing, lists, countries -------------------------------


def test_cells_are_trimmed_and_only_empty_is_missing(tmp_path):
    folder = write_tables(tmp_path, {
        "mentees": (
            "mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker,"
            "gender,decision,education_level,sector_sought,first_name\n"
            " ME1 ,\tEast ,2024-01-10 , 2000-05-01,na,True,f,ELIGIBLE,None,NA,NULL\n"
            "ME2,East,2024-02-01,1999-01-01,uk,0,X,,,,\n"),
        "duos": """
            duo_id,mentee_id,mentor_id,branch,matched_on,staff_at_first_meeting
            D1,ME1 ,MR1,East,2024-02-05,Yes
            D2, ME2,MR1,East,2024-03-02,
        """,
    })
    con, result = open_dataset(folder)
    assert result.issues == [
        Issue("eligibility_exception", "mentees.csv", 3, "registered_jobseeker", "false",
              "programme rule: mentees are registered job seekers")]
    assert table_rows(con, "mentees") == [
        ("ME1", "East", dt.date(2024, 1, 10), None, "eligible", None, dt.date(2000, 5, 1), "F", "NA",
         "none", True, "NA", "NULL"),
        ("ME2", "East", dt.date(2024, 2, 1), None, None, None, dt.date(1999, 1, 1), "X", "GB",
         None, False, None, None),
    ]
    assert con.execute("SELECT duo_id, mentee_id, staff_at_first_meeting FROM duos").fetchall() == [
        ("D1", "ME1", True), ("D2", "ME2", None)]


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
         None, "José")]
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
         "2024", None),
        ("ME2", "East", dt.date(2024, 2, 1), None, None, None, dt.date(1999, 1, 1), None, "AF", None, True,
         None, None),
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
    "bool": "BOOLEAN", "number": "DOUBLE", "integer": "INTEGER",
}


def test_every_table_is_created_with_the_architecture_types(tmp_path):
    con, result = open_dataset(write_tables(tmp_path, {}))
    for table in schema.TABLES:
        described = con.execute(f'DESCRIBE "{table.name}"').fetchall()
        assert [(name, kind) for name, kind, *_ in described] == [
            (c.name, ARCHITECTURE_TYPES[c.type]) for c in table.columns]
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
