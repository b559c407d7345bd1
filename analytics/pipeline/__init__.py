"""The import pipeline: records → store, with the engine's facts.

The record format (``analytics.records``) reads and checks a source; the store
(``analytics.store``) keeps snapshots; neither knows the engine above them.
This package is where the three meet: a store whose imports and erasures build
the engine's facts, and the one way a command or a page opens its data.

It also makes the data fingerprint every JSON output and report carries
(:func:`fingerprint`): which snapshot (its id and the SHA-256 of its files),
for which query, with which outcome definition, threshold and software.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import duckdb

from analytics.engine.models import FACTS_DIGEST_TABLE, build_facts, facts
from analytics.store.snapshots import (Derived, Store, snapshot_id, snapshot_info, software_version,
                                       write_snapshot_info)

if TYPE_CHECKING:  # the importer and the warm step (pandas) load where a store is written, not read
    from analytics.pipeline.warm import View, WarmingStore
    from analytics.records import importer

__all__ = ["ENGINE_FACTS", "OUTCOME", "fingerprint", "open_store", "open_source", "result_fingerprint"]

# The outcome definition the figures use: positive statuses (the handbook's).
OUTCOME = "positive"

ENGINE_FACTS = Derived(tables=frozenset({*facts(), FACTS_DIGEST_TABLE}), build=build_facts)


def open_store(path: Path | str, warm_extra: Iterable[tuple[str, View]] = (),
               warm_only: Iterable[str] | None = None, warm: bool | None = None) -> WarmingStore:
    """The store at ``path``, whose imports and erasures build the engine's
    facts and compute the new snapshot's default views before the pointer
    moves to it (:mod:`analytics.pipeline.warm`; ``warm_extra``: views of a
    layer above, such as the report's; ``warm_only``: only the views of these
    names, e.g. the first page's on a first run; ``warm=False``, or
    ``$DUO_IMPACT_WARM=0`` when not given, skips the step)."""
    from analytics.pipeline.warm import WarmingStore

    return WarmingStore(path, derived=ENGINE_FACTS, extra=warm_extra, only=warm_only, enabled=warm)


def open_source(data: Path | None = None, db: Path | None = None, progress=None, snapshot: str | None = None
                ) -> tuple[duckdb.DuckDBPyConnection, importer.ValidationResult | None]:
    """The connection a command or page works on: ``data`` (a source folder or
    workbook, validated and loaded in memory with the facts and its
    ``snapshot_info``, with its ValidationResult) or ``db`` (a store, its
    current snapshot read-only, or the one whose id is ``snapshot``; no
    result)."""
    if (data is None) == (db is None):
        raise ValueError("give exactly one of data and db")
    if data is not None:
        if snapshot is not None:
            raise ValueError("a snapshot is named in a store (db), not in a source folder")
        from analytics.records import importer

        con, result = importer.open_dataset(Path(data), progress, derive=build_facts)
        write_snapshot_info(con, result.files)
        return con, result
    store = Store(db)
    if snapshot is None:
        return store.connect(), None
    return store.connect_token(store.token_for(snapshot)), None


def _fingerprint(info_id: str | None, files: list[dict], as_of, period_from, period_to,
                 branches, threshold: int | None) -> dict[str, object]:
    day = lambda d: d.isoformat() if d is not None else None  # noqa: E731
    return {
        "snapshot_id": info_id, "files": files, "as_of": day(as_of), "from": day(period_from),
        "to": day(period_to), "branches": list(branches), "outcome": OUTCOME, "threshold": threshold,
        "software_version": software_version(),
    }


def fingerprint(con: duckdb.DuckDBPyConnection, query=None, threshold: int | None = None) -> dict[str, object]:
    """The data fingerprint of figures computed on ``con`` for ``query``
    (resolved with the handbook's defaults): snapshot_id, files (name and
    SHA-256 of each imported file), as_of, from, to, branches, outcome,
    threshold (the suppression threshold, where one applies) and
    software_version. Two outputs with the same fingerprint hold the same
    figures. A snapshot written before snapshot ids existed has
    ``snapshot_id`` and ``files`` null/empty."""
    from analytics.engine import query as engine

    info = snapshot_info(con) or {"snapshot_id": None, "files": []}
    q = engine.resolve(con, query or engine.Query())
    return _fingerprint(info["snapshot_id"], info["files"], q.as_of, q.period_from, q.period_to,
                        q.branches, threshold)


def result_fingerprint(result: importer.ValidationResult) -> dict[str, object]:
    """The fingerprint of a validation (``validate``/``import --format json``):
    the snapshot id its import gets and its files; no query."""
    files = [{"file": name, "sha256": digest} for name, digest in result.files]
    return _fingerprint(snapshot_id(result.files), files, None, None, None, (), None)
