"""Reading a source: finding its files, decoding them, every cell as text in DuckDB.

A source is a folder of `<table>.csv` or `<table>.parquet` files, or one
`.xlsx` workbook with a sheet per table. Every cell is first read as text,
whatever the source, so that one code path checks all three (checks.py):

- a CSV file through DuckDB's reader (all_varchar). It may be UTF-8, with or
  without a byte-order mark, or Windows-1252 (re-encoded to UTF-8 on the fly,
  streaming, into a temporary file); it may be separated by `,` or by `;`
  (then its numbers have a decimal comma). Files DuckDB's strict reader will
  not take (blank lines, rows with a wrong number of cells, stray quotes) are
  read again with Python's csv module, which numbers rows the same way: a
  quoted cell spanning lines still counts as one row.
- a Parquet file through DuckDB, its typed cells spelled the way the record
  format reads them;
- a workbook through pandas/calamine, its typed cells spelled the same way.

The row number of an issue is the spreadsheet row (header = row 1).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pyarrow as pa

from analytics.records import schema
from analytics.records.cells import create_typed
from analytics.records.issues import ImportStopped
from analytics.records.schema import Table
from analytics.records.sql import BLANKS, lit, q
from analytics.records.staging import Staged, Validation

CHUNK = 1 << 22  # bytes read at a time from a file


@dataclass
class SourceFile:
    """Where a table's rows are: a file, or a sheet of a workbook."""

    table: Table
    kind: str  # "csv", "parquet" or "sheet"
    path: Path
    display: str  # how issues name it
    size: int = 0
    rows: list | None = None  # a workbook sheet's cells, header first


def file_digest(path: Path) -> str:
    """The SHA-256 of the file (import_log records it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class CsvFacts:
    """What one pass over a CSV file's bytes found (see scan_csv)."""

    sha256: str
    utf8: bool
    blank_line_inside: bool
    utf16: bool


def scan_csv(path: Path) -> CsvFacts:
    """One pass over the bytes: SHA-256, whether they are valid UTF-8, and
    whether an empty line sits between records (DuckDB's reader skips those,
    which would shift the row numbers after them)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    first_blank = -1
    last_content = -1
    offset = 0
    tail = b""
    with open(path, "rb") as handle:
        utf16 = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if first_blank < 0:
                window = tail + chunk
                # bytes.find is slow on a pattern that starts with a frequent byte: look
                # for "\n\r\n" only where a "\r" is (Windows line ends), a quick test
                patterns = (b"\n\n", b"\n\r\n") if b"\r" in window else (b"\n\n",)
                hits = [i for i in (window.find(p) for p in patterns) if i >= 0]
                if hits:
                    first_blank = offset - len(tail) + min(hits)
            stripped = len(chunk.rstrip(b"\r\n\t "))
            if stripped:
                last_content = offset + stripped - 1
            tail = chunk[-2:]
            offset += len(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return CsvFacts(digest.hexdigest(), utf8, 0 <= first_blank < last_content, utf16)


def transcode_cp1252(path: Path, target: Path, display: str) -> None:
    """Windows-1252 to UTF-8, streaming (DuckDB reads UTF-8 without extensions)."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        with open(path, "rb") as source, open(target, "w", encoding="utf-8", newline="") as out:
            while chunk := source.read(CHUNK):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as error:
        raise ImportStopped("not_utf8_or_cp1252", file=display,
                            byte=f"0x{error.object[error.start]:02x}") from None


