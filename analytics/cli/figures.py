"""Command line for the indicator engine: ``indicators`` and ``at-risk``.

    python -m analytics indicators --data DIR | --db PATH [--as-of A] [--branch B]... [--from F --to T]
                                   [--format json|table]
    python -m analytics at-risk --data DIR | --db PATH [--as-of A] [--branch B]... [--format json|table]

The handbook's "Command line" section is the contract: JSON on standard
output, rejected rows reported on standard error with exit 0 (the figures
come from the rows that loaded), and input that stops the import or bad
arguments exit 2 with the message on standard error and nothing on standard
output. ``--format table`` is for people reading a terminal. ``at-risk``
prints duo, mentee and mentor ids: each run appends an "export" line to the
audit log (who, how many duos; never the ids).

The engine is imported by the handlers, not here, so that building the
parser stays cheap.
"""
from __future__ import annotations

import argparse
import json
import sys

from analytics.cli import options


def _add_query_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    options.add_as_of(parser)
    options.add_branch(parser)
    parser.add_argument("--format", choices=("json", "table"), default="json")


def register(subparsers) -> None:
    p = subparsers.add_parser("indicators", help="every indicator of the handbook for one query")
    _add_query_arguments(p)
    options.add_period(p)
    p.set_defaults(handler=run_indicators)

    p = subparsers.add_parser("at-risk", help="the duos open on the as-of date on which a rule fires")
    _add_query_arguments(p)
    p.set_defaults(handler=run_at_risk)


def _open(args: argparse.Namespace):
    """The connection, each rejected row listed on standard error; None when the input stops."""
    opened = options.open_data(args)
    if opened is None:
        return None
    con, result = opened
    for issue in options.rejected(result):
        print(f"rejected: {issue.file_name} row {issue.row_number} column {issue.column_name} "
              f"value {issue.value!r}: {issue.reason}", file=sys.stderr)
    return con


def run_indicators(args: argparse.Namespace) -> int:
    from analytics.engine import query as engine
    from analytics.engine.registry import INDICATORS
    from analytics.text import fmt

    problem = options.period_problem(args)
    if problem:
        return options.fail(problem)
    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch))
    try:
        figures = engine.indicators(con, query)
    except engine.QueryError as error:
        return options.fail(str(error))
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
    from analytics.engine import query as engine

    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(as_of=args.as_of, branches=tuple(args.branch))
    duos = engine.at_risk_list(con, query)
    # duo, mentee and mentor ids: personal data, logged as the dashboard's downloads are
    from analytics.people.audit import audit_cli_export

    audit_cli_export("at_risk", len(duos), format=args.format,
                     source=str(args.db if args.db is not None else args.data))
    if args.format == "json":
        print(json.dumps(duos, indent=1))
    else:
        for duo in duos:
            print(f"{duo['duo_id']:<12} {duo['branch']:<12} score {duo['score']}  {', '.join(duo['rules'])}")
        print(f"{len(duos)} duo(s) at risk")
    return 0
