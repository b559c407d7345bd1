"""Command line for the indicator engine: ``indicators`` and ``at-risk``.

The handbook's "Command line" section is the contract: JSON on standard
output, rejected rows reported on standard error with exit 0 (the figures
come from the rows that loaded), and input that stops the import or bad
arguments exit 2 with the message on standard error and nothing on standard
output. ``--format table`` is for people reading a terminal.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from analytics.engine import query as engine
from analytics.text import fmt
from analytics.engine.registry import INDICATORS


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, metavar="DIR",
                        help="a folder (or .xlsx workbook) in the record format")
    source.add_argument("--db", type=Path, metavar="PATH", help="the store that `import` wrote")
    parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                        help="the data as they stood on this day (default: the latest event date)")
    parser.add_argument("--branch", action="append", default=[], metavar="B",
                        help="keep only this branch (repeat for several; `central` for shared costs)")
    parser.add_argument("--format", choices=("json", "table"), default="json")


def register(subparsers) -> None:
    p = subparsers.add_parser("indicators", help="every indicator of the handbook for one query")
    _add_source_arguments(p)
    p.add_argument("--from", dest="period_from", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="period_to", type=_date, metavar="YYYY-MM-DD")
    p.set_defaults(handler=run_indicators)

    p = subparsers.add_parser("at-risk", help="the duos open on the as-of date on which a rule fires")
    _add_source_arguments(p)
    p.set_defaults(handler=run_at_risk)


def _open(args: argparse.Namespace):
    """Open the data; report rejected rows on stderr. Returns None when the input stops."""
    from analytics.records.importer import ImportStopped
    from analytics.store.snapshots import open_source

    try:
        con, result = open_source(data=args.data, db=args.db)
    except (ImportStopped, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    if result is not None:
        for issue in result.issues:
            if issue.severity == "rejected":
                print(f"rejected: {issue.file_name} row {issue.row_number} column {issue.column_name} "
                      f"value {issue.value!r}: {issue.reason}", file=sys.stderr)
    return con


def run_indicators(args: argparse.Namespace) -> int:
    if (args.period_from is None) != (args.period_to is None):
        print("error: --from and --to go together", file=sys.stderr)
        return 2
    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch))
    try:
        figures = engine.indicators(con, query)
    except engine.QueryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(figures, indent=1))
    else:
        print(f"as of {figures['as_of']}, period {figures['from']} to {figures['to']}")
        width = max(len(INDICATORS[k].label) for k in figures if k in INDICATORS)
        for key, value in figures.items():
            if key in INDICATORS:
                entry = INDICATORS[key]
                # one decimal more for rates than the dashboard's tiles: the terminal is for checking
                shown = fmt.percent(value, 1, "en") if entry.unit == "rate" else fmt.value(value, entry.unit, "en")
                print(f"  {entry.label:<{width}}  {shown}")
    return 0


def run_at_risk(args: argparse.Namespace) -> int:
    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(as_of=args.as_of, branches=tuple(args.branch))
    duos = engine.at_risk_list(con, query)
    if args.format == "json":
        print(json.dumps(duos, indent=1))
    else:
        for duo in duos:
            print(f"{duo['duo_id']:<12} {duo['branch']:<12} score {duo['score']}  {', '.join(duo['rules'])}")
        print(f"{len(duos)} duo(s) at risk")
    return 0