def cell_text(value: object, column_type: str) -> str | None:
    """A workbook cell as the text the record format reads (typed cells keep
    their meaning: a date cell is a date, 10.0 is `10`, a boolean is true/false)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if column_type == "number":
            # a spreadsheet keeps 15 significant digits: 0.1 + 0.2 is 0.3 there
            return format(value, ".15g")
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value != value:  # pandas NaT
            return None
        if column_type == "month":
            return f"{value.year:04d}-{value.month:02d}"
        if column_type == "date" or value.time() == dt.time():
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        if column_type == "month":
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def parquet_text(expr: str, source_type: str, column_type: str) -> str:
    """A typed Parquet cell as the text the record format reads."""
    source_type = source_type.upper()
    if source_type == "VARCHAR":
        return expr
    if source_type == "BOOLEAN":
        return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
    if source_type == "DATE" or source_type.startswith("TIMESTAMP"):
        if column_type == "month":
            return f"strftime({expr}, '%Y-%m')"
        if column_type == "date" or source_type == "DATE":
            return f"strftime({expr}, '%Y-%m-%d')"
        return (f"CASE WHEN {expr} = date_trunc('day', {expr}) THEN strftime({expr}, '%Y-%m-%d') "
                f"ELSE strftime({expr}, '%Y-%m-%d %H:%M:%S') END")
    if source_type in ("FLOAT", "DOUBLE") and column_type == "number":
        # binary floating point read to 15 significant digits, as a spreadsheet shows it
        return (f"CASE WHEN {expr} = trunc({expr}) AND abs({expr}) < 1e15 "
                f"THEN CAST(CAST({expr} AS BIGINT) AS VARCHAR) ELSE format('{{:.15g}}', {expr}) END")
    if source_type in ("FLOAT", "DOUBLE") or source_type.startswith("DECIMAL"):
        return (f"CASE WHEN {expr} = trunc({expr}) AND abs({expr}) < 1e15 "
                f"THEN CAST(CAST({expr} AS BIGINT) AS VARCHAR) ELSE CAST({expr} AS VARCHAR) END")
    return f"CAST({expr} AS VARCHAR)"


# --------------------------------------------------------------------------
# Finding the files


def find_sources(run: Validation) -> dict[str, SourceFile]:
    """The file of each table found in the source, by table name. Stops on a
    source that is not one, or that lacks a required table; warns about the
    files that are not tables of the record format."""
    source = run.source
    if not source.exists():
        raise ImportStopped("no_such_source", source=source)
    if source.is_file():
        if source.suffix.lower() != ".xlsx":
            raise ImportStopped("not_a_source", source=source)
        return find_sheets(run, source)
    found: dict[str, SourceFile] = {}
    for table in schema.TABLES:
        existing = [p for p in (source / f"{table.name}.csv", source / f"{table.name}.parquet")
                    if p.is_file()]
        if len(existing) > 1:
            raise ImportStopped("csv_and_parquet", source=source, table=table.name)
        if existing:
            path = existing[0]
            found[table.name] = SourceFile(table, path.suffix[1:], path, path.name,
                                            path.stat().st_size)
    missing = [name for name in schema.REQUIRED_TABLES if name not in found]
    if missing:
        workbook = not found and any(source.glob("*.xlsx"))
        raise ImportStopped("missing_table_files_workbook" if workbook else "missing_table_files",
                            source=source, files=", ".join(f"{name}.csv" for name in missing))
    known = {f"{t.name}.{ext}" for t in schema.TABLES for ext in ("csv", "parquet")}
    for path in sorted(source.iterdir()):
        if path.suffix.lower() in (".csv", ".parquet") and path.name not in known:
            run.add_issue("warning", None, path.name, None, None, None, "unknown_file")
    return found


def find_sheets(run: Validation, path: Path) -> dict[str, SourceFile]:
    """The sheets of the workbook `path` that are tables, read at once."""
    import pandas as pd

    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as error:  # calamine raises its own types for corrupt files
        raise ImportStopped("unreadable", file=path.name, error=error) from None
    found: dict[str, SourceFile] = {}
    unknown = []
    for sheet_name, frame in sheets.items():
        name = str(sheet_name).strip()
        if name not in schema.TABLES_BY_NAME:
            unknown.append(str(sheet_name))
            continue
        rows = frame.values.tolist()
        found[name] = SourceFile(schema.TABLES_BY_NAME[name], "sheet", path,
                                  f"{path.name}, sheet {name}", len(rows), rows)
    missing = [name for name in schema.REQUIRED_TABLES if name not in found]
    if missing:
        raise ImportStopped("missing_sheets", file=path.name, sheets=", ".join(missing))
    for sheet_name in unknown:
        run.add_issue("warning", None, path.name, None, None, sheet_name, "unknown_sheet")
    sha = file_digest(path)
    run.files.append((path.name, sha))
    for name in found:
        run.table_files[name] = (path.name, sha)
    return found


# --------------------------------------------------------------------------
# Headers


def match_header(run: Validation, table: Table, display: str, names: list[str]) -> dict[str, int]:
    """Map each record-format column to its position; stop on a missing
    required column or a column given twice; warn about unknown ones."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = raw.strip(BLANKS)
        if name in table.column_names:
            if name in positions:
                raise ImportStopped("column_twice", file=display, column=name)
            positions[name] = index
        else:
            label = name or f"(column {index + 1}, no name)"
            run.add_issue("warning", table, display, 1, label, None, "unknown_column")
    for column in table.columns:
        if column.required and column.name not in positions:
            raise ImportStopped("missing_column", file=display, column=column.name)
    return positions


