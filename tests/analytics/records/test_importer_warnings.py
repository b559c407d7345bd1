"""The importer against the record format, rule by rule, on real DuckDB:
warnings, eligibility exceptions, and cells (trimming, missing values, lists,
countries).

Each test writes the few rows it needs (``helpers.write_tables``); the
expected issues (file, row, column, value, reason) and loaded values are
worked out by hand from those rows, never by running the importer.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from analytics.records.importer import Issue, load_into, open_dataset, validate_source
from tests.analytics.records.helpers import issues_of, table_rows, write_tables


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
         "none", True, "NA", "NULL", None, None),
        ("ME2", "East", dt.date(2024, 2, 1), None, None, None, dt.date(1999, 1, 1), "X", "GB",
         None, False, None, None, None, None),
    ]
    assert con.execute("SELECT duo_id, mentee_id, staff_at_first_meeting FROM duos").fetchall() == [
        ("D1", "ME1", True), ("D2", "ME2", None)]
