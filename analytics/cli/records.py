"""Command line for the record format and the store: `validate`, `import`, `snapshots`, `templates`.

    python -m analytics validate SOURCE [--report FILE] [--format text|json]
    python -m analytics import SOURCE --db PATH [--strict] [--report FILE] [--format text|json]
    python -m analytics snapshots --db PATH [--format table|json]
    python -m analytics templates OUT_DIR

SOURCE is a folder of <table>.csv or <table>.parquet files, or one .xlsx
workbook. Exit codes follow the record format: 0 every row loaded, 1 rows
rejected (the valid rows are loaded unless --strict), 2 nothing changed (input
that stops the import, bad arguments, or --strict with rejected rows).
``--format json`` prints one JSON object instead of the terminal report (the
counts per table, every issue; the exit codes are the same). ``import``
commits the snapshot before it prints anything, and ``--report FILE`` is
written atomically (a temporary file renamed over FILE), so neither a reader
that stops early nor a crash leaves half an import or half a report.

The validation report (terminal, CSV or JSON) is written here; the blank
templates are :mod:`analytics.records.templates`. The importer, the store
and duckdb are imported by the handlers, so that building the parser stays
cheap.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TextIO

if TYPE_CHECKING:
    from analytics.records.importer import Issue, ValidationResult

EXIT_LOADED, EXIT_REJECTED, EXIT_UNCHANGED = 0, 1, 2

# How many issues the terminal report lists before pointing to --report.
SHOWN_ISSUES = 50

GROUPS = (
    ("rejected", "Rejected rows (not loaded)"),
    ("warning", "Warnings (loaded)"),
    ("eligibility_exception", "Eligibility exceptions (loaded)"),
)


def _add_source(parser) -> None:
    parser.add_argument("source", type=Path, metavar="SOURCE",
                        help="folder of <table>.csv / <table>.parquet files, or an .xlsx workbook")


def _add_report_options(parser) -> None:
    """The validation report's options, the same for validate and import."""
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="write every issue to FILE (CSV, or JSON when FILE ends in .json)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="the report on standard output: for people (text) or one JSON object")


def register(subparsers) -> None:
    validate = subparsers.add_parser(
        "validate", help="check a source against the record format (changes nothing)",
        description="Check a source against the record format and report; nothing is changed.")
    _add_source(validate)
    _add_report_options(validate)
    validate.set_defaults(handler=run_validate)

    load = subparsers.add_parser(
        "import", help="check a source and load its valid rows into a store",
        description="Check a source, report, then load the valid rows into the store as a new "
                    "snapshot (the previous data stay until the new snapshot is complete).")
    _add_source(load)
    load.add_argument("--db", type=Path, required=True, metavar="PATH",
                      help="the store folder (created when absent)")
    load.add_argument("--strict", action="store_true",
                      help="load nothing when any row is rejected")
    _add_report_options(load)
    load.set_defaults(handler=run_import)

    snapshots = subparsers.add_parser(
        "snapshots", help="list the snapshots a store keeps",
        description="List the snapshots of a store, oldest first: id, when imported, the files, "
                    "whether kept (a report was made from it) and which one is current.")
    snapshots.add_argument("--db", type=Path, required=True, metavar="PATH", help="the store")
    snapshots.add_argument("--format", choices=("table", "json"), default="table")
    snapshots.set_defaults(handler=run_snapshots)

    templates = subparsers.add_parser(
        "templates", help="write blank templates of the record format",
        description="Write one blank <table>.csv (header row only) per table and template.xlsx "
                    "with one sheet per table.")
    templates.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    templates.set_defaults(handler=run_templates)


# -- validate / import ------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    result = _checked(args.source)
    if result is None:
        return EXIT_UNCHANGED
    try:
        if args.report and not _write_report_or_complain(result, args.report):
            return EXIT_UNCHANGED
        code = EXIT_REJECTED if result.rejected_count else EXIT_LOADED
        _print_result(result, args)
        return code
    finally:
        result.close()