# --------------------------------------------------------------------------
# Every cell as text, then typed


def stage_table(run: Validation, table: Table, source: SourceFile) -> Staged:
    """Read `source` into the typed table of `table` (see cells.create_typed)."""
    run.displays[table.name] = source.display
    if source.kind == "csv":
        staged = stage_csv(run, table, source)
    elif source.kind == "parquet":
        staged = stage_parquet(run, table, source)
    else:
        staged = stage_sheet(run, table, source)
    run.staged[table.name] = staged
    return staged


def stage_csv(run: Validation, table: Table, source: SourceFile) -> Staged:
    """A CSV file: UTF-8 (± BOM) as it is, Windows-1252 re-encoded; DuckDB's
    reader when it takes the file, else Python's csv module."""
    facts = scan_csv(source.path)
    run.read_file(table.name, source.display, facts.sha256)
    path = source.path
    if facts.utf16:
        raise ImportStopped("utf16", file=source.display)
    if not facts.utf8:
        path = run.tempdir / f"{table.name}.utf8.csv"
        transcode_cp1252(source.path, path, source.display)
    separator, names = read_csv_header(path, source.display)
    positions = match_header(run, table, source.display, names)
    if not facts.blank_line_inside:
        staged = stage_csv_quickly(run, table, path, separator, names, positions)
        if staged is not None:
            return staged
    return stage_csv_slowly(run, table, source, path, separator, names, positions)


