"""Command line for the indicator engine: ``indicators`` and ``at-risk``.

    python -m analytics indicators --data DIR | --db PATH [--as-of A] [--branch B]... [--from F --to T]
                                   [--compare previous] [--format json|table]
    python -m analytics at-risk --data DIR | --db PATH [--as-of A] [--branch B]... [--format json|table]

The handbook's "Command line" section is the contract: JSON on standard
output, rejected rows reported on standard error with exit 0 (the figures
come from the rows that loaded), and input that stops the import or bad
arguments exit 2 with the message on standard error and nothing on standard
output. ``--format table`` is for people reading a terminal. ``--compare previous``
adds ``"previous": {"from", "to", every key}``: the same days one year earlier
(``[F − 1 year, d − 1 year]``, ``analytics.engine.insights.previous_period``),
computed with the same as-of date and branch filter, as the dashboard's tiles.

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
    p.add_argument("--compare", choices=("previous",), default=None,
                   help="add the same days one year earlier ([F - 1 year, d - 1 year], same as-of date)")
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
        previous = _previous(con, query) if getattr(args, "compare", None) == "previous" else None
    except engine.QueryError as error:
        return options.fail(str(error))
    if args.format == "json":
        print(json.dumps(figures if previous is None else {**figures, "previous": previous}, indent=1))
    else:
        print(f"as of {figures['as_of']}, period {figures['from']} to {figures['to']}")
        if previous is not None:
            print(f"compared with {previous['from']} to {previous['to']} (same as-of date)")
        width = max(len(INDICATORS[k].label) for k in figures if k in INDICATORS)
        for key, value in figures.items():
            if key in INDICATORS:
                entry = INDICATORS[key]
                # one decimal more for rates than the dashboard's tiles: the terminal is for checking
                shown = fmt.percent(value, 1, "en") if entry.unit == "rate" else fmt.value(value, entry.unit, "en")
                if previous is not None:
                    before = previous.get(key)
                    shown += "  (" + (fmt.percent(before, 1, "en") if entry.unit == "rate"
                                      else fmt.value(before, entry.unit, "en")) + ")"
                print(f"  {entry.label:<{width}}  {shown}")
    return 0


def _previous(con, query) -> dict:
    """The figures of the same days one year earlier: ``from``, ``to`` and every key."""
    from analytics.engine import insights
    from analytics.engine import query as engine

    earlier = engine.indicators(con, insights.previous_period(engine.resolve(con, query)))
    return {key: value for key, value in earlier.items() if key != "as_of"}


def run_at_risk(args: argparse.Namespace) -> int:
    from analytics.engine import query as engine

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
