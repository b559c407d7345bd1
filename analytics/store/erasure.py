"""Erasure on request (GDPR art. 17): a person removed from every snapshot of a store.

**Erasure** (:func:`forget`, ``python -m analytics forget --mentee ID`` or
``--mentor ID``). The store keeps the current and the previous snapshot, and
both hold the person. For every snapshot in the store folder (taken under the
import lock, so no import is writing one), a redacted copy is written as a
new file: a fresh DuckDB file into which every table is copied without the
person's rows (the person's row, their duos, and those duos' meetings,
check-ins and outcomes; plus the rows of ``import_issues`` about those rows,
since the stored validation report may quote their values). The copy is
written to a *fresh* file rather than by deleting from a copy because a
DuckDB file keeps freed blocks: deleted values could survive in it. Then
``CURRENT`` is switched atomically to the redacted copy of the current
snapshot and the unredacted files are removed. No snapshot is edited in
place: a running dashboard may hold one open read-only, and it keeps reading
its (unlinked) file until it reconnects, then sees the redacted one.

``import_issues`` has no id column: its rows are found by the value they quote
(an id of a removed row) and by the source row they point at. That row is
looked up by validating the source the snapshot was imported from again, when
it is still there unchanged (same SHA-256 as in ``import_log``); otherwise
every issue of the affected files quoting one of the removed rows' values in
the same column is removed (this may also remove an issue about someone else
with the same value: the validation report is reproducible, the person's data
is not to be kept). The source export files are outside the store: they must
be erased where they live.

Tables derived from the raw ones by a layer above the store (the engine's
facts, named by the store's :class:`Derived`) are not copied but rebuilt
without the person. The audit line is the caller's (``analytics.people.audit``).

**It holds.** The person is also recorded in the store's erased ids
(:mod:`.erased`: hashed with the store's salt, never the id itself), so every
later import drops their rows again, however often the same export is
imported, and says so ("dropped (erased)", a warning each).
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path


from analytics.records import connections
from analytics.store import erased
from analytics.store.snapshots import (INFO_TABLE, SNAPSHOT_PATTERN, Derived, Store, erased_id, fsync_file,
                                       quote_ident, remove_file, sql_path)

# Tables hanging off a duo, with their key.
DUO_CHILDREN = (("meetings", "meeting_id"), ("check_ins", "check_in_id"), ("outcomes", "outcome_id"))
PEOPLE = {"mentee": ("mentees", "mentee_id"), "mentor": ("mentors", "mentor_id")}
KEYS = {"mentees": "mentee_id", "mentors": "mentor_id", "duos": "duo_id", **dict(DUO_CHILDREN),
        "jobs": "job_id"}
SOURCE_NOTE = ("The source export files the programme imported from are outside the store: "
               "erase the person there too (and in any backup).")


# ------------------------------------------------------------------ erasure
@dataclass
class Removed:
    """What one snapshot lost: rows per table (ids are not kept: they are the person's)."""

    snapshot: str
    rows: dict[str, int] = field(default_factory=dict)
    issues_by_source: bool = True   # False: import_issues matched by value (source gone or changed)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables(con, database: str | None = None) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = coalesce(?, current_database()) "
        "AND schema_name = 'main' ORDER BY table_name", [database]).fetchall()]


def _targets(con, kind: str, person: str) -> dict[str, list[str]]:
    """The ids to remove, per table, in one snapshot (empty when the person is absent)."""
    table, key = PEOPLE[kind]
    tables = set(_tables(con))
    if table not in tables or not con.execute(
            f"SELECT count(*) FROM {table} WHERE {key} = ?", [person]).fetchone()[0]:
        return {}
    found = {table: [person]}
    duos = [r[0] for r in con.execute(f"SELECT duo_id FROM duos WHERE {key} = ?", [person]).fetchall()] \
        if "duos" in tables else []
    found["duos"] = duos
    for child, child_key in DUO_CHILDREN:
        found[child] = [] if child not in tables or not duos else [r[0] for r in con.execute(
            f"SELECT {child_key} FROM {child} WHERE list_contains(?, duo_id)", [duos]).fetchall()]
    if kind == "mentee" and "jobs" in tables:
        # a mentee's spells in work (the optional jobs table) go with the mentee
        found["jobs"] = [r[0] for r in con.execute(
            "SELECT job_id FROM jobs WHERE mentee_id = ?", [person]).fetchall()]
    return found


def _issue_rows_from_source(con, targets: dict[str, list[str]]) -> set[tuple[str, int]] | None:
    """(file_name, row_number) of the removed rows in the source of the snapshot's
    last import, when that source is still there unchanged; else None."""
    from analytics.records import importer

    if "import_log" not in _tables(con):
        return None
    last = con.execute("SELECT source, file_name, sha256, table_name FROM import_log "
                       "WHERE imported_at = (SELECT max(imported_at) FROM import_log)").fetchall()
    if not last or len({r[0] for r in last}) != 1 or not Path(last[0][0]).exists():
        return None
    try:
        result = importer.validate_source(Path(last[0][0]))
    except Exception:  # noqa: BLE001 - unreadable or invalid now: fall back to values
        return None
    try:
        logged = {r[3]: (r[1], r[2]) for r in last}
        if any(result.table_files.get(t) != f for t, f in logged.items()):
            return None
        rows: set[tuple[str, int]] = set()
        for table, ids in targets.items():
            if not ids or table not in logged:
                continue
            for number in result.kept_row_numbers(table, KEYS[table], ids):
                rows.add((logged[table][0], int(number)))
        return rows
    finally:
        result.close()


