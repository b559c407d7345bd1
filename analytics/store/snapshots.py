"""The store: where imported data sets live on disk between runs.

A store is a folder. Each import writes a brand-new DuckDB file
`snapshot-<UTC time>-<random>.duckdb`; a small pointer file `CURRENT` names the
one in use. Readers (the dashboard, `--db PATH`) open the current snapshot
read-only, so an import never waits for them and they never see half an
import: the pointer is switched, atomically, only after the new snapshot is
complete and closed. A crash or `kill -9` half-way leaves at most a stray file
the pointer does not name; the next import removes it.

Imports into the same store take a lock (on POSIX systems), so two imports
cannot prune each other's files. The current and the previous snapshot are
kept (a reader may still be on the previous one); older ones are removed. The
import history (import_log) is carried from snapshot to snapshot.

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
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from analytics.records import importer
from analytics.store import erased

POINTER = "CURRENT"
LOCK = "import.lock"
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
        return duckdb.connect(str(path), read_only=True)

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
            self._prune(keep={snapshot.name, previous.name if previous else None})
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
        with duckdb.connect(str(previous), read_only=True) as con:
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
        importer.load_into(con, result, derive=self.derived.build, drop=erased.drop_erased(self.path))
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
        for path in self.path.glob(f".{POINTER}.*.tmp"):
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
