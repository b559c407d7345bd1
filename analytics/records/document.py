"""Writes docs/record-format.md, the public import contract, from analytics/schema.py.

The tables, columns, types, lists, ranges and rules in the document are read
from the schema, so the document cannot drift from what the importer does
(tests/test_schema.py checks that the file in docs/ equals this output). The
prose around them is ours. The app's Data page renders the same text through
record_format_markdown().

    python -m analytics.records.document          # rewrite docs/record-format.md
"""
from __future__ import annotations

import sys
from pathlib import Path

from analytics.records import schema
from analytics.records.schema import Column, Table

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "record-format.md"


def type_text(column: Column) -> str:
    """The column's type as the document writes it, e.g. `number in (0, 1]`."""
    if column.type == "choice":
        return " / ".join(f"`{choice}`" for choice in column.choices)
    if column.type == "country":
        return "country (ISO 3166-1 alpha-2)"
    if column.type == "languages":
        return "languages (ISO 639-1 codes separated by `;`)"
    if column.type == "month":
        return "month (`YYYY-MM`)"
    if column.type == "date":
        return "date (`YYYY-MM-DD`)"
    if column.type == "number":
        decimals = "decimal" if column.scale == 1 else "decimals"
        return f"number {column.range_text()}, at most {column.scale} {decimals}".replace("number , ", "number, ")
    if column.type == "integer":
        return f"{column.type} {column.range_text()}".strip()
    return column.type


def _required_text(column: Column) -> str:
    if column.required_with:
        return f"when `{column.required_with}` is set"
    return "yes" if column.required else "no"


def meaning_text(column: Column, table: Table) -> str:
    """What the column is: key, reference, meaning, personal data."""
    parts = []
    if column.name == table.key:
        parts.append("unique key")
    if column.references:
        kind = "required" if column.required else "optional"
        parts.append(f"→ `{column.references}` ({kind} reference)")
    if column.meaning:
        parts.append(column.meaning)
    if column.personal and "personal data" not in column.meaning:
        parts.append("personal data")
    return "; ".join(parts)


def _table_section(table: Table) -> list[str]:
    status = "required" if table.required else "optional"
    key = f" Key: `{table.key}`." if table.key else " No key column."
    lines = [
        f"### {table.name} — {table.title}",
        "",
        f"`{table.name}.csv`, `{table.name}.parquet` or sheet `{table.name}`: {status} table.{key}",
        "",
        "| column | type | required | meaning |",
        "|---|---|---|---|",
    ]
    for column in table.columns:
        lines.append(f"| `{column.name}` | {type_text(column)} | {_required_text(column)} | "
                     f"{meaning_text(column, table)} |")
    return lines + [""]


def _rule_lines() -> list[str]:
    rejecting = [rule for rule in schema.DATE_ORDERS if rule.rejects]
    unlikely = [rule for rule in schema.DATE_ORDERS if not rule.rejects]
    paired = [(table, column) for table in schema.TABLES for column in table.columns
              if column.required_with]
    references = [(table, column) for table in schema.TABLES for column in table.references]
    lines = ["## Rules across columns and tables", "", "A row is **rejected** when:", ""]
    for table, column in references:
        if column.required:
            lines.append(f"- `{table.name}.{column.name}` names no kept row of `{column.references}` "
                         f"(the row does not exist, or it was itself rejected);")
    for rule in rejecting:
        lines.append(f"- in `{rule.table}`: {rule.description} (a date order that cannot be);")
    for table, column in paired:
        lines.append(f"- in `{table.name}`: `{column.required_with}` is set but `{column.name}` "
                     f"is empty.")
    lines += ["", "A row is **loaded with a warning** when:", ""]
    for table, column in paired:
        lines.append(f"- in `{table.name}`: `{column.name}` is set but `{column.required_with}` "
                     f"is empty: the row is loaded with `{column.name}` cleared;")
    for table, column in references:
        if not column.required:
            lines.append(f"- `{table.name}.{column.name}` names a `{column.references}` row that "
                         f"does not exist or was rejected, or the `{column.references}` table is "
                         f"absent: loaded as empty;")
    for rule in unlikely:
        lines.append(f"- {rule.description} (an unlikely date order);")
    lines[-1] = lines[-1][:-1] + "."
    lines += ["", "## Programme rules (eligibility exceptions)", "",
              "A row that breaks a programme rule is loaded and listed as an eligibility "
              "exception, never dropped. Ages are whole years: the difference of the years, "
              "minus one when the day of the year of the later date comes before the birthday.",
              ""]
    for rule in schema.PROGRAMME_RULES:
        lines.append(f"- `{rule.table}.{rule.column}`: {rule.description}.")
    lines += ["", "The EU-27 codes: " + " ".join(f"`{code}`" for code in schema.EU27) + ".", ""]
    return lines