def _issue_filter(con, targets: dict[str, list[str]]) -> tuple[str, list, bool]:
    """A WHERE clause selecting the import_issues rows to remove, its parameters,
    and whether the rows were located through the source."""
    all_ids = sorted({i for ids in targets.values() for i in ids})
    located = _issue_rows_from_source(con, targets)
    if located is not None:
        pairs = [{"f": f, "r": r} for f, r in sorted(located)]
        return ("list_contains(?, value) OR list_contains(?::STRUCT(f VARCHAR, r BIGINT)[], "
                "{'f': file_name, 'r': row_number})", [all_ids, pairs], True)
    # Fallback: the removed rows' values, column by column, in their table's file.
    clauses, params = ["list_contains(?, value)"], [all_ids]
    files = {}
    if "import_log" in _tables(con):
        files = {t: f for t, f in con.execute("SELECT table_name, file_name FROM import_log").fetchall()}
    for table, ids in targets.items():
        if not ids or table not in files:
            continue
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        for column in columns:
            values = [r[0] for r in con.execute(
                f"SELECT DISTINCT CAST({quote_ident(column)} AS VARCHAR) FROM {table} "
                f"WHERE list_contains(?, {KEYS[table]}) AND {quote_ident(column)} IS NOT NULL", [ids]).fetchall()]
            if values:
                clauses.append("(file_name = ? AND column_name = ? AND list_contains(?, value))")
                params += [files[table], column, values]
    return " OR ".join(clauses), params, False


def _redact(original: Path, kind: str, person: str, derived: Derived) -> tuple[Path, Removed] | None:
    """Write the redacted copy of `original` as a new snapshot file; None when
    the person is not in it."""
    with connections.connect(str(original), read_only=True) as con:
        targets = _targets(con, kind, person)
        if not targets:
            return None
        issue_where, issue_params, by_source = _issue_filter(con, targets)
    stem = original.name[: -len(".duckdb")]
    copy = original.with_name(f"{stem.rsplit('-', 1)[0]}-{secrets.token_hex(4)}.duckdb")
    removed = Removed(snapshot=copy.name, issues_by_source=by_source)
    try:
        with connections.connect(str(copy)) as con:
            con.execute(f"ATTACH '{sql_path(original)}' AS original (READ_ONLY)")
            con.execute("BEGIN TRANSACTION")
            original_tables = _tables(con, "original")
            for table in original_tables:
                if table in derived.tables:
                    continue  # derived from the others: rebuilt below, without the person
                source = f"original.main.{quote_ident(table)}"
                where, params = "", []
                if targets.get(table):
                    where, params = f" WHERE NOT list_contains(?, {KEYS[table]})", [targets[table]]
                elif table == "import_issues":
                    where, params = f" WHERE NOT coalesce({issue_where}, FALSE)", issue_params
                con.execute(f"CREATE TABLE main.{quote_ident(table)} AS SELECT * FROM {source}{where}", params)
                before = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
                after = con.execute(f"SELECT count(*) FROM main.{quote_ident(table)}").fetchone()[0]
                if before != after:
                    removed.rows[table] = before - after
            if "dataset_tables" in _tables(con):
                for table, count in removed.rows.items():
                    con.execute("UPDATE dataset_tables SET rows_read = rows_read - ?, "
                                "rows_loaded = rows_loaded - ? WHERE table_name = ?", [count, count, table])
            if derived.build is not None and derived.tables & set(original_tables):
                derived.build(con)
            if INFO_TABLE in original_tables:  # the redacted copy is another snapshot: a new id
                when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                con.execute(f"UPDATE {INFO_TABLE} SET derived_from = snapshot_id, "
                            "snapshot_id = ? ", [erased_id(_old_id(con), when)])
            con.execute("COMMIT")
            con.execute("DETACH original")
            con.execute("CHECKPOINT")
        fsync_file(copy)
    except BaseException:
        remove_file(copy)
        remove_file(copy.with_name(copy.name + ".wal"))
        raise
    return copy, removed


def _old_id(con) -> str | None:
    row = con.execute(f"SELECT snapshot_id FROM {INFO_TABLE}").fetchone()
    return row[0] if row else None


def forget(store: Store, kind: str, person: str) -> list[Removed]:
    """Remove a mentee or mentor (``kind``) from every snapshot of ``store``.
    Returns what each redacted snapshot lost; an empty list when the person is
    in none of them (nothing changed)."""
    if kind not in PEOPLE:
        raise ValueError(f"kind is one of {sorted(PEOPLE)}")
    if not store.path.is_dir():
        raise FileNotFoundError(f"{store.path}: no store here")
    with store.lock():
        current = store.current()
        originals = sorted(store.path.glob(SNAPSHOT_PATTERN))
        written: list[tuple[Path, Path, Removed]] = []
        try:
            for original in originals:
                done = _redact(original, kind, person, store.derived)
                if done is not None:
                    written.append((original, *done))
        except BaseException:
            for _, copy, _ in written:
                remove_file(copy)
            raise
        if not written:
            return []
        # Before the switch: from here on no import brings the person back.
        erased.record_erased(store.path, kind, person)
        replaced = {original.name: copy.name for original, copy, _ in written}
        if current is not None and current.name in replaced:
            store.point_to(replaced[current.name])
        store.replace_kept(replaced)
        for original, _, _ in written:
            remove_file(original)
            remove_file(original.with_name(original.name + ".wal"))
    return [removed for _, _, removed in written]
