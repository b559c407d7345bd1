"""The staging database of one validation, and what the validation knows so far.

Every source is read into an in-memory DuckDB database private to one
validation (``Staging``): the typed table of each record-format table, the
view of its kept rows, and the issues found. ``Validation`` is the state of
one run that the readers (reading.py) and the checks (checks.py) share: the
staging database, the issues waiting to be written, and per table how it was
read (``Staged``), which file it came from, and its counts.
"""
from __future__ import annotations

import secrets
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.records import connections, schema
from analytics.records.issues import PARAMETERS, SEPARATOR, Issue, Reason, check_parameters
from analytics.records.schema import Table
from analytics.records.sql import lit, q


class Staging:
    """An in-memory DuckDB database private to one validation. Its tables and
    views carry a random token in their names, so that load_into can tell
    whether a target connection shares this database (then it copies
    natively) or not (then the rows travel as Arrow). Names are always
    qualified with the database, so they also resolve from a connection that
    has switched to another database (the store attaches its new snapshot)."""

    def __init__(self) -> None:
        self.con = connections.connect()
        self.token = secrets.token_hex(6)
        connections.bound_memory(self.con, Path(tempfile.gettempdir()) / f"duo-impact-staging-{self.token}")
        self.database = self.con.execute("SELECT current_database()").fetchall()[0][0]
        self._finalizer = weakref.finalize(self, self.con.close)
        self.con.execute(f"""CREATE TABLE {self.name('issues')} (
            severity VARCHAR, table_name VARCHAR, table_order INTEGER, file_name VARCHAR,
            row_number BIGINT, column_name VARCHAR, column_order INTEGER, value VARCHAR,
            reason VARCHAR, code VARCHAR, params VARCHAR)""")

    def bare_name(self, kind: str, table: str = "") -> str:
        return q(f"_stage_{self.token}_{kind}_{table}".rstrip("_"))

    def name(self, kind: str, table: str = "") -> str:
        return f"{q(self.database)}.main.{self.bare_name(kind, table)}"

    def visible_from(self, con: duckdb.DuckDBPyConnection) -> bool:
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
            [self.database, f"_stage_{self.token}_issues"],
        ).fetchall()[0][0]
        return found > 0

    def drop_all(self) -> None:
        prefix = f"_stage_{self.token}_"
        for kind, catalog in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
            names = self.con.execute(
                f"SELECT {kind.lower()}_name FROM {catalog} WHERE database_name = ? AND starts_with({kind.lower()}_name, ?)",
                [self.database, prefix]).fetchall()
            for (name,) in names:
                self.con.execute(f"DROP {kind} {q(self.database)}.main.{q(name)}")

    def hand_over(self) -> duckdb.DuckDBPyConnection:
        """Give the connection to the caller: the staging tables go, the
        connection (with whatever load_into put in it) stays open."""
        self.drop_all()
        self._finalizer.detach()
        return self.con

    def close(self) -> None:
        self._finalizer()

    def typed(self, table: Table | str) -> str:
        """The typed table of `table`: every row read, parsed, flagged when rejected."""
        return self.name("typed", getattr(table, "name", table))

    def kept(self, table: Table | str) -> str:
        """The view of the rows of `table` that were kept, with their row number as _row."""
        return self.name("kept", getattr(table, "name", table))


@dataclass
class Staged:
    """A table read into staging: how its rows are numbered and how its numbers
    are written."""

    # True when the typed table carries _row (rows numbered in Python, or
    # renumbered after empty rows were dropped); otherwise a row's number is
    # its rowid + 2, the table being in file order.
    numbered: bool
    decimal_comma: bool
    structural_rejects: int = 0  # rows rejected before typing (wrong number of cells)

    def row(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return f"{prefix}_row" if self.numbered else f"({prefix}rowid + 2)"


def table_order(table: Table | None) -> str:
    """Where the issues of `table` sort: in the record format's table order."""
    return "NULL" if table is None else str(schema.TABLES.index(table))


def column_order(table: Table | None, column: str | None) -> str:
    """Where the issues of `column` sort within a row: in the table's column order."""
    if table is None or column not in table.column_names:
        return "NULL"
    return str(table.column_names.index(column))


class Validation:
    """One validation in progress, shared by the readers and the checks."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.staging = Staging()
        self.con = self.staging.con
        self.files: list[tuple[str, str]] = []
        self.table_files: dict[str, tuple[str, str]] = {}
        self.present: dict[str, bool] = {}
        self.counts: dict[str, tuple[int, int, int]] = {}
        self.staged: dict[str, Staged] = {}
        self.displays: dict[str, str] = {}  # how issues name each table's file
        self.pending: list[str] = []
        self.tempdir = Path(tempfile.mkdtemp(prefix="duo-impact-import-"))

    def read_file(self, table_name: str, display: str, sha256: str) -> None:
        """Note a file read for `table_name` (files and import_log list it)."""
        self.files.append((display, sha256))
        self.table_files[table_name] = (display, sha256)

    def add_issue(self, severity: str, table: Table | None, display: str, row: int | None,
                  column: str | None, value: str | None, code: str, **params: object) -> None:
        """One issue, its reason `code` (a key of REASONS) with its parameters."""
        check_parameters(code, params)
        issue = Issue(severity, display, row, column, value, code=code,
                      params={name: str(params[name]) for name in PARAMETERS[code]})
        self.con.execute(
            f"INSERT INTO {self.staging.name('issues')} VALUES (?, ?, {table_order(table)}, ?, ?, ?, "
            f"{column_order(table, column)}, ?, ?, ?, ?)",
            [severity, table.name if table else None, display, row, column, value, issue.reason, code,
             SEPARATOR.join(v.replace(SEPARATOR, " ") for v in issue.params.values())],
        )

    def add_issues(self, severity: str, table: Table, column: str | None, row: str, value: str,
                   reason: Reason, source: str) -> None:
        """One issue for each row that `source` (a FROM ... WHERE ... clause)
        yields; row and value are SQL expressions over it, and so are the
        reason's text, code and parameters. The query waits for flush_issues(),
        which runs the waiting ones as one statement."""
        self.pending.append(
            f"SELECT {lit(severity)}, {lit(table.name)}, {table_order(table)}, "
            f"{lit(self.displays[table.name])}, {row}, {lit(column) if column else 'NULL'}, "
            f"{column_order(table, column)}, {value}, {reason.text}, {reason.code}, {reason.params} {source}")

    def flush_issues(self) -> None:
        """Run the waiting add_issues queries, as one statement."""
        if self.pending:
            union = " UNION ALL ".join(f"({query})" for query in self.pending)
            self.con.execute(f"INSERT INTO {self.staging.name('issues')} {union}")
            self.pending.clear()

    def typed(self, table: Table) -> str:
        return self.staging.typed(table)

    def kept(self, table: Table) -> str:
        return self.staging.kept(table)

    def collect_issues(self) -> list[Issue]:
        """Every issue found, in the report's order: by table, file, row, severity, column."""
        rows = self.con.execute(
            f"""SELECT severity, file_name, row_number, column_name, value, reason, code, params
                FROM {self.staging.name('issues')}
                ORDER BY table_order NULLS FIRST, file_name, row_number NULLS FIRST,
                         CASE severity WHEN 'rejected' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                         column_order NULLS FIRST, reason"""
        ).fetchall()
        names, separator = PARAMETERS, SEPARATOR
        return [Issue(severity, file_name, row, column, value, reason, code,
                      dict(zip(names[code], params.split(separator))) if names[code] else {})
                for severity, file_name, row, column, value, reason, code, params in rows]
