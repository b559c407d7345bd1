"""The SQL models and how they are chained: one ``select`` per ``.sql`` file.

The SQL under ``analytics/engine/sql`` is layered like a dbt project, and the
file names say the layer (the one naming rule of the project):

- ``fct_*`` (``facts/``): the raw tables pre-joined, with every fact that does
  not depend on the as-of date; stored as tables once per snapshot at import
  (:func:`build_facts`, dbt's "table" materialisation);
- ``stg_*`` (``staging/``): the data as they stood on the as-of date;
- ``mart_*`` (``marts/``): one row per duo, per mentee;
- ``buckets``, ``indicators`` (``indicators/``), ``at_risk``: the handbook's
  figures; ``ins_*`` (``insights/``): the dashboard's figures beyond it.

A model is named after its file, and **its dependencies are the models its SQL
names** (:func:`dependencies`), read from the files themselves rather than
kept by hand: :func:`compose` chains the closure of a final model, in
dependency order, into one statement of common table expressions (dbt's
"ephemeral" models). That keeps queries free of DDL, so they run on a
read-only snapshot and on any cursor of a shared connection, and every
parameter is bound by DuckDB, never formatted into the text. A database
without stored facts (a snapshot written by an older version, a test that
creates the raw tables itself) gets them as CTEs instead, with the same
results (:func:`compose_for`).
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Iterable

import duckdb

SQL_DIR = Path(__file__).parent / "sql"

# Beside the stored facts, the digest of the SQL they were built from: facts
# built by another version of the models are not used (see stored_facts).
FACTS_DIGEST_TABLE = "fct_digest"
# Models read many times by one query: materialised once instead of inlined.
MATERIALIZED_PREFIXES = ("fct_", "mart_duos", "mart_mentees", "buckets")
# Large tables that each use filters differently: inlined, so that the filter
# (a window of dates, the duos of one page) is pushed down into the scan.
NOT_MATERIALIZED = frozenset({"stg_duos", "stg_meetings", "stg_check_ins", "stg_outcomes"})

_WORD = re.compile(r"\b[a-z_][a-z0-9_]*\b")
_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")
_CTE_NAME = re.compile(r"\b([a-z_][a-z0-9_]*)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(")


@functools.cache
def model_files() -> dict[str, Path]:
    """Every model, by name (its file's stem); names are unique across layers."""
    files: dict[str, Path] = {}
    for path in sorted(SQL_DIR.rglob("*.sql")):
        if path.stem in files:
            raise ValueError(f"two SQL models named {path.stem!r}: {files[path.stem]} and {path}")
        files[path.stem] = path
    return files


@functools.cache
def model_sql(name: str) -> str:
    path = model_files().get(name)
    if path is None:
        raise FileNotFoundError(f"no SQL file for model {name!r} under {SQL_DIR}")
    return path.read_text(encoding="utf-8").strip().rstrip(";")


@functools.cache
def dependencies(name: str) -> frozenset[str]:
    """The models that ``name``'s SQL reads: every model name it mentions
    outside comments and string literals, less the CTEs it defines itself."""
    code = _STRING.sub("''", _COMMENT.sub("", model_sql(name)))
    own_ctes = set(_CTE_NAME.findall(code))
    models = model_files()
    return frozenset(w for w in _WORD.findall(code) if w in models and w != name and w not in own_ctes)


def closure(final: str, stored: Iterable[str] = ()) -> list[str]:
    """The models ``final`` needs, each after the ones it reads (a topological
    order, ties in name order so the statement text is always the same);
    ``stored`` models are tables already and are not expanded."""
    stored = frozenset(stored)
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            raise ValueError(f"the SQL models form a cycle through {name!r}")
        state[name] = "open"
        for dep in sorted(dependencies(name)):
            if dep not in stored:
                visit(dep)
        state[name] = "done"
        order.append(name)

    visit(final)
    return order[:-1]


@functools.cache
def facts() -> tuple[str, ...]:
    """The fact models, in dependency order."""
    names = sorted(n for n in model_files() if n.startswith("fct_"))
    ordered: list[str] = []
    for name in names:
        for dep in [*closure(name), name]:
            if dep.startswith("fct_") and dep not in ordered:
                ordered.append(dep)
    return tuple(ordered)


def _keyword(name: str) -> str:
    if name.startswith(MATERIALIZED_PREFIXES) and name not in NOT_MATERIALIZED:
        return "as materialized"
    return "as not materialized" if name in NOT_MATERIALIZED else "as"


def empty_table_sql(table: str) -> str:
    """A select of no rows with the columns of an optional table of the record
    format, each of its stored type: what a database that predates the table
    (a snapshot imported by an older version) reads in its place."""
    from analytics.records import schema

    columns = ", ".join(f"cast(null as {c.duckdb_type}) as {c.name}"
                        for c in schema.TABLES_BY_NAME[table].columns)
    return f"select {columns} where false"


def compose(final: str, stored: Iterable[str] = (), absent: Iterable[str] = ()) -> str:
    """One statement: each model ``final`` needs as a CTE, then ``final``.
    ``absent`` optional raw tables are read as empty (:func:`empty_table_sql`)."""
    ctes = [f"{name} as (\n{empty_table_sql(name)}\n)" for name in sorted(absent)]
    ctes += [f"{name} {_keyword(name)} (\n{model_sql(name)}\n)" for name in closure(final, stored)]
    body = model_sql(final)
    if not ctes:
        return body
    # A final query with CTEs of its own continues the chain instead of nesting.
    match = re.match(r"((?:\s*--[^\n]*\n)*)\s*with\s", body)
    if match:
        return "with " + ",\n".join(ctes) + ",\n" + match.group(1) + body[match.end():]
    return "with " + ",\n".join(ctes) + "\n" + body


@functools.cache
def facts_digest() -> str:
    """SHA-256 of the fact models' SQL, as this version of the code has it."""
    return hashlib.sha256("\n".join(model_sql(name) for name in facts()).encode()).hexdigest()


def build_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Store the fact models as tables in ``con`` (replacing any), with the
    digest of their SQL, in the caller's transaction. Run after the raw
    tables change: an import, an erasure."""
    built: list[str] = []
    for name in facts():
        con.execute(f"create or replace table {name} as\n{compose(name, stored=built)}")
        built.append(name)
    con.execute(f"create or replace table {FACTS_DIGEST_TABLE} as select $digest as digest",
                {"digest": facts_digest()})


def stored_facts(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The fact models stored as tables in ``con``'s current database, built
    from the SQL of this version (else none: a snapshot imported by an older
    version is read through the CTEs until its next import)."""
    rows = con.execute(
        "select table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name = current_schema() "
        "and list_contains($names, table_name)",
        {"names": [*facts(), FACTS_DIGEST_TABLE]}).fetchall()
    names = {r[0] for r in rows}
    if FACTS_DIGEST_TABLE not in names:
        return frozenset()
    ((stored_digest,),) = con.execute(f"select any_value(digest) from {FACTS_DIGEST_TABLE}").fetchall()
    return frozenset(names & set(facts())) if stored_digest == facts_digest() else frozenset()


# Optional raw tables added to the record format after the first version: a
# snapshot imported before has none, and reads them as empty.
LATER_TABLES = ("jobs",)


def absent_tables(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The LATER_TABLES that ``con``'s current database lacks."""
    rows = con.execute(
        "select table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name = current_schema() "
        "and list_contains($names, table_name)", {"names": list(LATER_TABLES)}).fetchall()
    return frozenset(LATER_TABLES) - {r[0] for r in rows}


def compose_for(con: duckdb.DuckDBPyConnection, final: str) -> str:
    """:func:`compose` on ``con``: the facts it stores are read as tables, and
    a later optional table it lacks as empty."""
    return compose(final, stored=stored_facts(con), absent=absent_tables(con))