def run_import(args: argparse.Namespace) -> int:
    """Check, write --report, load, then print: the snapshot is committed (the
    pointer switched) before the first byte goes to standard output."""
    import duckdb

    from analytics.pipeline import open_store

    result = _checked(args.source)
    if result is None:
        return EXIT_UNCHANGED
    try:
        if args.report and not _write_report_or_complain(result, args.report):
            return EXIT_UNCHANGED
        if args.strict and result.rejected_count:
            _print_result(result, args)
            print(f"--strict: {result.rejected_count} rows rejected, nothing was imported.",
                  file=sys.stderr)
            return EXIT_UNCHANGED
        try:
            with _progress_bar() as progress:
                snapshot = open_store(args.db).import_result(result, progress)
        except (OSError, duckdb.Error) as error:
            print(f"import failed: {error}\nnothing was changed.", file=sys.stderr)
            return EXIT_UNCHANGED
        code = EXIT_REJECTED if result.rejected_count else EXIT_LOADED
        loaded = sum(loaded for _read, loaded, _rejected in result.counts.values())
        if result.dropped_count:
            tables = ", ".join(f"{table} {count}" for table, count in result.dropped.items())
            print(f"warning: {result.dropped_count} rows dropped (erased): {tables}; these people were "
                  f"erased from {args.db} earlier and are not imported again.", file=sys.stderr)
        _print_result(result, args, imported={"rows": loaded, "store": str(args.db),
                                              "snapshot": snapshot.name})
        if args.format != "json":
            print(f"Imported {loaded} rows into {args.db} ({snapshot.name}).")
        return code
    finally:
        result.close()


def _print_result(result: ValidationResult, args: argparse.Namespace, imported: dict | None = None) -> None:
    if args.format == "json":
        from analytics.pipeline import result_fingerprint

        document = report_document(result)
        if args.command == "import":
            document["imported"] = imported
        document["fingerprint"] = result_fingerprint(result)
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        print_report(result, sys.stdout, args.report)


def _checked(source: Path) -> ValidationResult | None:
    from analytics.records.importer import ImportStopped, validate_source

    try:
        with _progress_bar() as progress:
            return validate_source(source, progress)
    except ImportStopped as error:
        print(f"import stopped: {error}\nnothing was changed.", file=sys.stderr)
        return None


