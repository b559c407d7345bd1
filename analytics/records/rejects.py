"""The rejected rows of a check, as the programme wrote them, ready to correct
and import again.

A validation keeps only the rows it accepts (``analytics.records.importer``);
a programme fixing a large export needs the others back: every rejected row
with its original columns, exactly as they were in the file (text stays text:
``007`` stays ``007``, a date stays as it was written), and after them where
and why it was refused: ``issue_row`` (the spreadsheet row, header = 1),
``issue_column`` and ``issue_reason`` (a row refused for several reasons is
listed once, its columns and reasons joined with "; ").

:func:`rejected_rows` reads them again from the checked source (a folder of
CSV/Parquet files or one workbook); :func:`csv_bytes` and :func:`xlsx_bytes`
write them. The XLSX has a sheet per table, named after it, every cell a text
cell (number format ``@``), so the workbook reads back as it was.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from analytics.records import schema
from analytics.records.issues import Issue
from analytics.records.reading import cell_text

ISSUE_COLUMNS = ("issue_row", "issue_column", "issue_reason")
_SHEET = ", sheet "


def table_of(file_name: str) -> str | None:
    """The table an issue's file name is about: ``duos.csv`` or ``book.xlsx, sheet duos``."""
    name = file_name.split(_SHEET, 1)[1] if _SHEET in file_name else Path(file_name).stem
    return name if name in schema.TABLES_BY_NAME else None


def rejected_rows(source: Path, issues: Iterable[Issue],
                  translate: Callable[[str], str] | None = None) -> dict[str, pd.DataFrame]:
    """{table: the rejected rows of its file, original columns as text, then
    ``issue_row``, ``issue_column``, ``issue_reason``} for every table with a
    rejected row. ``translate`` gives the reasons in the reader's language."""
    by_table: dict[str, dict[int, list[Issue]]] = {}
    for issue in issues:
        table = table_of(issue.file_name)
        if issue.severity != "rejected" or issue.row_number is None or table is None:
            continue
        by_table.setdefault(table, {}).setdefault(int(issue.row_number), []).append(issue)
    out = {}
    for table, rows in by_table.items():
        header, records = _read(source, table)
        frame_rows = []
        for number in sorted(rows):
            cells = records.get(number, [])
            cells = (list(cells) + [""] * len(header))[:len(header)]
            found = rows[number]
            frame_rows.append(cells + [str(number),
                                       "; ".join(dict.fromkeys(i.column_name or "" for i in found)),
                                       "; ".join(dict.fromkeys(i.text(translate) for i in found))])
        out[table] = pd.DataFrame(frame_rows, columns=_unique(header + list(ISSUE_COLUMNS)), dtype=object)
    return out


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out


def _read(source: Path, table: str) -> tuple[list[str], dict[int, list[str]]]:
    """The header and {row number (header = 1): cells as text} of ``table`` in ``source``."""
    if source.is_file():                      # one workbook, a sheet per table
        sheets = pd.read_excel(source, sheet_name=None, header=None, dtype=object, engine="calamine")
        frame = next((f for name, f in sheets.items() if str(name).strip() == table), None)
        if frame is None:
            return [], {}
        rows = [[cell_text(None if pd.isna(c) else c, "text") or "" for c in row] for row in frame.values.tolist()]
        return (rows[0] if rows else []), {i: row for i, row in enumerate(rows[1:], start=2)}
    csv_path, parquet_path = source / f"{table}.csv", source / f"{table}.parquet"
    if parquet_path.is_file():
        frame = pd.read_parquet(parquet_path)
        rows = [["" if pd.isna(c) else cell_text(c, "text") for c in row] for row in frame.itertuples(index=False)]
        return [str(c) for c in frame.columns], {i: row for i, row in enumerate(rows, start=2)}
    if not csv_path.is_file():
        return [], {}
    raw = csv_path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    header = records[0] if records else []
    return header, {i: row for i, row in enumerate(records[1:], start=2)}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """One table's rejected rows as CSV (UTF-8 with BOM, so a spreadsheet reads
    accents), every value exactly as it was in the file."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """A workbook, a sheet per table (named after it), every cell a text cell:
    ``007`` stays ``007`` and a date stays as written when it is read back."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, frame in frames.items():
        sheet = book.create_sheet(title=table[:31])
        for r, row in enumerate([list(frame.columns)] + frame.astype(object).values.tolist(), start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value="" if value is None else str(value))
                cell.number_format = "@"
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
