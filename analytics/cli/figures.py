"""Command line for the indicator engine: ``indicators`` and ``at-risk``.

    python -m analytics indicators --data DIR | --db PATH [--as-of A] [--branch B]... [--from F --to T]
                                   [--outcome positive|job|stable_job] [--min-days N] [--compare previous]
                                   [--format json|table]
    python -m analytics at-risk --data DIR | --db PATH [--as-of A] [--branch B]... [--format json|table]
                                [--not-started-days N] [--no-meeting-days N] ... [--include-new]

The handbook's "Command line" section is the contract: JSON on standard
output, rejected rows reported on standard error with exit 0 (the figures
come from the rows that loaded), and input that stops the import or bad
arguments exit 2 with the message on standard error and nothing on standard
output. A figure that is null because a table it reads was not provided
(``worked_90d_rate_12m`` without ``jobs``) is named with the reason in
``"unavailable": {key: reason}`` (an empty map when none is).
``--format table`` is for people reading a terminal. ``--compare previous``
adds ``"previous": {"from", "to", "unavailable", every key}``: the same days one year earlier
(``[F − 1 year, d − 1 year]``, ``analytics.engine.insights.previous_period``),
computed with the same as-of date and branch filter, as the dashboard's tiles.
``at-risk`` prints duo, mentee and mentor ids: each run appends an "export"
line to the audit log (who, how many duos; never the ids).

The engine is imported by the handlers, not here, so that building the
parser stays cheap.
"""
from __future__ import annotations

import argparse
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
    options.add_snapshot(p)
    options.add_outcome(p)
    p.add_argument("--compare", choices=("previous",), default=None,
                   help="add the same days one year earlier ([F - 1 year, d - 1 year], same as-of date)")
    p.set_defaults(handler=run_indicators)

    p = subparsers.add_parser("at-risk", help="the duos open on the as-of date on which a rule fires")
    _add_query_arguments(p)
    for name, (kind, default, words) in THRESHOLD_FLAGS.items():
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=_at_least(kind, 1 if kind is int else 0),
                       default=default, metavar="N", help=f"{words} (default {default:g})")
    p.add_argument("--include-new", action="store_true",
                   help='also list the duos "new - too early to tell" (rules [], too_early true)')
    p.set_defaults(handler=run_at_risk)


# The at-risk page's thresholds (analytics.engine.query.Thresholds, whose
# defaults are the handbook's; a test checks the two agree), kept here so that
# building the parser does not import the engine.
THRESHOLD_FLAGS: dict[str, tuple[type, float, str]] = {
    "not_started_days": (int, 14, "not started: days since the match"),
    "no_meeting_days": (int, 21, "no recent meeting: days since the last meeting"),
    "low_intensity_window_days": (int, 28, "few hours: the window in days"),
    "low_intensity_min_hours": (float, 2.0, "few hours: the minimum hours met in the window"),
    "check_in_window_days": (int, 45, "no recent check-in: days"),
    "low_satisfaction_max": (int, 2, "low satisfaction: a score at or below this (1-5)"),
    "untrained_days": (int, 30, "mentor not trained: days after the first meeting"),
}


def _at_least(kind: type, minimum: float):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {text!r}") from None
        if value < minimum or value != value:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value
    return parse