@contextlib.contextmanager
def _progress_bar() -> Iterator:
    """A tqdm bar on standard error when it is a terminal; nothing otherwise
    (logs and pipes get no control characters)."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=100, file=sys.stderr, unit="%", leave=False,
              bar_format="{desc:<40.40} {percentage:3.0f}%|{bar}| {elapsed}") as bar:
        def update(fraction: float, message: str) -> None:
            bar.set_description_str(message, refresh=False)
            bar.n = round(100 * min(max(fraction, 0.0), 1.0))
            bar.refresh()

        yield update


# -- the report -------------------------------------------------------------


def print_report(result: ValidationResult, out: TextIO, report_file: Path | None = None) -> None:
    """Counts per table, then the issues grouped by severity, the first
    SHOWN_ISSUES of them (all of them go to --report)."""
    from analytics.records import schema

    print(f"Source: {result.source}", file=out)
    rows = [("table", "file", "read", "loaded", "rejected")]
    for table in schema.TABLES:
        if result.present[table.name]:
            read, loaded, rejected = result.counts[table.name]
            rows.append((table.name, result.table_files[table.name][0], str(read), str(loaded),
                         str(rejected)))
        else:
            rows.append((table.name, "(absent)", "-", "-", "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:])]
        print("  " + "  ".join(cells).rstrip(), file=out)
    print(f"\n{result.rejected_count} rows rejected, {result.warning_count} warnings, "
          f"{result.exception_count} eligibility exceptions.", file=out)
    shown = 0
    for severity, title in GROUPS:
        group = [issue for issue in result.issues if issue.severity == severity]
        if not group or shown >= SHOWN_ISSUES:
            continue
        print(f"\n{title}: {len(group)}", file=out)
        for issue in group[:SHOWN_ISSUES - shown]:
            print("  " + describe(issue), file=out)
        shown += min(len(group), SHOWN_ISSUES - shown)
    hidden = len(result.issues) - shown
    if hidden > 0:
        where = f"in {report_file}" if report_file else "see --report FILE"
        print(f"\n... {hidden} more, {where}", file=out)


def describe(issue: Issue) -> str:
    """One issue on one line; the value is quoted and escaped, so a cell's line
    breaks or control characters cannot garble the terminal."""
    place = issue.file_name
    if issue.row_number is not None:
        place += f" row {issue.row_number}"
    if issue.column_name:
        place += f", {issue.column_name}"
    if issue.value is not None:
        place += " " + json.dumps(issue.value, ensure_ascii=False)
    return f"{place}: {issue.reason}"


def _write_report_or_complain(result: ValidationResult, path: Path) -> bool:
    from analytics.people.audit import audit_cli_export

    try:
        write_report(result, path)
    except OSError as error:
        print(f"cannot write the report: {error}\nnothing was changed.", file=sys.stderr)
        return False
    # the issues quote the cells they are about (birth dates, ids): personal data
    audit_cli_export("validation_report", len(result.issues), file=str(path))
    return True


def report_document(result: ValidationResult) -> dict:
    """The validation as one JSON-ready object: the source, the counts per
    table, the totals and every issue (severity, file, row, column, value,
    reason)."""
    from analytics.records import schema
    from analytics.records.importer import ISSUE_COLUMNS

    return {
        "source": str(result.source),
        "tables": [{"table": t.name, "present": result.present[t.name],
                    "read": result.counts[t.name][0], "loaded": result.counts[t.name][1],
                    "rejected": result.counts[t.name][2]} for t in schema.TABLES],
        "rejected": result.rejected_count,
        "warnings": result.warning_count,
        "eligibility_exceptions": result.exception_count,
        "issues": [{name: getattr(issue, name) for name in ISSUE_COLUMNS} for issue in result.issues],
    }


def write_report(result: ValidationResult, path: Path) -> None:
    """Every issue: JSON when the name ends in .json (with the counts), else
    CSV for a spreadsheet (UTF-8 with BOM, cells guarded against formulas).
    Written to a temporary file beside ``path`` and renamed over it."""
    from analytics.records.importer import ISSUE_COLUMNS
    from analytics.records.templates import spreadsheet_safe

    with _atomic_text(path, "utf-8" if path.suffix.lower() == ".json" else "utf-8-sig") as handle:
        if path.suffix.lower() == ".json":
            handle.write(json.dumps(report_document(result), ensure_ascii=False, indent=1) + "\n")
            return
        import csv

        writer = csv.writer(handle)
        writer.writerow(ISSUE_COLUMNS)
        for issue in result.issues:
            writer.writerow([spreadsheet_safe(getattr(issue, name)) for name in ISSUE_COLUMNS])


@contextlib.contextmanager
def _atomic_text(path: Path, encoding: str) -> Iterator[TextIO]:
    """A text file that appears at ``path`` whole or not at all."""
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or None)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- snapshots --------------------------------------------------------------


def run_snapshots(args: argparse.Namespace) -> int:
    from analytics.store import Store

    if not args.db.is_dir():
        print(f"error: {args.db}: no store here", file=sys.stderr)
        return EXIT_UNCHANGED
    entries = Store(args.db).entries()
    if args.format == "json":
        print(json.dumps([{"snapshot_id": e.snapshot_id, "file": e.token, "imported_at": e.imported_at,
                           "files": list(e.files), "kept": e.kept, "current": e.current} for e in entries],
                         indent=1))
        return EXIT_LOADED
    for e in entries:
        marks = ", ".join(m for m, on in (("current", e.current), ("kept", e.kept)) if on) or "-"
        print(f"{e.snapshot_id or '(no id)':<16}  {e.imported_at or '-':<20}  {marks:<13}  "
              f"{' '.join(e.files)}")
    return EXIT_LOADED


# -- templates --------------------------------------------------------------


def run_templates(args: argparse.Namespace) -> int:
    from analytics.records.templates import write_templates

    try:
        written = write_templates(args.out_dir)
    except OSError as error:
        print(f"cannot write the templates: {error}", file=sys.stderr)
        return EXIT_UNCHANGED
    for path in written:
        print(path)
    return EXIT_LOADED