_INTRODUCTION = """\
# Record format (v1)

*Generated from `analytics/schema.py` by `python -m analytics.records.document`;
do not edit by hand.*

Duo Impact reads a mentoring programme's records as a set of tables, one file
per table, the way a CRM or a spreadsheet exports them. This page is the
contract your export must meet: the table and column names are exact. Blank
templates come from `python -m analytics templates OUT_DIR`.

## Files

A data set is one of:

- a folder of `<table>.csv` files, each with a header row;
- a folder of `<table>.parquet` files;
- one `.xlsx` workbook with a sheet per table, the sheet named after the table,
  the header in row 1.

Three tables are required: {required}. The others may be left out: an absent
table means "no rows", and every indicator that needs it shows as unavailable
(not as zero). Columns may come in any order; a column the format does not
know is ignored with a warning; a missing optional column reads as empty; a
missing required column stops the import.

### Exporting from a spreadsheet

- Excel: *File → Save As → CSV UTF-8 (comma delimited)*, one file per sheet,
  named after the table. A semicolon-separated CSV (what Excel writes in
  countries where the comma is the decimal mark) works too, and so does an
  older Windows "CSV" file in Windows-1252.
- LibreOffice: *Save As → Text CSV*, character set UTF-8, field delimiter `,`
  or `;`, string delimiter `"`.
- Or import the workbook itself: give the `.xlsx` file instead of a folder.
- Write dates as ISO dates, `2024-03-15` (months as `2024-03`). In a workbook a
  cell formatted as a date is read as that date, whatever its display.

## Cells

- Every cell is trimmed. Only a cell that is empty after trimming is missing:
  `NA`, `NULL`, `none` and `-` are values (`NA` is Namibia).
- Dates are `YYYY-MM-DD`, months `YYYY-MM`.
- Booleans are `true` / `false`, also `1` / `0` and `yes` / `no`, in any case.
- The values of a list are matched in any case and stored as this page writes
  them (`Eligible` is stored as `eligible`, `f` as `F`).
- Ids, branch and funder names are matched exactly, case and accents included
  (`ME1` and `me1` are two people).
- Countries are ISO 3166-1 alpha-2 codes or `XK` (Kosovo), in any case, stored
  in upper case; the EU's own `EL` and `UK` are read as `GR` and `GB`.
- Numbers never carry a thousands separator. In a comma-separated file the
  decimal mark is `.`; in a semicolon-separated file it is `,`, and a `.` in a
  number there is rejected as ambiguous (`1.500` could be 1.5 or 1500).
- Numbers are exact decimals, stored as fixed-point (`DECIMAL(18, s)`), never
  as binary floating point: each number column says how many decimals it may
  carry (its scale `s`: euros to the cent, hours and FTE to the hundredth, a
  target to four decimals). A number with more decimals is **rejected**, not
  rounded (`too many decimals: at most 2 after the decimal mark`); trailing
  zeros do not count (`12.500` is 12.5), and an exponent is read as its value
  (`1.5e1` is 15). A number with more than 18 − s digits before the decimal
  mark is rejected as out of range. A number cell of a workbook, or a
  floating-point column of a Parquet file, is read to 15 significant digits,
  as a spreadsheet shows it (a cell holding 0.1 + 0.2 is 0.3).
- In a workbook or a Parquet file, typed cells keep their meaning: a date cell
  is a date, a whole number in a text column is its digits (`10`, not `10.0`),
  and `1` / `0` in a boolean column are true / false.
- A row whose cells are all empty is not a record: it is skipped (with a
  warning when records follow it).

Reported rows carry their spreadsheet row number: the header is row 1, the
first record row 2, and a quoted cell spanning several lines is still one row.

## Tables
"""

_BAD_INPUT = """\
## What happens to bad input

- **The import stops** — nothing is changed, exit code 2 — when a file cannot
  be read (not UTF-8 or Windows-1252, a damaged workbook or Parquet file, no
  header row), a required table is missing, or a file lacks a required column
  or has one twice. The message names the file and the column.
- **A row is rejected** — not loaded, listed with file, row number, column,
  value and reason — when a value cannot be read or is out of range, a
  required value is missing, a value is not in its list, its key was already
  used by an earlier row of the file (the first row with a key is the one
  kept, even when it was itself rejected), a row has too few cells or values
  beyond the header, or one of the rules above rejects it. Rejection cascades:
  a rejected mentee or mentor rejects its duos, a rejected duo its meetings,
  check-ins and outcomes, and each of those rows is listed too.
- Every row read is either loaded or listed as rejected: per table, rows read
  = rows loaded + rows rejected.
- **Warnings** and **eligibility exceptions** are listed; their rows are loaded.
- An import replaces the previous data set as a whole: the new data set is
  written beside the old one and becomes current only when complete, so a
  failed or killed import leaves the previous data in place. Importing the
  same files twice gives the same tables (only the import log grows).

## Commands and exit codes

    python -m analytics validate SOURCE [--report FILE]
    python -m analytics import SOURCE --db PATH [--strict] [--report FILE]
    python -m analytics templates OUT_DIR

`validate` checks and reports, changing nothing; `import` reports the same way
and then loads the valid rows into the store `PATH`; `--report FILE` writes
every issue to a CSV file (a JSON file when the name ends in `.json`).

| exit code | meaning |
|---|---|
| 0 | every row was loaded (or would be, for `validate`) |
| 1 | rows were rejected; the valid rows were loaded (unless `--strict`) |
| 2 | nothing was changed: input that stops the import, bad arguments, or `--strict` with rejected rows |
"""


def record_format_markdown() -> str:
    """The whole document, as Markdown."""
    required = ", ".join(f"`{name}`" for name in schema.REQUIRED_TABLES)
    lines = [_INTRODUCTION.replace("{required}", required)]
    for table in schema.TABLES:
        lines += _table_section(table)
    lines += _rule_lines()
    lines.append(_BAD_INPUT)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    DOC_PATH.write_text(record_format_markdown(), encoding="utf-8")
    print(DOC_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