def _at_the_edge(key: str, value: object) -> object:
    """A figure beyond the handbook (a number, or a mapping or list of them)
    rounded by the one rule (analytics.engine.numbers.edge)."""
    from analytics.engine import numbers

    if isinstance(value, dict):
        return {k: _at_the_edge(key, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_at_the_edge(key, v) for v in value]
    return numbers.edge(key, value)


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
    from analytics.engine import insights, numbers, query as engine
    from analytics.pipeline import fingerprint
    from analytics.engine.registry import INDICATORS
    from analytics.text import fmt

    problem = options.period_problem(args)
    if problem:
        return options.fail(problem)
    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch),
                         args.outcome, args.min_days)
    try:
        figures = engine.indicators(con, query, exact=True)
        figures.update({key: _at_the_edge(key, value)
                        for key, value in insights.beyond_handbook(con, query).items()})
        # the figures that are null because a table they read was not provided, with the reason
        figures["unavailable"] = {key: engine.unavailable_reason(tables)
                                  for key, tables in engine.unavailable(con, figures).items()}
        previous = _previous(con, query) if getattr(args, "compare", None) == "previous" else None
        if previous is not None:
            figures["previous"] = previous
        figures["fingerprint"] = fingerprint(con, query)
    except engine.QueryError as error:
        return options.fail(str(error))
    if args.format == "json":
        print(numbers.dumps(figures, indent=1))
    else:
        print(f"as of {figures['as_of']}, period {figures['from']} to {figures['to']}, "
              f"outcome definition {figures['outcome_definition']}, "
              f"at least {figures['min_days_in_work']} days in work, "
              f"snapshot {figures['fingerprint']['snapshot_id']}")
        if previous is not None:
            print(f"compared with {previous['from']} to {previous['to']} (same as-of date)")
        width = max(len(INDICATORS[k].label) for k in figures if k in INDICATORS)
        for key, value in figures.items():
            if key in INDICATORS and isinstance(value, dict):
                print(f"  {INDICATORS[key].label:<{width}}  (a table: see --format json)")
            elif key in figures["unavailable"]:
                print(f"  {INDICATORS[key].label:<{width}}  not available: {figures['unavailable'][key]}")
            elif key in INDICATORS:
                entry = INDICATORS[key]
                # one decimal more for rates than the dashboard's tiles: the terminal is for checking
                shown = fmt.percent(value, 1, "en") if entry.unit == "rate" else fmt.value(value, entry.unit, "en")
                if previous is not None:
                    before = previous.get(key)
                    shown += "  (" + (fmt.percent(before, 1, "en") if entry.unit == "rate"
                                      else fmt.value(before, entry.unit, "en")) + ")"
                # the label says the minimum of days in work in force (--min-days), not the default's 90
                label = entry.label.replace(" 90 days", f" {args.min_days} days") if key == "worked_90d_rate_12m" \
                    else entry.label
                print(f"  {label:<{width}}  {shown}")
    return 0


def _previous(con, query) -> dict:
    """The figures of the same days one year earlier: ``from``, ``to`` and every key."""
    from analytics.engine import insights
    from analytics.engine import query as engine

    earlier_query = insights.previous_period(engine.resolve(con, query))
    earlier = engine.indicators(con, earlier_query, exact=True)
    earlier.update({key: _at_the_edge(key, value)
                    for key, value in insights.beyond_handbook(con, earlier_query).items()})
    earlier["unavailable"] = {key: engine.unavailable_reason(tables)
                              for key, tables in engine.unavailable(con, earlier).items()}
    return {key: value for key, value in earlier.items() if key != "as_of"}


def run_at_risk(args: argparse.Namespace) -> int:
    from analytics.engine import numbers
    from analytics.engine import query as engine

    con = _open(args)
    if con is None:
        return 2
    query = engine.Query(as_of=args.as_of, branches=tuple(args.branch))
    thresholds = engine.Thresholds(**{name: getattr(args, name) for name in THRESHOLD_FLAGS})
    duos = engine.at_risk_list(con, query, thresholds, include_new=args.include_new, exact=True)
    options.print_fingerprint(con, query)
    # duo, mentee and mentor ids: personal data, logged as the dashboard's downloads are
    from analytics.people.audit import audit_cli_export

    audit_cli_export("at_risk", len(duos), format=args.format,
                     source=str(args.db if args.db is not None else args.data))
    if args.format == "json":
        print(numbers.dumps(duos, indent=1))
    else:
        for duo in duos:
            rules = "new - too early to tell" if duo.get("too_early") else ", ".join(duo["rules"])
            print(f"{duo['duo_id']:<12} {duo['branch']:<12} score {duo['score']}  {rules}")
        at_risk = sum(1 for duo in duos if not duo.get("too_early"))
        print(f"{at_risk} duo(s) at risk" + (f", {len(duos) - at_risk} too early to tell" if args.include_new else ""))
    return 0
