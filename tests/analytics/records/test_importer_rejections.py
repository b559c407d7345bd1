"""The importer against the record format, rule by rule, on real DuckDB: every
rejection reason, and the cascade from rejected parents to their children.

Each test writes the few rows it needs (``helpers.write_tables``); the
expected issues (file, row, column, value, reason) and loaded values are
worked out by hand from those rows, never by running the importer.
"""
from __future__ import annotations

import pytest

from analytics.records import schema
from analytics.records.importer import Issue, validate_source
from tests.analytics.records.helpers import BASE, issues_of, write_tables


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
