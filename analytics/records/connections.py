"""Every DuckDB connection the project opens, with its thread count.

DuckDB runs a query on as many threads as the machine has cores, unless told
otherwise. The figures do not depend on it (sums of money are exact decimals,
every list has a total order), but a deployment may want to fix it, or test
that the figures do not move: the ``DUO_IMPACT_THREADS`` setting (an
environment variable, a whole number ≥ 1; empty or unset: DuckDB's default)
is applied with ``SET threads`` to every connection opened through
:func:`connect` — the importer's staging database, the store's snapshots
(and so the dashboard's connection), the erasure copies, the benchmarks.

An import's staging database also gets a memory limit (:func:`bound_memory`,
``DUO_IMPACT_IMPORT_MEMORY``): what does not fit goes to a temporary folder,
so the peak memory of an import stays bounded whatever its size.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

THREADS_SETTING = "DUO_IMPACT_THREADS"
MEMORY_SETTING = "DUO_IMPACT_IMPORT_MEMORY"
# What an import's DuckDB may hold in memory before it spills to its
# temporary folder: the import of 1M duos then peaks under 2 GB (README,
# Performance). DUO_IMPACT_IMPORT_MEMORY overrides it (DuckDB's spelling: 4GB).
IMPORT_MEMORY = "1.2GB"


def threads() -> int | None:
    """The thread count ``DUO_IMPACT_THREADS`` asks for; None when unset or empty."""
    text = os.environ.get(THREADS_SETTING, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{THREADS_SETTING} must be a whole number of threads ≥ 1, not {text!r}")
    return int(text)


def apply_threads(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``SET threads`` on `con` when ``DUO_IMPACT_THREADS`` is set; returns `con`."""
    count = threads()
    if count is not None:
        con.execute(f"SET threads = {count}")
    return con


def connect(database: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` with the project's thread setting applied."""
    return apply_threads(duckdb.connect(database, read_only=read_only))


def bound_memory(con: duckdb.DuckDBPyConnection, spill_to: Path) -> duckdb.DuckDBPyConnection:
    """Cap what the in-memory database of an import holds (``IMPORT_MEMORY``,
    or ``DUO_IMPACT_IMPORT_MEMORY``): past it, DuckDB moves blocks to files in
    ``spill_to`` (which it creates when needed and removes on close)."""
    limit = os.environ.get(MEMORY_SETTING, "").strip() or IMPORT_MEMORY
    con.execute("SET memory_limit = ?", [limit])
    con.execute("SET temp_directory = ?", [str(spill_to)])
    return con