def read_csv_header(path: Path, display: str) -> tuple[str, list[str]]:
    """The separator (`;` when the header has more of them than `,`) and the
    names of the header of the UTF-8 file `path`."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header_line = handle.readline().rstrip("\r\n")
    if not header_line.strip(BLANKS):
        raise ImportStopped("no_header", file=display)
    separator = ";" if header_line.count(";") > header_line.count(",") else ","
    return separator, next(csv.reader([header_line], delimiter=separator))


def stage_csv_quickly(run: Validation, table: Table, path: Path, separator: str, names: list[str],
                      positions: dict[str, int]) -> Staged | None:
    """DuckDB's strict reader, every cell as text; None when the file is not
    plain enough for it (then the rows are numbered in Python)."""
    staged = Staged(numbered=False, decimal_comma=separator == ";")
    columns = ", ".join(f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(len(names)))
    reader = (f"read_csv({lit(str(path))}, delim={lit(separator)}, quote='\"', escape='\"', "
              f"header=true, auto_detect=false, encoding='utf-8', columns={{{columns}}})")
    text_select = "SELECT " + ", ".join(
        f"{q(f'c{positions[c.name]}') if c.name in positions else 'NULL::VARCHAR'} AS {q(c.name)}"
        for c in table.columns) + f" FROM {reader}"
    try:
        create_typed(run, table, text_select, staged)
    except duckdb.InvalidInputException:
        return None
    return staged


def stage_csv_slowly(run: Validation, table: Table, source: SourceFile, path: Path, separator: str,
                     names: list[str], positions: dict[str, int]) -> Staged:
    """Python's csv module: each record is one row however many lines it
    spans, an empty line is an empty row, and a row with the wrong number
    of cells is rejected rather than stopping the import."""
    staged = Staged(numbered=True, decimal_comma=separator == ";")
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=separator)
        try:
            next(reader)
            rows = checked_rows(run, table, staged, enumerate(reader, start=2), len(names),
                                lambda cell, _index: cell,
                                lambda cells: ("cell_count", {"cells": len(cells),
                                                              "header": len(names)}))
            load_text_rows(run, table, staged, rows, positions)
        except csv.Error as error:
            raise ImportStopped("unreadable_csv", file=source.display, error=error,
                                line=reader.line_num) from None
    return staged


def stage_sheet(run: Validation, table: Table, source: SourceFile) -> Staged:
    """A workbook sheet, its cells already read by find_sheets."""
    rows = source.rows or []
    header = [cell_text(cell, "text") or "" for cell in rows[0]] if rows else []
    while header and not header[-1].strip(BLANKS):
        header.pop()
    if not header:
        raise ImportStopped("no_header", file=source.display)
    positions = match_header(run, table, source.display, header)
    staged = Staged(numbered=True, decimal_comma=False)
    types = {index: table.column(name).type for name, index in positions.items()}
    checked = checked_rows(
        run, table, staged, enumerate(rows[1:], start=2), len(header),
        lambda cell, index: cell_text(cell, types.get(index, "text")),
        lambda cells: ("value_without_header", {}))
    load_text_rows(run, table, staged, checked, positions)
    return staged


def checked_rows(run: Validation, table: Table, staged: Staged, rows: Iterable[tuple[int, list]], width: int,
                 as_text: Callable[[object, int], str | None], misshapen: Callable[[list], tuple[str, dict]]
                 ) -> Iterable[tuple[int, list]]:
    """(row number, text cells) of the rows to type. Empty rows are skipped
    (a warning when records follow them); a row with too few cells, or a
    non-empty cell beyond the header, is rejected here."""
    display = run.displays[table.name]
    pending_empty: list[int] = []
    for number, cells in rows:
        texts = [as_text(cell, index) for index, cell in enumerate(cells)]
        if not any(text and text.strip(BLANKS) for text in texts):
            pending_empty.append(number)
            continue
        for empty in pending_empty:
            run.add_issue("warning", table, display, empty, None, None, "empty_row")
        pending_empty = []
        if len(texts) < width or any(text and text.strip(BLANKS) for text in texts[width:]):
            code, params = misshapen(cells)
            run.add_issue("rejected", table, display, number, None, None, code, **params)
            staged.structural_rejects += 1
            continue
        yield number, texts


def load_text_rows(run: Validation, table: Table, staged: Staged, rows: Iterable[tuple[int, list]],
                   positions: dict[str, int]) -> None:
    """Text cells numbered in Python -> a staging table -> the typed table."""
    cells = run.staging.name("cells", table.name)
    columns = ", ".join(f"{q(c.name)} VARCHAR" for c in table.columns)
    run.con.execute(f"CREATE TABLE {cells} (_row BIGINT, {columns})")
    view = f"_batch_{run.staging.token}"
    batch: list[tuple[int, list]] = []

    def flush() -> None:
        data = {"_row": pa.array([number for number, _ in batch], pa.int64())}
        for column in table.columns:
            index = positions.get(column.name)
            values = [None] * len(batch) if index is None else [texts[index] for _, texts in batch]
            data[column.name] = pa.array(values, pa.string())
        run.con.register(view, pa.table(data))
        run.con.execute(f"INSERT INTO {cells} SELECT * FROM {q(view)}")
        run.con.unregister(view)
        batch.clear()

    for item in rows:
        batch.append(item)
        if len(batch) >= 100_000:
            flush()
    if batch:
        flush()
    create_typed(run, table, f"SELECT * FROM {cells}", staged)
    run.con.execute(f"DROP TABLE {cells}")


def stage_parquet(run: Validation, table: Table, source: SourceFile) -> Staged:
    """A Parquet file, its typed cells spelled as text by parquet_text."""
    run.read_file(table.name, source.display, file_digest(source.path))
    reader = f"read_parquet({lit(str(source.path))})"
    try:
        described = run.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except duckdb.Error as error:
        raise ImportStopped("unreadable", file=source.display, error=error) from None
    names = [name for name, *_ in described]
    types = {name: kind for name, kind, *_ in described}
    positions = match_header(run, table, source.display, names)
    selects = []
    for column in table.columns:
        if column.name in positions:
            original = names[positions[column.name]]
            selects.append(f"{parquet_text(q(original), types[original], column.type)} AS {q(column.name)}")
        else:
            selects.append(f"NULL::VARCHAR AS {q(column.name)}")
    staged = Staged(numbered=False, decimal_comma=False)
    try:
        create_typed(run, table, f"SELECT {', '.join(selects)} FROM {reader}", staged)
    except duckdb.IOException as error:
        raise ImportStopped("unreadable", file=source.display, error=error) from None
    return staged
