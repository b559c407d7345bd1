"""The import pipeline: records → store, with the engine's facts.

The record format (``analytics.records``) reads and checks a source; the store
(``analytics.store``) keeps snapshots; neither knows the engine above them.
This package is where the three meet: a store whose imports and erasures build
the engine's facts, and the one way a command or a page opens its data.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.engine.models import FACTS_DIGEST_TABLE, build_facts, facts
from analytics.records import importer
from analytics.store.snapshots import Derived, Store

__all__ = ["ENGINE_FACTS", "open_store", "open_source"]

ENGINE_FACTS = Derived(tables=frozenset({*facts(), FACTS_DIGEST_TABLE}), build=build_facts)


def open_store(path: Path | str) -> Store:
    """The store at ``path``, whose imports and erasures build the engine's facts."""
    return Store(path, derived=ENGINE_FACTS)


def open_source(data: Path | None = None, db: Path | None = None, progress=None
                ) -> tuple[duckdb.DuckDBPyConnection, importer.ValidationResult | None]:
    """The connection a command or page works on: ``data`` (a source folder or
    workbook, validated and loaded in memory with the facts, with its
    ValidationResult) or ``db`` (a store, its current snapshot read-only, no
    result)."""
    if (data is None) == (db is None):
        raise ValueError("give exactly one of data and db")
    if data is not None:
        return importer.open_dataset(Path(data), progress, derive=build_facts)
    return Store(db).connect(), None
