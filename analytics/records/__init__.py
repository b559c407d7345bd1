"""The programme's records: their format, declared once, and the import of them.

This package owns:

- the record format (schema.py): the tables, their columns and types, the
  date orders and programme rules, declared once; everything else follows it;
- reading a source (reading.py: a folder of CSV or Parquet files, or one
  workbook), every cell as text in a staging database (staging.py), typed in
  one pass (cells.py);
- checking it, set-based, table by table (checks.py), and what the checks say:
  issues, stops and their templates, the validation result (issues.py);
- loading the kept rows into a DuckDB connection (loading.py), with the import
  run itself in importer.py;
- the generated document of the format, docs/record-format.md (document.py).

It knows nothing of what is computed from the records: the engine's facts are
built by whoever loads (``load_into(..., derive=...)``).

The names below are its public surface, for ``from analytics.records import
...``. They are loaded on first use, so that importing the format alone
(``analytics.records.schema``) stays light and ``python -m
analytics.records.document`` runs its module only once.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analytics.records.document import record_format_markdown
    from analytics.records.importer import Progress, open_dataset, validate_source
    from analytics.records.issues import (ISSUE_COLUMNS, REASONS, STOPS, TRANSLATED_PARAMETERS, ImportStopped,
                                          Issue, ValidationResult)
    from analytics.records.loading import load_into
    from analytics.records.schema import PROGRAMME_RULES, TABLES, TABLES_BY_NAME, Column, Table

# Each public name, and the module that defines it.
_HOMES = {
    "TABLES": "schema", "TABLES_BY_NAME": "schema", "Table": "schema", "Column": "schema",
    "PROGRAMME_RULES": "schema",
    "ImportStopped": "issues", "Issue": "issues", "ValidationResult": "issues", "ISSUE_COLUMNS": "issues",
    "REASONS": "issues", "STOPS": "issues", "TRANSLATED_PARAMETERS": "issues",
    "validate_source": "importer", "open_dataset": "importer", "Progress": "importer",
    "load_into": "loading",
    "record_format_markdown": "document",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
