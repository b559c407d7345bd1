"""Blank templates of the record format, and the guard that keeps a cell
from running as a spreadsheet formula.

Records owns them because they are the record format handed to a person:
one header-only ``<table>.csv`` per table and ``template.xlsx`` (a sheet per
table, a comment per column saying its type and meaning, drop-downs for the
lists). ``python -m analytics templates`` and the dashboard's data page both
write them with :func:`write_templates`; openpyxl is imported only then.
"""
from __future__ import annotations

import csv
from pathlib import Path

from analytics.records import schema
from analytics.records.document import meaning_text, type_text


def write_templates(out_dir: Path) -> list[Path]:
    """A header-only <table>.csv per table and template.xlsx (a sheet per
    table, header comments saying type and meaning, drop-downs for lists)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in schema.TABLES:
        path = out_dir / f"{table.name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(table.column_names)
        written.append(path)

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in schema.TABLES:
        sheet = workbook.create_sheet(table.name)
        sheet.append(list(table.column_names))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.comment = Comment(_column_note(column, table), "Duo Impact")
            sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
            choices = column.choices or (("true", "false") if column.type == "bool" else ())
            if choices:
                check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                       allow_blank=True)
                check.add(f"{letter}2:{letter}1048576")
                sheet.add_data_validation(check)
    path = out_dir / "template.xlsx"
    workbook.save(path)
    written.append(path)
    return written


def _column_note(column: schema.Column, table: schema.Table) -> str:
    required = "required" if column.required else "optional"
    if column.required_with:
        required = f"required when {column.required_with} is set"
    note = f"{type_text(column)}, {required}. {meaning_text(column, table)}".strip()
    return note.replace("`", "")


def spreadsheet_safe(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula (= + - @, or a leading
    tab or carriage return) gets a leading apostrophe; numbers stay numbers."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return "" if cell is None else cell
