"""The rejected rows of a check, downloadable as the programme wrote them
(analytics.records.rejects): original columns as text, then row number,
column and reason; the XLSX keeps text as text."""
from __future__ import annotations

import io

import pandas as pd

from analytics.records import rejects
from analytics.records.importer import validate_source
from tests.analytics.records.helpers import write_tables


def _folder(tmp_path):
    # mentees: ME2's birth date is not a date (row 3); ME3 has two problems (row 5, after an
    # empty line at row 4): an unknown branch-less id is fine, but applied_on and birth_date
    # are both wrong. ME1 loads. Leading zeros and spaces in text cells must come back unchanged.
    return write_tables(tmp_path / "src", {"mentees": (
        "mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker\n"
        "ME1,East,2024-01-10,2000-05-01,SY,true\n"
        "ME2,East,2024-02-01,01/02/1999,AF,true\n"
        "\n"
        "ME007,East,2024-02-xx,yesterday,AF,true\n")})


def test_rejected_rows_come_back_with_their_original_cells(tmp_path):
    folder = _folder(tmp_path)
    result = validate_source(folder)
    try:
        frames = rejects.rejected_rows(folder, result.issues)
    finally:
        result.close()
    frame = frames["mentees"]
    assert list(frame.columns) == ["mentee_id", "branch", "applied_on", "birth_date", "country_of_origin",
                                   "registered_jobseeker", "issue_row", "issue_column", "issue_reason"]
    assert frame["mentee_id"].tolist() == ["ME2", "ME007"]
    assert frame["birth_date"].tolist() == ["01/02/1999", "yesterday"]       # as written, not parsed
    assert frame["issue_row"].tolist() == ["3", "5"]
    # ME007: two problems, one line; both columns named
    assert set(frame["issue_column"].iloc[1].split("; ")) == {"applied_on", "birth_date"}
    assert "not a date" in frame["issue_reason"].iloc[0]
    # duo D2 (row 3 of duos.csv) is ME2's: rejected with its mentee; the mentors had no rejected
    # row, so no frame for them
    assert set(frames) == {"mentees", "duos"}
    assert frames["duos"]["duo_id"].tolist() == ["D2"] and frames["duos"]["issue_row"].tolist() == ["3"]


def test_the_csv_and_the_xlsx_keep_text_as_text(tmp_path):
    folder = _folder(tmp_path)
    result = validate_source(folder)
    try:
        frames = rejects.rejected_rows(folder, result.issues)
    finally:
        result.close()
    back = pd.read_csv(io.BytesIO(rejects.csv_bytes(frames["mentees"])), dtype=str, encoding="utf-8-sig")
    assert back["mentee_id"].tolist() == ["ME2", "ME007"] and back["issue_row"].tolist() == ["3", "5"]

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(rejects.xlsx_bytes(frames)))
    assert book.sheetnames == ["mentees", "duos"]
    sheet = book["mentees"]
    assert [c.value for c in sheet[1]][:2] == ["mentee_id", "branch"]
    cells = list(sheet.iter_rows(min_row=2))
    # every cell is a text cell holding the text as written (the row number "3" too)
    assert all(c.data_type == "s" and c.number_format == "@" for row in cells for c in row if c.value)
    assert [c.value for c in cells[0]][:4] == ["ME2", "East", "2024-02-01", "01/02/1999"]
    assert cells[0][6].value == "3"


def test_a_workbook_source_gives_its_sheet_rows(tmp_path):
    # the same rows in a workbook: the rejected row's cells read back from the sheet
    folder = _folder(tmp_path)
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        for name in ("mentees", "mentors", "duos"):
            pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).to_excel(
                writer, sheet_name=name, index=False)
    result = validate_source(book)
    try:
        frames = rejects.rejected_rows(book, result.issues)
    finally:
        result.close()
    # pandas drops the empty line: ME007 is row 4 of the sheet
    assert frames["mentees"]["mentee_id"].tolist() == ["ME2", "ME007"]
    assert frames["mentees"]["issue_row"].tolist() == ["3", "4"]
    assert rejects.table_of("book.xlsx, sheet duos") == "duos" and rejects.table_of("x.csv") is None
