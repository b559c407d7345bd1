"""The erased people of a store, kept so that no later import brings them back.

An erasure (:mod:`.erasure`) records the person here before it redacts the
snapshots. The ids are not kept: each is stored as the SHA-256 of a per-store
salt, the kind and the id (``sha256(salt:kind:id)``), in ``erased.json`` in the
store folder beside the salt. A later import drops, in its own transaction,
every row of an erased mentee or mentor, their duos and those duos' meetings,
check-ins and outcomes (:func:`drop_erased`, the hook the store hands to
``analytics.records.load_into``); the importer counts them as "dropped
(erased)" and reports each as a warning.

The salt makes the hashes useless outside the store (an id cannot be looked
up in a table of hashed ids made elsewhere); anyone holding the store folder
can still test whether a given id was erased, which is what the store needs.
The file is written atomically (temporary file, fsync, rename) under the
store's import lock; a backup copies it with the snapshots.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

import duckdb

ERASED = "erased.json"
KINDS = {"mentee": ("mentees", "mentee_id"), "mentor": ("mentors", "mentor_id")}
DUO_CHILDREN = (("meetings", "meeting_id"), ("check_ins", "check_in_id"), ("outcomes", "outcome_id"))


def _read(folder: Path) -> dict:
    path = Path(folder) / ERASED
    if not path.is_file():
        return {"format": 1, "salt": None, "ids": {kind: [] for kind in KINDS}}
    document = json.loads(path.read_text(encoding="utf-8"))
    document.setdefault("ids", {})
    for kind in KINDS:
        document["ids"].setdefault(kind, [])
    return document


def digest(salt: str, kind: str, person: str) -> str:
    """The stored form of an erased id (what DuckDB's ``sha256(salt || ':' || kind || ':' || id)`` gives)."""
    return hashlib.sha256(f"{salt}:{kind}:{person}".encode("utf-8")).hexdigest()


def erased_hashes(folder: Path) -> tuple[str | None, dict[str, list[str]]]:
    """The salt and the hashed ids per kind (no salt: nobody erased yet)."""
    document = _read(folder)
    return document["salt"], {kind: list(document["ids"][kind]) for kind in KINDS}


def is_erased(folder: Path, kind: str, person: str) -> bool:
    salt, hashes = erased_hashes(folder)
    return salt is not None and digest(salt, kind, person) in hashes[kind]


def record_erased(folder: Path, kind: str, person: str) -> None:
    """Add a person to the store's erased ids (the caller holds the store lock)."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {sorted(KINDS)}")
    folder = Path(folder)
    document = _read(folder)
    if document["salt"] is None:
        document["salt"] = secrets.token_hex(32)
    hashed = digest(document["salt"], kind, person)
    if hashed in document["ids"][kind]:
        return
    document["ids"][kind] = sorted({*document["ids"][kind], hashed})
    temporary = folder / f".{ERASED}.{secrets.token_hex(4)}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(document, indent=1, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / ERASED)


def drop_erased(folder: Path):
    """The hook an import hands to ``load_into``: ``drop(con)`` deletes the rows
    of erased people (and their duos, and those duos' meetings, check-ins and
    outcomes) from the freshly loaded tables, returning the removed ids per
    table. None when nobody was erased from this store."""
    salt, hashes = erased_hashes(folder)
    if salt is None or not any(hashes.values()):
        return None

    def drop(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
        removed: dict[str, list[str]] = {}

        def delete(table: str, key: str, where: str, params: list) -> list[str]:
            ids = [r[0] for r in con.execute(f"SELECT {key} FROM {table} WHERE {where}", params).fetchall()]
            if ids:
                con.execute(f"DELETE FROM {table} WHERE list_contains(?, {key})", [ids])
                removed[table] = ids
            return ids

        hashed = "list_contains(?, sha256(? || ':' || ? || ':' || {column}))"
        duo_where, duo_params = [], []
        for kind, (table, key) in KINDS.items():
            delete(table, key, hashed.format(column=key), [hashes[kind], salt, kind])
            duo_where.append(hashed.format(column=key))
            duo_params += [hashes[kind], salt, kind]
        duos = delete("duos", "duo_id", " OR ".join(duo_where), duo_params)
        if duos:
            for child, child_key in DUO_CHILDREN:
                delete(child, child_key, "list_contains(?, duo_id)", [duos])
        return removed

    return drop
