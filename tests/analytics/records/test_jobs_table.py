"""The optional jobs table (handbook v2): its columns and each import rule.

A reused job_id is rejected (the first row kept), as is a row whose
mentee_id is missing or names a rejected mentee, a contract outside its list,
hours_per_week outside (0, 60] and an ended_on before started_on; each with
file, row, column, value and reason. Its dates never set the default as-of.
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.engine import query as engine
from analytics.records import schema
from analytics.records.importer import open_dataset, validate_source
from analytics.records.issues import Issue
from tests.analytics.records.helpers import BASE, issues_of, table_rows, write_tables

HEADER = "job_id,mentee_id,started_on,ended_on,contract,hours_per_week\n"
GOOD = "J1,ME1,2024-03-01,2024-06-30,permanent,38\n"


def test_jobs_columns_are_the_handbooks():
    jobs = schema.TABLES_BY_NAME["jobs"]
    assert not jobs.required and jobs.key == "job_id"
    assert [(c.name, c.type, c.required) for c in jobs.columns] == [
        ("job_id", "text", True), ("mentee_id", "text", True), ("started_on", "date", True),
        ("ended_on", "date", False), ("contract", "choice", False), ("hours_per_week", "number", False)]
    assert jobs.column("mentee_id").references == "mentees"
    assert jobs.column("contract").choices == ("permanent", "fixed_term", "temp_agency", "none")
    assert jobs.column("hours_per_week").range_text() == "in (0, 60]"


@pytest.mark.parametrize("row, expected", [
    ("J2,ME9,2024-03-01,,,\n", ("jobs.csv", 3, "mentee_id", "ME9", "no mentees row has mentee_id 'ME9'")),
    ("J2,,2024-03-01,,,\n", ("jobs.csv", 3, "mentee_id", None, "missing required value")),
    ("J2,ME1,2024-03-01,,seasonal,\n",
     ("jobs.csv", 3, "contract", "seasonal", "not one of: permanent, fixed_term, temp_agency, none")),
    ("J2,ME1,2024-03-01,,,0\n", ("jobs.csv", 3, "hours_per_week", "0", "out of range: must be in (0, 60]")),
    ("J2,ME1,2024-03-01,,,60.5\n",
     ("jobs.csv", 3, "hours_per_week", "60.5", "out of range: must be in (0, 60]")),
    ("J1,ME2,2024-04-01,,,\n", ("jobs.csv", 3, "job_id", "J1", "duplicate key: already used in row 2")),
], ids=["unknown mentee", "no mentee", "contract", "hours 0", "hours above 60", "reused job_id"])
def test_each_jobs_rule_rejects_the_row(tmp_path, row, expected):
    result = validate_source(write_tables(tmp_path, {"jobs": HEADER + GOOD + row}))
    assert Issue("rejected", *expected) in issues_of(result, "rejected")
    assert result.counts["jobs"] == (2, 1, 1)   # read, loaded (the first row, J1), rejected


def test_ended_before_started_is_rejected(tmp_path):
    result = validate_source(write_tables(tmp_path, {"jobs": HEADER + "J1,ME1,2024-03-01,2024-02-28,,\n"}))
    rejected = issues_of(result, "rejected")
    assert [(i.file_name, i.row_number, i.column_name, i.value) for i in rejected] == [
        ("jobs.csv", 2, "ended_on", "2024-02-28")]
    assert result.counts["jobs"] == (1, 0, 1)


def test_a_spell_of_a_rejected_mentee_is_rejected(tmp_path):
    mentees = BASE["mentees"].replace("ME2,East,2024-02-01", "ME2,East,2024-02-31")  # ME2 rejected
    result = validate_source(write_tables(tmp_path, {"mentees": mentees,
                                                     "jobs": HEADER + GOOD + "J2,ME2,2024-03-01,,,\n"}))
    assert any(i.file_name == "jobs.csv" and i.row_number == 3 and i.column_name == "mentee_id"
               and "rejected" in i.reason for i in issues_of(result, "rejected"))


def test_jobs_load_with_their_types_and_never_set_the_default_as_of(tmp_path):
    # the base data's latest event date is a duo's match; a spell in 2030 does not move it
    con, result = open_dataset(write_tables(tmp_path, {"jobs": HEADER + GOOD + "J2,ME2,2030-01-01,,none,19.5\n"}))
    assert result.rejected_count == 0
    assert table_rows(con, "jobs") == [
        ("J1", "ME1", dt.date(2024, 3, 1), dt.date(2024, 6, 30), "permanent", 38.0),
        ("J2", "ME2", dt.date(2030, 1, 1), None, "none", 19.5)]
    without = engine.default_as_of(open_dataset(write_tables(tmp_path / "b", {}))[0])
    assert engine.default_as_of(con) == without < dt.date(2030, 1, 1)
