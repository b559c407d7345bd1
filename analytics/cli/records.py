"""Command line for the record format: `validate`, `import`, `templates`.

    python -m analytics validate SOURCE [--report FILE]
    python -m analytics import SOURCE --db PATH [--strict] [--report FILE]
    python -m analytics templates OUT_DIR

SOURCE is a folder of <table>.csv or <table>.parquet files, or one .xlsx
workbook. Exit codes follow the record format: 0 every row loaded, 1 rows
rejected (the valid rows are loaded unless --strict), 2 nothing changed (input
that stops the import, bad arguments, or --strict with rejected rows).

The validation report (terminal, CSV or JSON) is written here; the blank
templates are :mod:`analytics.records.templates`. The importer, the store
and duckdb are imported by the handlers, so that building the parser stays
cheap.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TextIO

from analytics.records import schema

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


def register(subparsers) -> None:
    validate = subparsers.add_parser(
        "validate", help="check a source against the record format (changes nothing)",
        description="Check a source against the record format and report; nothing is changed.")
    validate.add_argument("source", type=Path, metavar="SOURCE",
                          help="folder of <table>.csv / <table>.parquet files, or an .xlsx workbook")
    validate.add_argument("--report", type=Path, metavar="FILE",
                          help="write every issue to FILE (CSV, or JSON when FILE ends in .json)")
    validate.set_defaults(handler=run_validate)

    load = subparsers.add_parser(
        "import", help="check a source and load its valid rows into a store",
        description="Check a source, report, then load the valid rows into the store as a new "
                    "snapshot (the previous data stay until the new snapshot is complete).")
    load.add_argument("source", type=Path, metavar="SOURCE",
                      help="folder of <table>.csv / <table>.parquet files, or an .xlsx workbook")
    load.add_argument("--db", type=Path, required=True, metavar="PATH",
                      help="the store folder (created when absent)")
    load.add_argument("--strict", action="store_true",
                      help="load nothing when any row is rejected")
    load.add_argument("--report", type=Path, metavar="FILE",
                      help="write every issue to FILE (CSV, or JSON when FILE ends in .json)")
    load.set_defaults(handler=run_import)

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
        print_report(result, sys.stdout, args.report)
        if args.report and not _write_report_or_complain(result, args.report):
            return EXIT_UNCHANGED
        return EXIT_REJECTED if result.rejected_count else EXIT_LOADED
    finally:
        result.close()


def run_import(args: argparse.Namespace) -> int:
    import duckdb

    from analytics.pipeline import open_store

    result = _checked(args.source)
    if result is None:
        return EXIT_UNCHANGED
    try:
        print_report(result, sys.stdout, args.report)
        if args.report and not _write_report_or_complain(result, args.report):
            return EXIT_UNCHANGED
        if args.strict and result.rejected_count:
            print(f"--strict: {result.rejected_count} rows rejected, nothing was imported.",
                  file=sys.stderr)
            return EXIT_UNCHANGED
        try:
            with _progress_bar() as progress:
                snapshot = open_store(args.db).import_result(result, progress)
        except (OSError, duckdb.Error) as error:
            print(f"import failed: {error}\nnothing was changed.", file=sys.stderr)
            return EXIT_UNCHANGED
        loaded = sum(loaded for _read, loaded, _rejected in result.counts.values())
        if result.dropped_count:
            tables = ", ".join(f"{table} {count}" for table, count in result.dropped.items())
            print(f"warning: {result.dropped_count} rows dropped (erased): {tables}; these people were "
                  f"erased from {args.db} earlier and are not imported again.", file=sys.stderr)
        print(f"Imported {loaded} rows into {args.db} ({snapshot.name}).")
        return EXIT_REJECTED if result.rejected_count else EXIT_LOADED
    finally:
        result.close()


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


def write_report(result: ValidationResult, path: Path) -> None:
    """Every issue: JSON when the name ends in .json (with the counts), else
    CSV for a spreadsheet (UTF-8 with BOM, cells guarded against formulas)."""
    from analytics.records.importer import ISSUE_COLUMNS
    from analytics.records.templates import spreadsheet_safe

    if path.suffix.lower() == ".json":
        document = {
            "source": str(result.source),
            "tables": [{"table": t.name, "present": result.present[t.name],
                        "read": result.counts[t.name][0], "loaded": result.counts[t.name][1],
                        "rejected": result.counts[t.name][2]} for t in schema.TABLES],
            "issues": [{name: getattr(issue, name) for name in ISSUE_COLUMNS} for issue in result.issues],
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ISSUE_COLUMNS)
        for issue in result.issues:
            writer.writerow([spreadsheet_safe(getattr(issue, name)) for name in ISSUE_COLUMNS])


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
