"""The store: snapshots, the atomic pointer, readers during imports, crashes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from analytics.records import loading
from analytics.records.importer import validate_source
from analytics.pipeline import open_source
from analytics.store.snapshots import Store
from tests.analytics.records.helpers import BASE, TINY, write_tables

ROOT = Path(__file__).resolve().parents[3]


def three_mentees(folder: Path) -> Path:
    return write_tables(folder, {"mentees": BASE["mentees"] + "ME3,West,2024-03-01,2001-01-01,SY,true\n"})


def mentee_count(con) -> int:
    return con.execute("SELECT count(*) FROM mentees").fetchall()[0][0]


def snapshot_files(store: Store) -> list[str]:
    return sorted(p.name for p in store.path.glob("snapshot-*"))


def test_each_import_is_a_new_snapshot_behind_the_pointer(tmp_path):
    store = Store(tmp_path / "store")
    assert store.current() is None and store.current_token() is None
    with pytest.raises(FileNotFoundError, match="no data imported yet"):
        store.connect()

    first = store.import_result(validate_source(write_tables(tmp_path / "a", {})))
    assert store.current() == first and store.current_token() == first.name
    assert (store.path / "CURRENT").read_text() == first.name + "\n"
    reader = store.connect()
    assert mentee_count(reader) == 2

    second = store.import_result(validate_source(three_mentees(tmp_path / "b")))
    assert store.current() == second and second != first
    assert snapshot_files(store) == sorted([first.name, second.name])
    # The reader opened before the import still sees its snapshot; a new one sees the new data.
    assert mentee_count(reader) == 2
    assert mentee_count(store.connect()) == 3

    third = store.import_result(validate_source(write_tables(tmp_path / "c", {})))
    assert snapshot_files(store) == sorted([second.name, third.name])  # current and previous only
    latest = store.connect()
    # The import history travels from snapshot to snapshot.
    assert latest.execute("SELECT count(DISTINCT imported_at), count(*) FROM import_log").fetchall() == [(3, 9)]
    assert latest.execute("SELECT DISTINCT rows_read FROM import_log WHERE table_name = 'mentees' "
                          "ORDER BY 1").fetchall() == [(2,), (3,)]


def test_readers_are_read_only(tmp_path):
    store = Store(tmp_path / "store")
    store.import_result(validate_source(TINY))
    con = store.connect()
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM duos")
    with pytest.raises(ValueError):
        store.connect_token("../elsewhere.duckdb")


def test_a_failure_half_way_leaves_the_current_data(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    first = store.import_result(validate_source(TINY))
    original = loading.copy_table

    def failing(con, result, table, native):
        if table.name == "meetings":
            raise RuntimeError("power cut")
        original(con, result, table, native)

    monkeypatch.setattr(loading, "copy_table", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        store.import_result(validate_source(write_tables(tmp_path / "a", {})))
    assert store.current() == first
    assert snapshot_files(store) == [first.name]  # the half-written file is gone
    con = store.connect()
    assert con.execute("SELECT count(*) FROM meetings").fetchall() == [(20,)]


def test_kill_9_during_an_import_leaves_the_previous_data(tmp_path):
    store = Store(tmp_path / "store")
    first = store.import_result(validate_source(TINY))
    source = write_tables(tmp_path / "new", {})
    marker = tmp_path / "half-way"
    script = f"""
import pathlib, sys, time
sys.path.insert(0, {str(ROOT)!r})
from analytics.records import importer, loading
from analytics.store import snapshots as store
original = loading.copy_table
def slow(con, result, table, native):
    original(con, result, table, native)
    if table.name == "duos":
        pathlib.Path({str(marker)!r}).write_text("duos written")
        time.sleep(120)
loading.copy_table = slow
store.Store({str(store.path)!r}).import_result(importer.validate_source({str(source)!r}))
"""
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.time() + 120
        while not marker.exists():
            assert process.poll() is None, "the import ended before the kill"
            assert time.time() < deadline, "the import never got half-way"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert store.current() == first
    assert len(snapshot_files(store)) > 1  # the dead import's file is still there...
    con = store.connect()
    assert con.execute("SELECT count(*) FROM duos").fetchall() == [(11,)]
    con.close()
    latest = store.import_result(validate_source(source))
    assert snapshot_files(store) == sorted([first.name, latest.name])  # ...until the next import
    assert mentee_count(store.connect()) == 2


def test_stray_files_are_cleaned_up_by_the_next_import(tmp_path):
    store = Store(tmp_path / "store")
    store.path.mkdir()
    (store.path / "snapshot-20240101T000000000000Z-deadbeef.duckdb").write_bytes(b"partial")
    (store.path / "snapshot-20240101T000000000000Z-deadbeef.duckdb.wal").write_bytes(b"partial")
    (store.path / ".CURRENT.0bad.tmp").write_text("half a pointer")
    first = store.import_result(validate_source(TINY))
    assert sorted(p.name for p in store.path.iterdir()) == sorted(["CURRENT", "import.lock", first.name])


def test_open_source(tmp_path):
    con, result = open_source(data=TINY)
    assert result.rejected_count == 0 and mentee_count(con) == 15
    store = Store(tmp_path / "store")
    store.import_result(validate_source(TINY))
    con, result = open_source(db=store.path)
    assert result is None and mentee_count(con) == 15
    with pytest.raises(ValueError):
        open_source()
    with pytest.raises(ValueError):
        open_source(data=TINY, db=store.path)
    with pytest.raises(FileNotFoundError):
        open_source(db=tmp_path / "empty")
