"""Command line for the matching assistant: ``matches``, for the weekly matching meeting.

    python -m analytics matches --data DIR | --db PATH [--as-of A] [--branch B]... [--top N]
                                [--all-branches] [--format json|table]

For every mentee counted by the handbook's ``mentees_waiting`` on A (the
``--branch`` filter by the mentee's branch), longest waiting first then
``mentee_id``: ``{"mentee_id", "branch", "waiting_days", "suggestions":
[{"mentor_id", "score", "reasons"}]}``, at most N suggestions (default 5),
best first, each a free trained mentor of the mentee's branch
(``--all-branches``: of any branch); a mentee with none has ``"suggestions":
[]`` and a ``"reason"``. Suggestions only: nothing is recorded.

Rejected rows (an unknown language code, ...) are reported on standard error
and the suggestions come from the rows that loaded, as ``at-risk`` does. A
``--branch`` no mentee or mentor has is bad input (exit 2); no mentee waiting
or no free mentor at all is said on standard error beside the (empty) answer.
"""
from __future__ import annotations

import argparse
import json
import sys

from analytics.cli import options


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--top is at least 1")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser("matches", help="for every waiting mentee, the best free trained mentors")
    options.add_source(p)
    options.add_as_of(p)
    options.add_branch(p, help="keep only the mentees of this branch (repeat for several)")
    p.add_argument("--top", type=_top, default=5, metavar="N",
                   help="at most N suggestions per mentee (default 5)")
    p.add_argument("--all-branches", action="store_true",
                   help="suggest mentors of every branch, not only the mentee's")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.set_defaults(handler=run_matches)


def run_matches(args: argparse.Namespace) -> int:
    from analytics.engine import query as engine
    from analytics.engine import matching

    opened = options.open_data(args)
    if opened is None:
        return 2
    con, result = opened
    for issue in options.rejected(result):
        print(f"rejected: {issue.file_name} row {issue.row_number} column {issue.column_name} "
              f"value {issue.value!r}: {issue.reason}", file=sys.stderr)
    known = set(engine.branches(con))
    for branch in dict.fromkeys(args.branch):
        if branch not in known:
            return options.fail(f"no mentee or mentor in branch {branch!r}")
    as_of = args.as_of or engine.default_as_of(con)
    query = engine.Query(as_of=as_of, branches=tuple(args.branch))
    mentees = matching.matches(con, query, top=args.top, widen=args.all_branches)
    where = f" in branch {', '.join(args.branch)}" if args.branch else ""
    # mentee and mentor ids: personal data, logged as the dashboard's downloads are
    from analytics.people.audit import audit_cli_export

    audit_cli_export("matches", len(mentees), format=args.format,
                     source=str(args.db if args.db is not None else args.data))
    if not mentees:
        print(f"no mentee waiting on {as_of}{where}", file=sys.stderr)
    elif all(not m["suggestions"] for m in mentees):
        print(f"no suggestion on {as_of}{where}: {mentees[0]['reason']}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(mentees, indent=1))
        return 0
    print(f"as of {as_of}: {len(mentees)} mentee(s) waiting{where}")
    for mentee in mentees:
        head = f"{mentee['mentee_id']:<12} {mentee['branch']:<12} {mentee['waiting_days']:>4} days"
        if not mentee["suggestions"]:
            print(f"{head}  none: {mentee['reason']}")
            continue
        print(head)
        for rank, s in enumerate(mentee["suggestions"], start=1):
            why = "; ".join(s["reasons"]) or "no rule met"
            print(f"    {rank}. {s['mentor_id']:<12} score {s['score']:<5} {why}")
    return 0
