"""Never lose the store (issue 19): backup, restore, the store format and its migration.

The tiny fixture is imported into a store; the indicators JSON on a fixed
as-of date is the figure set compared byte for byte before and after a
backup and restore (the comparison needs no hand-worked value: equality is
the claim). The previous store format (1) is a snapshot without the
``store_format`` table: made here by dropping it from a copy.
"""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from tests.conftest import TINY

AS_OF = "2026-06-30"


@pytest.fixture
def store(tmp_path, monkeypatch):
    from analytics import cli

    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    path = tmp_path / "store"
    assert cli.main(["import", str(TINY), "--db", str(path)]) == 0
    return path


def _indicators(path, capsys) -> str:
    from analytics import cli

    capsys.readouterr()
    assert cli.main(["indicators", "--db", str(path), "--as-of", AS_OF]) == 0
    return capsys.readouterr().out


def test_a_restored_backup_gives_the_same_figures_byte_for_byte(store, tmp_path, capsys):
    from analytics import cli
    from analytics.store import Store, backup

    before = _indicators(store, capsys)
    reader = Store(store).connect()                 # the dashboard keeps reading meanwhile
    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(store)]) == 0
    assert reader.execute("select count(*) from mentees").fetchone()[0] == 15
    reader.close()
    manifest = json.loads((tmp_path / "bk" / "backup.json").read_text())
    assert manifest["store_format"] == backup.STORE_FORMAT == 2
    assert {e["name"] for e in manifest["files"]} == {manifest["snapshot"], "CURRENT"}

    assert cli.main(["restore", str(tmp_path / "bk"), "--db", str(tmp_path / "new")]) == 0
    after = _indicators(tmp_path / "new", capsys)
    assert after == before and '"as_of": "2026-06-30"' in after
    assert Store(tmp_path / "new").current_token() == manifest["snapshot"]


def test_erased_ids_travel_with_the_backup(store, tmp_path, capsys):
    from analytics import cli

    assert cli.main(["forget", "--mentee", "ME3", "--db", str(store)]) == 0
    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(store)]) == 0
    assert cli.main(["restore", str(tmp_path / "bk"), "--db", str(tmp_path / "new")]) == 0
    capsys.readouterr()
    # the restored store still drops ME3 (1 mentee, 2 duos, 2 meetings, 1 check-in, 2 outcomes)
    assert cli.main(["import", str(TINY), "--db", str(tmp_path / "new")]) == 0
    assert "8 rows dropped (erased)" in capsys.readouterr().err


def test_restore_refuses_a_store_that_is_not_empty_and_a_damaged_backup(store, tmp_path, capsys):
    from analytics import cli

    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(store)]) == 0
    token = (store / "CURRENT").read_text()
    assert cli.main(["restore", str(tmp_path / "bk"), "--db", str(store)]) == 2
    assert "not empty" in capsys.readouterr().err and (store / "CURRENT").read_text() == token
    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(store)]) == 2       # DEST not empty
    snapshot = next((tmp_path / "bk").glob("snapshot-*.duckdb"))
    with open(snapshot, "r+b") as handle:                                             # one byte changed
        handle.seek(5000)
        byte = handle.read(1)
        handle.seek(5000)
        handle.write(bytes([byte[0] ^ 1]))
    assert cli.main(["restore", str(tmp_path / "bk"), "--db", str(tmp_path / "new")]) == 2
    assert "checksum" in capsys.readouterr().err
    assert not (tmp_path / "new" / "CURRENT").exists()


def test_backup_of_an_empty_store_exits_2(tmp_path, capsys):
    from analytics import cli

    (tmp_path / "store").mkdir()
    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(tmp_path / "store")]) == 2
    assert "no snapshot" in capsys.readouterr().err


def _make_version_1(path) -> None:
    """What a snapshot of the previous format looked like: no store_format table."""
    with duckdb.connect(str(path)) as con:
        con.execute("drop table store_format")
        con.execute("checkpoint")


def test_every_snapshot_records_its_format_and_version_1_migrates(store, tmp_path, capsys):
    from analytics import cli
    from analytics.store import Store, backup

    current = Store(store).current()
    assert backup.format_of(current) == 2
    before = _indicators(store, capsys)
    old = tmp_path / "old"
    shutil.copytree(store, old)
    _make_version_1(Store(old).current())
    assert backup.format_of(Store(old).current()) == 1
    assert _indicators(old, capsys) == before          # the engine reads version 1 as it is

    assert cli.main(["migrate", "--db", str(old)]) == 0
    assert "migrated from store format 1 to 2" in capsys.readouterr().out
    assert backup.format_of(Store(old).current()) == 2
    assert _indicators(old, capsys) == before
    assert cli.main(["migrate", "--db", str(old)]) == 0
    assert "already of store format 2" in capsys.readouterr().out


def test_restoring_a_version_1_backup_migrates_it(store, tmp_path, capsys):
    from analytics import cli
    from analytics.store import Store, backup

    before = _indicators(store, capsys)
    old = tmp_path / "old"
    shutil.copytree(store, old)
    _make_version_1(Store(old).current())
    assert cli.main(["backup", str(tmp_path / "bk"), "--db", str(old)]) == 0
    assert json.loads((tmp_path / "bk" / "backup.json").read_text())["store_format"] == 1
    assert cli.main(["restore", str(tmp_path / "bk"), "--db", str(tmp_path / "new")]) == 0
    assert "migrated from store format 1" in capsys.readouterr().out
    assert backup.format_of(Store(tmp_path / "new").current()) == 2
    assert _indicators(tmp_path / "new", capsys) == before


def test_a_newer_format_is_refused(store, capsys):
    from analytics import cli
    from analytics.store import Store

    with duckdb.connect(str(Store(store).current())) as con:
        con.execute("update store_format set version = 99")
    assert cli.main(["migrate", "--db", str(store)]) == 2
    assert "upgrade Duo Impact" in capsys.readouterr().err


def test_an_erasure_keeps_the_format(store):
    from analytics import cli
    from analytics.store import Store, backup

    assert cli.main(["forget", "--mentee", "ME3", "--db", str(store)]) == 0
    assert backup.format_of(Store(store).current()) == 2
