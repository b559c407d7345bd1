"""Never lose the store: the store-format version, backups, restores, migrations.

**Format.** Every snapshot records the store format it was written in, in a
one-row table ``store_format(version integer, written_at timestamp)``
(:data:`STORE_FORMAT`). A snapshot without that table was written before it
existed: version 1. :func:`migrate` brings the current snapshot of a store up
to :data:`STORE_FORMAT` through :data:`MIGRATIONS`, one step per version, on a
*copy* written as a new snapshot file (the pointer is switched when the copy is
complete, as an import does; the old file stays as the previous snapshot).

**Backup** (:func:`backup`, ``python -m analytics backup DEST --db STORE``).
Taken under the store's import lock, so no import or erasure switches the
pointer meanwhile; readers take no lock and need none (a snapshot file is
never written once it is current). Into DEST (absent or empty): the current
snapshot, the ``CURRENT`` pointer, the erased ids (``erased.json``, so a
restored store still drops erased people), and ``backup.json`` with the
SHA-256 and size of each file and the snapshot's format; each file and the
folder fsync'd. The running dashboard keeps serving while it runs.

**Restore** (:func:`restore`, ``python -m analytics restore SRC --db STORE``)
into an empty or new store only (it never overwrites data): every file
checked against ``backup.json``, copied, fsync'd, the snapshot migrated when it
is of an older format, and the pointer written last, atomically, so a restore
that dies half-way leaves a store with no current snapshot, never a wrong one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Callable

import duckdb

from analytics.store.erased import ERASED
from analytics.store.snapshots import (FORMAT_TABLE, POINTER, SNAPSHOT_PATTERN, STORE_FORMAT, Store, fsync_file,
                                       fsync_folder, remove_file, write_format)

MANIFEST = "backup.json"


class BackupError(Exception):
    """A backup or restore that cannot be done (nothing was changed in the store)."""


# ------------------------------------------------------------------ format
def format_of(con_or_path) -> int:
    """The store format of a snapshot (a path or an open connection): 1 without the table."""
    if isinstance(con_or_path, (str, Path)):
        with duckdb.connect(str(con_or_path), read_only=True) as con:
            return format_of(con)
    con = con_or_path
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
                        "AND database_name = current_database()", [FORMAT_TABLE]).fetchone()[0]
    if not found:
        return 1
    return int(con.execute(f"SELECT max(version) FROM {FORMAT_TABLE}").fetchone()[0])


def _v1_to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1 had no format table; its tables are those of version 2."""
    write_format(con, 2)


# version -> the step that brings a snapshot of that version to the next one
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1_to_v2}


def migrate(store: Store) -> int | None:
    """Bring the current snapshot of `store` to STORE_FORMAT; the version it
    had, or None when there is no snapshot. A newer format than this code
    knows is refused (BackupError)."""
    with store.lock():
        current = store.current()
        if current is None:
            return None
        version = format_of(current)
        if version > STORE_FORMAT:
            raise BackupError(f"{current.name} is of store format {version}; this version of Duo Impact "
                              f"reads up to {STORE_FORMAT}: upgrade Duo Impact")
        if version == STORE_FORMAT:
            return version
        copy = _new_snapshot_name(store, current)
        try:
            shutil.copyfile(current, copy)
            with duckdb.connect(str(copy)) as con:
                con.execute("BEGIN TRANSACTION")
                for step in range(version, STORE_FORMAT):
                    MIGRATIONS[step](con)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            fsync_file(copy)
        except BaseException:
            remove_file(copy)
            remove_file(copy.with_name(copy.name + ".wal"))
            raise
        store.point_to(copy.name)
        return version


def _new_snapshot_name(store: Store, like: Path) -> Path:
    stem = like.name[: -len(".duckdb")]
    return store.path / f"{stem.rsplit('-', 1)[0]}-{secrets.token_hex(4)}.duckdb"


# ------------------------------------------------------------------ backup
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> dict:
    shutil.copyfile(source, target)
    fsync_file(target)
    return {"name": target.name, "sha256": _sha256(target), "bytes": target.stat().st_size}


def _empty_or_absent(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def backup(store: Store, dest: Path) -> dict:
    """A consistent copy of the store's current state into `dest` (absent or
    empty); returns the manifest written as backup.json."""
    dest = Path(dest)
    if not _empty_or_absent(dest):
        raise BackupError(f"{dest}: not empty; give a new or empty folder")
    if not store.path.is_dir():
        raise BackupError(f"{store.path}: no store here")
    with store.lock():
        current = store.current()
        if current is None or not current.is_file():
            raise BackupError(f"{store.path}: no snapshot to back up")
        dest.mkdir(parents=True, exist_ok=True)
        files = [_copy(current, dest / current.name)]
        if (store.path / ERASED).is_file():
            files.append(_copy(store.path / ERASED, dest / ERASED))
        files.append(_copy(store.path / POINTER, dest / POINTER))
        version = format_of(dest / current.name)
    manifest = {"created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "store": str(store.path.resolve()), "snapshot": current.name, "store_format": version,
                "files": files}
    temporary = dest / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    fsync_file(temporary)
    os.replace(temporary, dest / MANIFEST)
    fsync_folder(dest)
    return manifest


def verify(src: Path) -> dict:
    """The manifest of the backup in `src`, every file checked against it."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{src}: not a Duo Impact backup ({MANIFEST}: {error})") from None
    for entry in manifest.get("files", []):
        path = src / entry["name"]
        if Path(entry["name"]).name != entry["name"] or not path.is_file():
            raise BackupError(f"{src}: {entry['name']} is missing")
        if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{src}: {entry['name']} does not match its checksum (damaged or changed)")
    snapshot = manifest.get("snapshot", "")
    if not snapshot.startswith("snapshot-") or snapshot not in {e["name"] for e in manifest["files"]}:
        raise BackupError(f"{src}: the backup names no snapshot")
    return manifest


def restore(src: Path, store: Store) -> tuple[dict, int]:
    """Restore the backup in `src` into `store`, which must hold no snapshot;
    returns the manifest and the store format the snapshot had (it is
    migrated to STORE_FORMAT)."""
    manifest = verify(src)
    store.path.mkdir(parents=True, exist_ok=True)
    with store.lock():
        if store.current_token() is not None or any(store.path.glob(SNAPSHOT_PATTERN)) \
                or (store.path / ERASED).exists():
            raise BackupError(f"{store.path}: the store is not empty; restore into a new or empty store")
        names = [manifest["snapshot"]] + [e["name"] for e in manifest["files"] if e["name"] == ERASED]
        try:
            for name in names:
                _copy(Path(src) / name, store.path / name)
            fsync_folder(store.path)
        except BaseException:
            for name in names:
                remove_file(store.path / name)
            raise
        store.point_to(manifest["snapshot"])           # last: until here the store has no current snapshot
    version = migrate(store)
    return manifest, version
