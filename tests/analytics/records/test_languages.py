"""The `languages` columns (mentees, mentors): ISO 639-1 codes separated by `;`."""
from __future__ import annotations

import pytest

from analytics.records.importer import open_dataset
from tests.conftest import write_programme

MENTEES = """
    mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker,languages
    ME1,East,2024-01-10,2000-05-01,SY,true,
"""
DUOS = "duo_id,mentee_id,mentor_id,branch,matched_on\n"


@pytest.mark.parametrize("table", ["mentors", "mentees"])
def test_languages_are_iso_639_1_codes_separated_by_semicolons(tmp_path, table):
    # "AR; fr;" reads as ar;fr (trimmed, lower-case, the trailing ';' dropped);
    # "ar;xx;fr;qq" is rejected naming the two codes ISO 639-1 does not know.
    if table == "mentors":
        tables = {"mentees": MENTEES, "mentors": (
            "mentor_id,branch,applied_on,birth_date,languages\n"
            "MR1,East,2023-06-01,1960-01-01,AR; fr;\n"
            "MR2,East,2023-06-01,1960-01-01,ar;xx;fr;qq\n")}
    else:
        tables = {"mentors": "mentor_id,branch,applied_on,birth_date\nX,East,2023-06-01,1960-01-01\n",
                  "mentees": (
            "mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker,languages\n"
            "MR1,East,2024-01-10,2000-05-01,SY,true,AR; fr;\n"
            "MR2,East,2024-01-10,2000-05-01,SY,true,ar;xx;fr;qq\n")}
    con, result = open_dataset(write_programme(tmp_path, {**tables, "duos": DUOS}))
    rejected = [(i.file_name, i.row_number, i.column_name, i.value, i.reason)
                for i in result.issues if i.severity == "rejected"]
    assert rejected == [(f"{table}.csv", 3, "languages", "ar;xx;fr;qq",
                         "not a list of ISO 639-1 language codes separated by ';' (unknown: xx, qq)")]
    key = "mentor_id" if table == "mentors" else "mentee_id"
    assert con.execute(f"select {key}, languages from {table}").fetchall() == [("MR1", "ar;fr")]
