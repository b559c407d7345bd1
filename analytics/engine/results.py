"""Results persisted per snapshot: the common queries answered from a table.

An import computes the dashboard's default views on the new snapshot before
the pointer moves to it (``analytics.pipeline.warm``); every statement those
views run is stored, with its result, as a table of the snapshot's own
``results`` schema, named by the SHA-256 of the statement's text and its bound
parameters. A later statement with the same text and parameters on the same
snapshot reads that table instead of computing again.

Why this is exact: the key holds the whole SQL text (every model it composes,
so a change to any model or to the code that composes it is another key) and
every parameter (as-of date, period, branches, outcome definition, buckets,
thresholds); the data are the snapshot's own, which never changes once
written. The stored table has the statement's own column types, so reading it
gives the same Python values and the same DataFrame dtypes as the statement.

The ``results`` schema is not copied by an erasure (which copies ``main``
only): the redacted copy is warmed again from its own data. A snapshot without
the schema (written before it existed, or by an import that skipped the warm)
simply computes every statement.

:data:`hits` counts the statements answered from the persisted results in
this process (what the tests assert, rather than a time).
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
from typing import Iterator

import duckdb

SCHEMA = "results"

hits = 0          # statements answered from a persisted result, in this process
misses = 0        # statements computed (no persisted result for them)

_recording: contextvars.ContextVar[bool] = contextvars.ContextVar("results_recording", default=False)
_bypass: contextvars.ContextVar[bool] = contextvars.ContextVar("results_bypass", default=False)


def key(sql: str, params: dict[str, object]) -> str:
    """The table name of a statement's result: SHA-256 of its text and its
    bound parameters (sorted by name; ``repr`` keeps types apart: a date is not
    its ISO text)."""
    text = sql + "\0" + repr(sorted(params.items()))
    return "r_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _stored(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = $schema and table_name = $name", {"schema": SCHEMA, "name": name}).fetchone()[0])


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> duckdb.DuckDBPyConnection:
    """Run ``sql`` with ``params`` (only the ones it names), or read its
    persisted result; while :func:`recording`, store the result first."""
    global hits, misses
    name = key(sql, params)
    if _recording.get():
        if not _stored(con, name):
            con.execute(f"create schema if not exists {SCHEMA}")
            con.execute(f"create table {SCHEMA}.{name} as\n{sql}", params)
        return con.execute(f"select * from {SCHEMA}.{name}")
    if not _bypass.get() and _stored(con, name):
        hits += 1
        return con.execute(f"select * from {SCHEMA}.{name}")
    misses += 1
    return con.execute(sql, params)


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Within: every statement :func:`execute` runs stores its result (on a
    connection that may write: the warm step's, on a snapshot not yet current)."""
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)


@contextlib.contextmanager
def bypass() -> Iterator[None]:
    """Within: every statement is computed, persisted results ignored (to
    check that they agree)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def stored_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many results ``con``'s database holds."""
    return con.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                       "and schema_name = $schema", {"schema": SCHEMA}).fetchone()[0]
