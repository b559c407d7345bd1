"""An import's staging database holds at most IMPORT_MEMORY (or
DUO_IMPACT_IMPORT_MEMORY) in memory and spills the rest to a private
temporary folder, which is gone once the validation is closed: the peak
memory of a large import stays bounded (README, Performance)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from analytics.records import connections
from analytics.records.staging import Staging


def _setting(con, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def _as_duckdb_spells(limit: str) -> str:
    # DuckDB shows a limit in its own units (1.2GB reads back as "1.1 GiB"): compare like with like
    con = duckdb.connect()
    con.execute("SET memory_limit = ?", [limit])
    return _setting(con, "memory_limit")


def test_the_staging_database_has_the_import_memory_limit(monkeypatch):
    monkeypatch.delenv(connections.MEMORY_SETTING, raising=False)
    staging = Staging()
    try:
        assert _setting(staging.con, "memory_limit") == _as_duckdb_spells(connections.IMPORT_MEMORY)
        assert _setting(staging.con, "memory_limit") != _as_duckdb_spells("300MB")
        spill = Path(_setting(staging.con, "temp_directory"))
        assert spill.parent == Path(tempfile.gettempdir()) and staging.token in spill.name
    finally:
        staging.close()


def test_the_setting_overrides_the_limit_and_the_spill_folder_goes(monkeypatch):
    monkeypatch.setenv(connections.MEMORY_SETTING, "20MB")
    staging = Staging()
    spill = Path(_setting(staging.con, "temp_directory"))
    try:
        assert _setting(staging.con, "memory_limit") == _as_duckdb_spells("20MB")
        # about 70 MB of text in a 20 MB database: it is kept whole, part of it on disk
        staging.con.execute("CREATE TABLE t AS SELECT i, repeat('x', 60) || i::VARCHAR AS s FROM range(1000000) r(i)")
        assert staging.con.execute("SELECT count(*), sum(i) FROM t").fetchone() == (1000000, 499999500000)
        assert spill.is_dir()
    finally:
        staging.close()
    assert not spill.exists()
