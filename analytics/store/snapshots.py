"""The store: where imported data sets live on disk between runs.

A store is a folder. Each import writes a brand-new DuckDB file
`snapshot-<UTC time>-<random>.duckdb`; a small pointer file `CURRENT` names the
one in use. Readers (the dashboard, `--db PATH`) open the current snapshot
read-only, so an import never waits for them and they never see half an
import: the pointer is switched, atomically, only after the new snapshot is
complete and closed. A crash or `kill -9` half-way leaves at most a stray file
the pointer does not name; the next import removes it.

Imports into the same store take a lock (on POSIX systems), so two imports
cannot prune each other's files. Retention: the current and the previous
snapshot are kept (a reader may still be on the previous one), and so is
every snapshot marked *kept* (:meth:`Store.keep`: a report or an export was
made from it; the marks are the file ``KEPT``, one snapshot file a line);
the other, older ones are removed at the next import. The import history
(import_log) is carried from snapshot to snapshot.

Each snapshot names itself in a one-row table ``snapshot_info``: its
``snapshot_id``, derived from the SHA-256 of the imported files and the
software version (:func:`snapshot_id`), so importing the same files again
gives the same id; an erasure gives the redacted copy a new id (derived from
the old one, ``derived_from``). ``--snapshot ID`` names a snapshot by that id.

People erased from the store (:mod:`.erased`: their ids hashed with the
store's salt in ``erased.json``) are dropped by every later import, inside its
transaction, and counted as dropped (erased) in the validation result.

The store knows the record format's results, not the engine above it: tables
that a higher layer derives from the raw ones (the engine's facts) are named
by a :class:`Derived` handed to the store, built inside the import's
transaction and rebuilt by an erasure (``analytics.pipeline`` hands the
engine's).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import duckdb

from analytics.records import connections
from analytics.store import erased

if TYPE_CHECKING:  # the importer (and its pyarrow) is loaded by an import, not by a reader
    from analytics.records import importer

POINTER = "CURRENT"
LOCK = "import.lock"
KEPT = "KEPT"
INFO_TABLE = "snapshot_info"
SNAPSHOT_PATTERN = "snapshot-*.duckdb"
# The store format each snapshot records (analytics.store.backup migrates older ones).
STORE_FORMAT = 2
FORMAT_TABLE = "store_format"

try:
    import fcntl
except ImportError:  # Windows: imports into one store must not run at the same time
    fcntl = None


@dataclass(frozen=True)
class Derived:
    """Tables a layer above the store derives from the raw tables: built by
    ``build(con)`` in the import's transaction, never copied by an erasure
    (rebuilt instead, without the person)."""

    tables: frozenset[str] = frozenset()
    build: Callable[[duckdb.DuckDBPyConnection], None] | None = None


NOTHING_DERIVED = Derived()


def software_version() -> str:
    from analytics import __version__

    return __version__


def snapshot_id(files: list[tuple[str, str]], version: str | None = None) -> str:
    """The id of a snapshot of these files (name, SHA-256): 16 hex digits of
    the SHA-256 of the software version and the sorted (name, SHA-256) pairs.
    The same files and version give the same id, wherever they are imported."""
    text = "duo-impact snapshot\n" + (version or software_version()) + "\n"
    text += "".join(f"{name}\t{digest}\n" for name, digest in sorted(files))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def erased_id(previous: str | None, when: str) -> str:
    """The new id of a snapshot redacted by an erasure at ``when``."""
    return hashlib.sha256(f"erasure\n{previous}\n{when}\n".encode("utf-8")).hexdigest()[:16]


def write_snapshot_info(con: duckdb.DuckDBPyConnection, files: list[tuple[str, str]],
                        imported_at: dt.datetime | None = None) -> str:
    """Write the one-row ``snapshot_info`` table into ``con``'s current
    database; returns the snapshot id."""
    version = software_version()
    identity = snapshot_id(files, version)
    imported_at = imported_at or dt.datetime.now(dt.timezone.utc)
    con.execute(f"CREATE OR REPLACE TABLE {INFO_TABLE} (snapshot_id VARCHAR, derived_from VARCHAR, "
                "software_version VARCHAR, imported_at VARCHAR, files VARCHAR)")
    con.execute(f"INSERT INTO {INFO_TABLE} VALUES (?, NULL, ?, ?, ?)",
                [identity, version, imported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 json.dumps([{"file": name, "sha256": digest} for name, digest in files])])
    return identity


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, object] | None:
    """The ``snapshot_info`` row of a connection (None for a snapshot written
    before it existed): snapshot_id, derived_from, software_version,
    imported_at, files (a list of {file, sha256})."""
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = "
                        "current_database()", [INFO_TABLE]).fetchone()[0]
    if not found:
        return None
    row = con.execute(f"SELECT snapshot_id, derived_from, software_version, imported_at, files "
                      f"FROM {INFO_TABLE}").fetchone()
    return {"snapshot_id": row[0], "derived_from": row[1], "software_version": row[2],
            "imported_at": row[3], "files": json.loads(row[4])}


@dataclass(frozen=True)
class SnapshotEntry:
    """One snapshot file of a store, as ``python -m analytics snapshots`` lists it."""

    token: str
    snapshot_id: str | None
    imported_at: str | None
    files: tuple[str, ...]
    kept: bool
    current: bool


class Store:
    """A folder of snapshots plus the pointer naming the current one."""

    def __init__(self, path: Path | str, derived: Derived = NOTHING_DERIVED) -> None:
        self.path = Path(path)
        self.derived = derived

    def current_token(self) -> str | None:
        """The pointer's content: changes with every import, so a cached
        connection can tell that it is stale."""
        try:
            return (self.path / POINTER).read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def current(self) -> Path | None:
        token = self.current_token()
        return self.path / token if token else None

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the current snapshot."""
        token = self.current_token()
        if token is None:
            raise FileNotFoundError(f"{self.path}: no data imported yet (run `import SOURCE --db {self.path}`)")
        return self.connect_token(token)

    def connect_token(self, token: str) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the snapshot a token named (what a cache
        keyed on current_token() should open: the key and the file agree even
        if an import switches the pointer in between)."""
        if Path(token).name != token or not token.startswith("snapshot-"):
            raise ValueError(f"not a snapshot token: {token!r}")
        path = self.path / token
        if not path.is_file():
            raise FileNotFoundError(f"{self.path}: snapshot {token} is gone (a newer import replaced it)")
        return connections.connect(str(path), read_only=True)

    # -- snapshots by id, and keeping them ----------------------------------

    def kept(self) -> set[str]:
        """The snapshot files marked kept."""
        try:
            text = (self.path / KEPT).read_text(encoding="utf-8")
        except FileNotFoundError:
            return set()
        return {line.strip() for line in text.splitlines() if line.strip()}

    def keep(self, token: str) -> None:
        """Mark a snapshot kept: no import prunes it (a report or export was
        made from it). Atomic, under the import lock."""
        with self.lock():
            self._write_kept(self.kept() | {token})

    def replace_kept(self, replaced: dict[str, str]) -> None:
        """An erasure replaced snapshot files: their kept marks follow the copies
        (call under the lock)."""
        kept = self.kept()
        if kept & replaced.keys():
            self._write_kept({replaced.get(token, token) for token in kept})

    def _write_kept(self, tokens: set[str]) -> None:
        temporary = self.path / f".{KEPT}.{secrets.token_hex(4)}.tmp"
        temporary.write_text("".join(f"{t}\n" for t in sorted(tokens)), encoding="utf-8")
        os.replace(temporary, self.path / KEPT)

    def entries(self) -> list[SnapshotEntry]:
        """Every snapshot file of the store, oldest first."""
        kept, current = self.kept(), self.current_token()
        entries = []
        for path in sorted(self.path.glob(SNAPSHOT_PATTERN)):
            try:
                with duckdb.connect(str(path), read_only=True) as con:
                    info = snapshot_info(con)
            except duckdb.Error:
                continue  # an import still writing it, or a stray file
            entries.append(SnapshotEntry(
                token=path.name, snapshot_id=info and info["snapshot_id"],
                imported_at=info and info["imported_at"],
                files=tuple(f["file"] for f in info["files"]) if info else (),
                kept=path.name in kept, current=path.name == current))
        return entries

    def token_for(self, snapshot: str) -> str:
        """The snapshot file a snapshot id (or file name) names: the current
        one if it has that id, else the newest with it."""
        matching = [e for e in self.entries() if snapshot in (e.snapshot_id, e.token)]
        if not matching:
            raise FileNotFoundError(f"{self.path}: no snapshot {snapshot} (see `python -m analytics "
                                    f"snapshots --db {self.path}`)")
        current = [e for e in matching if e.current]
        return (current or matching)[-1].token

    def import_result(self, result: importer.ValidationResult, progress=None) -> Path:
        """Write `result` as a new snapshot, make it current, prune old ones."""
        report = progress or (lambda fraction, message: None)
        if result.staging is None:
            raise ValueError("this validation result was closed; validate the source again")
        self.path.mkdir(parents=True, exist_ok=True)
        with self.lock():
            previous = self.current()
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            snapshot = self.path / f"snapshot-{stamp}-{secrets.token_hex(4)}.duckdb"
            report(0.0, f"writing {snapshot.name}")
            history = self._history(previous)
            try:
                self._write(snapshot, result, history)
            except BaseException:
                remove_file(snapshot)
                remove_file(snapshot.with_name(snapshot.name + ".wal"))
                raise
            report(0.9, "switching to the new snapshot")
            self.point_to(snapshot.name)
            self._prune(keep={snapshot.name, previous.name if previous else None, *self.kept()})
            report(1.0, "imported")
        return snapshot

    # -- internals --------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One import at a time per store. The lock belongs to the open file, so
        the system releases it when the process ends, however it ends."""
        with open(self.path / LOCK, "a+") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def _history(self, previous: Path | None):
        """The previous snapshot's import_log, as Arrow, to carry over."""
        if previous is None or not previous.is_file():
            return None
        with connections.connect(str(previous), read_only=True) as con:
            found = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'import_log'").fetchall()[0][0]
            return con.sql("SELECT * FROM import_log").to_arrow_table() if found else None

    def _write(self, snapshot: Path, result: importer.ValidationResult, history) -> None:
        """Fill the new file through the validation's own DuckDB instance (the
        file is attached there, so the rows are copied natively, without a
        conversion); load_into's single transaction does the work."""
        staging = result.staging
        con = staging.con.cursor()
        alias = f"snapshot_{secrets.token_hex(4)}"
        con.execute(f"ATTACH '{sql_path(snapshot)}' AS {alias}")
        try:
            con.execute(f"USE {alias}")
            try:
                self._fill(con, result, history)
            finally:
                con.execute(f"USE {quote_ident(staging.database)}")
            con.execute(f"CHECKPOINT {alias}")
        finally:
            con.execute(f"DETACH {alias}")
            con.close()
        fsync_file(snapshot)

    def _fill(self, con: duckdb.DuckDBPyConnection, result: importer.ValidationResult, history) -> None:
        if history is not None:
            con.register("_previous_import_log", history)
            con.execute("CREATE TABLE import_log AS SELECT * FROM _previous_import_log")
            con.unregister("_previous_import_log")
        from analytics.records import importer

        importer.load_into(con, result, derive=self.derived.build, drop=erased.drop_erased(self.path))
        write_snapshot_info(con, result.files)
        write_format(con)

    def point_to(self, name: str) -> None:
        """Write the pointer atomically: a temporary file, flushed to disk, then
        renamed over the old pointer."""
        temporary = self.path / f".{POINTER}.{secrets.token_hex(4)}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path / POINTER)
        fsync_folder(self.path)

    def _prune(self, keep: set[str | None]) -> None:
        """Remove every snapshot but the ones to keep, including files left by
        an import that died (the lock guarantees none is being written)."""
        for path in self.path.glob(SNAPSHOT_PATTERN):
            if path.name not in keep:
                remove_file(path)
                remove_file(path.with_name(path.name + ".wal"))
        for pattern in (f".{POINTER}.*.tmp", f".{KEPT}.*.tmp"):
            for path in self.path.glob(pattern):
                remove_file(path)


def write_format(con: duckdb.DuckDBPyConnection, version: int = STORE_FORMAT) -> None:
    """Record the store format in the snapshot `con` is writing."""
    con.execute(f"CREATE OR REPLACE TABLE {FORMAT_TABLE} (version INTEGER, written_at TIMESTAMP)")
    con.execute(f"INSERT INTO {FORMAT_TABLE} VALUES (?, ?)",
                [version, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)])


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def remove_file(path: Path) -> None:
    # A reader may still hold an old snapshot open (on Windows that blocks the
    # removal): leave it for the next import.
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.unlink()


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(path: Path) -> None:
    if os.name != "posix":
        return  # folders cannot be opened for fsync elsewhere; os.replace is still atomic
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
