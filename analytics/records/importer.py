"""The import: read a programme's records, check them against the record format, load them.

The import contract is docs/record-format.md (generated from schema.py, which
the importer follows rule by rule). A source is a folder of `<table>.csv` or
`<table>.parquet` files, or one `.xlsx` workbook with a sheet per table.

This module runs the import; each of its jobs has its own module:

- reading.py finds the files and reads every cell as text into an in-memory
  DuckDB database private to the validation (staging.py), whatever the source;
- cells.py types the cells in one set-based pass, checks.py checks each
  table with SQL and writes the issues (issues.py: what the importer says);
- loading.py copies the kept rows into a target connection.

`validate_source` only checks and keeps the valid rows in its staging
database; `load_into` copies them into a target connection in one
transaction; `open_dataset` does both for an in-memory data set.

The names the rest of the project reaches through this module (the issues,
the stop, the result, load_into) are re-exported here; ``analytics.records``
offers the same.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import duckdb

from analytics.records import schema
from analytics.records.checks import check_table
from analytics.records.issues import (ISSUE_COLUMNS, PARAMETERS, REASONS, STOPS, TRANSLATED_PARAMETERS,
                                      ImportStopped, Issue, ValidationResult, message_text)
from analytics.records.loading import Derive, load_into
from analytics.records.reading import find_sources, stage_table
from analytics.records.staging import Validation

__all__ = [
    "ISSUE_COLUMNS", "PARAMETERS", "REASONS", "STOPS", "TRANSLATED_PARAMETERS", "ImportStopped", "Issue",
    "Progress", "ValidationResult", "load_into", "message_text", "open_dataset", "validate_source",
]

Progress = Callable[[float, str], None]


def validate_source(source: Path, progress: Progress | None = None) -> ValidationResult:
    """Check a source against the record format. Changes nothing; raises
    ImportStopped when the source cannot be imported at all."""
    progress = progress or (lambda fraction, message: None)
    run = Validation(Path(source))
    try:
        check_every_table(run, progress)
        issues = run.collect_issues()
        progress(1.0, "checked")
    except BaseException:
        run.staging.close()
        raise
    finally:
        shutil.rmtree(run.tempdir, ignore_errors=True)
    return ValidationResult(
        source=run.source, issues=issues, counts=run.counts, present=run.present,
        files=run.files, table_files=run.table_files, staging=run.staging,
    )


def check_every_table(run: Validation, progress: Progress) -> None:
    """Read and check the tables in the record format's order (parents
    first), the progress moving with the bytes read."""
    sources = find_sources(run)
    total = sum(max(s.size, 1) for s in sources.values())
    done = 0
    for table in schema.TABLES:
        source = sources.get(table.name)
        run.present[table.name] = source is not None
        if source is None:
            run.counts[table.name] = (0, 0, 0)
            continue
        progress(done / total, f"checking {source.display}")
        check_table(run, table, stage_table(run, table, source))
        done += max(source.size, 1)


def open_dataset(source: Path, progress: Progress | None = None, derive: Derive | None = None
                 ) -> tuple[duckdb.DuckDBPyConnection, ValidationResult]:
    """Validate `source` and load it into a fresh in-memory connection (what
    `--data DIR` uses); `derive` as for load_into. The result keeps its issues
    and counts, but cannot be loaded again: its staging database became the
    returned connection."""
    result = validate_source(source, progress)
    staging = result.staging
    load_into(staging.con, result, derive)
    con = staging.hand_over()
    result.staging = None
    return con, result
