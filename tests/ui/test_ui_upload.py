"""The Data page's upload flow says no server path, keeps "Check the files"
disabled while the files cannot be checked, and gives the rejected rows back."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.analytics.records.helpers import write_tables
from ui import imports


@dataclass
class Upload:
    name: str
    data: bytes = b""

    def getvalue(self) -> bytes:
        return self.data


def test_a_stopped_check_names_no_server_path(tmp_path):
    # duos.csv missing: the importer's message starts with the folder it read
    files = [Upload("mentees.csv", b"mentee_id\n"), Upload("mentors.csv", b"mentor_id\n")]
    checked = imports.check(files)
    try:
        assert checked.stopped is not None
        raw = str(checked.stopped)
        assert str(checked.folder) in raw                  # what the message would have shown
        shown = imports.message(checked.stopped)
        assert imports.UPLOAD_PREFIX not in shown and str(checked.folder) not in shown
        assert shown == "the uploaded files: required table file missing: duos.csv"
    finally:
        checked.cleanup()


def test_paths_inside_a_message_are_cut_to_the_file_name():
    text = "/tmp/duo-impact-upload-ab12_x/duos.csv cannot be read: bad"
    assert imports.without_paths(text) == "duos.csv cannot be read: bad"
    assert imports.without_paths(r"C:\Temp\duo-impact-upload-9\mentees.csv") == "mentees.csv"


@pytest.mark.parametrize("names, problem", [
    ([], "Add the files to check."),
    (["mentees.csv", "mentors.csv", "duos.csv", "notes.txt"], "Not a CSV, Parquet or Excel file: notes.txt"),
    (["book.xlsx", "duos.csv"], "Upload one Excel workbook alone"),
    (["mentees.csv", "duos.csv"], "Required table file missing: mentors.csv."),
    (["mentees.csv", "mentors.parquet", "duos.csv"], None),
    (["book.xlsx"], None),
])
def test_check_is_disabled_while_it_cannot_work(names, problem):
    got = imports.upload_problem([Upload(n) for n in names])
    assert (got is None) if problem is None else got.startswith(problem), got


def test_the_rejected_rows_of_a_check_download(tmp_path):
    folder = write_tables(tmp_path / "src", {"mentors": (
        "mentor_id,branch,applied_on,birth_date\n"
        "MR1,East,2023-06-01,1960-01-01\n"
        "MR2,East,2023-13-01,1961-01-01\n")})
    files = [Upload(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    checked = imports.check(files)
    try:
        frames = imports.rejected_downloads(checked)
        # MR2 (row 3): month 13 is not a date
        assert frames["mentors"]["mentor_id"].tolist() == ["MR2"]
        assert frames["mentors"]["issue_column"].tolist() == ["applied_on"]
        assert imports.rejected_csv(frames["mentors"]).decode("utf-8-sig").splitlines()[1].startswith(
            "MR2,East,2023-13-01,1961-01-01,3,applied_on,")
        assert imports.rejected_xlsx(frames)[:2] == b"PK"          # a zip: an .xlsx
    finally:
        checked.cleanup()
