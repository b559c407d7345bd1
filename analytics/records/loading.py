"""Loading the rows a validation kept into a DuckDB connection.

``load_into`` replaces the data set in a target connection, in one
transaction: every record-format table (created even when absent), plus
dataset_tables (per table: present, rows read, loaded, rejected), one
import_log row per file read (appended: the log keeps earlier imports when the
caller copied it in first), and import_issues.

What is derived from the tables is not the records' business: the caller
passes `derive`, run on the target inside the same transaction once the
tables are loaded (the store passes the engine's build_facts). Without it the
data set is the same, only the engine then computes its facts per query.

The caller may also pass `drop`, run right after the tables are loaded: it
deletes rows that must not come back and returns their ids per table (the
store passes the rows of people erased from it). Those rows are counted as
"dropped (erased)" (``result.dropped``, and loaded no more in the counts), each
gets a warning, and the issues about them are not kept.
"""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa

from analytics.records import schema
from analytics.records.issues import ISSUE_COLUMNS, ValidationResult
from analytics.records.schema import Table
from analytics.records.sql import q

Derive = Callable[[duckdb.DuckDBPyConnection], None]
Drop = Callable[[duckdb.DuckDBPyConnection], dict[str, list[str]]]


def load_into(con: duckdb.DuckDBPyConnection, result: ValidationResult, derive: Derive | None = None,
              drop: Drop | None = None) -> None:
    """Replace the data set in `con` with the rows `result` kept, in one
    transaction: every record-format table (created even when absent), plus
    dataset_tables, import_issues, one import_log row per file read, and
    whatever `derive(con)` then builds from them (the store: the engine's facts).
    `drop(con)`, when given, removes rows first (see the module's docstring)."""
    staging = result.staging
    if staging is None:
        raise ValueError("this validation result was closed; validate the source again")
    native = staging.visible_from(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in schema.TABLES:
            copy_table(con, result, table, native)
        if drop is not None:
            note_dropped(result, drop(con))
        write_bookkeeping(con, result)
        if derive is not None:
            derive(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def copy_table(con: duckdb.DuckDBPyConnection, result: ValidationResult, table: Table,
               native: bool) -> None:
    """(Re)create `table` in `con` and insert its kept rows: natively when `con`
    sees the staging database (`native`), else as Arrow batches."""
    staging = result.staging
    columns = ", ".join(f"{q(c.name)} {c.duckdb_type}" for c in table.columns)
    con.execute(f"CREATE OR REPLACE TABLE {q(table.name)} ({columns})")
    if not result.present[table.name]:
        return
    names = ", ".join(q(c.name) for c in table.columns)
    # The kept rows come in file order (see checks.keep_rows), and an INSERT
    # keeps the order of its SELECT: the same files give the same tables.
    query = f"SELECT {names} FROM {staging.kept(table)}"
    if native:
        con.execute(f"INSERT INTO {q(table.name)} {query}")
        return
    rows = staging.con.sql(query).to_arrow_reader(100_000)
    view = f"_incoming_{staging.token}"
    con.register(view, rows)
    try:
        con.execute(f"INSERT INTO {q(table.name)} SELECT * FROM {q(view)}")
    finally:
        con.unregister(view)


def note_dropped(result: ValidationResult, removed: dict[str, list[str]]) -> None:
    """Count the rows `drop` removed as dropped (erased), one warning each; the
    issues about them (their file row, or quoting one of their ids) go."""
    from analytics.records.issues import Issue

    rows: set[tuple[str, int]] = set()
    ids = {i for values in removed.values() for i in values}
    warnings = []
    for table_name, values in removed.items():
        if not values:
            continue
        table = schema.TABLES_BY_NAME[table_name]
        file_name = result.table_files[table_name][0]
        numbers = result.kept_row_numbers(table_name, table.key, values)
        rows |= {(file_name, n) for n in numbers}
        warnings += [Issue("warning", file_name, n, None, None, code="erased_dropped") for n in numbers]
        read, loaded, rejected = result.counts[table_name]
        result.counts[table_name] = (read, loaded - len(values), rejected)
        result.dropped[table_name] = result.dropped.get(table_name, 0) + len(values)
    result.issues[:] = [issue for issue in result.issues
                        if (issue.file_name, issue.row_number) not in rows and issue.value not in ids] + warnings


def write_bookkeeping(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    """dataset_tables, import_log and import_issues for `result`."""
    write_dataset_tables(con, result)
    append_import_log(con, result)
    write_import_issues(con, result)


def write_dataset_tables(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    con.execute("""CREATE OR REPLACE TABLE dataset_tables (table_name VARCHAR, is_present BOOLEAN,
                   rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT)""")
    con.executemany("INSERT INTO dataset_tables VALUES (?, ?, ?, ?, ?)", [
        (table.name, result.present[table.name], *result.counts[table.name]) for table in schema.TABLES])


def append_import_log(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    con.execute("""CREATE TABLE IF NOT EXISTS import_log (imported_at TIMESTAMP, source VARCHAR,
                   file_name VARCHAR, sha256 VARCHAR, table_name VARCHAR, rows_read BIGINT,
                   rows_loaded BIGINT, rows_rejected BIGINT)""")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    source = str(Path(result.source).resolve())
    log = [(now, source, *result.table_files[table.name], table.name, *result.counts[table.name])
           for table in schema.TABLES if result.present[table.name]]
    con.executemany("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", log)


def write_import_issues(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    con.execute("""CREATE OR REPLACE TABLE import_issues (severity VARCHAR, file_name VARCHAR,
                   row_number BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)""")
    if not result.issues:
        return
    issues = pa.table({
        name: pa.array([getattr(issue, name) for issue in result.issues],
                       pa.int64() if name == "row_number" else pa.string())
        for name in ISSUE_COLUMNS})
    view = f"_issues_{secrets.token_hex(4)}"
    con.register(view, issues)
    try:
        con.execute(f"INSERT INTO import_issues SELECT * FROM {q(view)}")
    finally:
        con.unregister(view)
