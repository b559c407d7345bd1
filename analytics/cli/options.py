"""Options several commands share, declared once: where the data come from
(``--data DIR | --db PATH``), the query (``--as-of``, ``--from/--to``,
``--branch``), the parsing of dates, rates and thresholds, and opening the
source the way every command reports it.

Only the standard library is imported here, so building the parser stays
cheap; opening a source imports the importer and the store when a handler
calls :func:`open_data`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

AS_OF_HELP = "the data as they stood on this day (default: the latest event date)"
BRANCH_HELP = "keep only this branch (repeat for several; `central` for shared costs)"


# -- parsing ------------------------------------------------------------------


def date(text: str) -> dt.date:
    """YYYY-MM-DD -> a date; anything else is an argparse error (exit 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def rate(text: str) -> float:
    """0.42, 42% or 42 % -> 0.42."""
    raw = text.strip().replace(",", ".")
    try:
        value = float(raw.rstrip("%").strip()) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a rate (0.42 or 42%): {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate is between 0 and 1 (or 0% and 100%): {text!r}")
    return value


def threshold(text: str) -> int:
    """The small-cell suppression threshold: a whole number, at least 2."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 2:
        raise argparse.ArgumentTypeError("the suppression threshold is at least 2")
    return value


# The outcome definitions of the handbook (v2), by name; the engine's
# analytics.engine.query.OUTCOME_DEFINITIONS holds the statuses of each (a test
# checks the two name the same definitions; the engine is not imported here).
OUTCOME_NAMES = ("positive", "job", "stable_job")


def min_days(text: str) -> int:
    """--min-days: a whole number of days from 1 to 365."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 365:
        raise argparse.ArgumentTypeError(f"the minimum days in work is from 1 to 365, not {value}")
    return value


# -- declaring ----------------------------------------------------------------
# The help texts are parameters because the commands' help pages predate this
# module and are kept byte for byte (``report`` never explained --as-of).


def add_source(parser: argparse.ArgumentParser) -> None:
    """``--data DIR`` or ``--db PATH``, exactly one of them."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, metavar="DIR",
                        help="a folder (or .xlsx workbook) in the record format")
    source.add_argument("--db", type=Path, metavar="PATH", help="the store that `import` wrote")


def add_snapshot(parser: argparse.ArgumentParser) -> None:
    """``--snapshot ID``: a snapshot of the store other than the current one
    (its id, as ``python -m analytics snapshots`` lists them)."""
    parser.add_argument("--snapshot", metavar="ID",
                        help="with --db: use this snapshot (see `snapshots`), not the current one")


def add_as_of(parser: argparse.ArgumentParser, help: str | None = AS_OF_HELP) -> None:
    parser.add_argument("--as-of", type=date, metavar="YYYY-MM-DD", help=help)


def add_period(parser: argparse.ArgumentParser) -> None:
    """``--from`` and ``--to`` (``args.period_from``, ``args.period_to``); see :func:`period_problem`."""
    parser.add_argument("--from", dest="period_from", type=date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="period_to", type=date, metavar="YYYY-MM-DD")


def add_outcome(parser: argparse.ArgumentParser) -> None:
    """``--outcome NAME`` and ``--min-days N`` (handbook v2, "Outcome definitions")."""
    parser.add_argument("--outcome", choices=OUTCOME_NAMES, default="positive",
                        help="which exit and follow-up statuses count as positive (default: positive)")
    parser.add_argument("--min-days", dest="min_days", type=min_days, default=90, metavar="N",
                        help="days in work within 12 months of the end for worked_90d_rate_12m "
                             "(1-365, default 90)")


def add_branch(parser: argparse.ArgumentParser, help: str | None = BRANCH_HELP) -> None:
    parser.add_argument("--branch", action="append", default=[], metavar="B", help=help)


def fail(message: str) -> int:
    """Say what is wrong on standard error; the exit code for it (2, nothing changed)."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def period_problem(args: argparse.Namespace) -> str | None:
    """Why --from/--to cannot be used as given, or None."""
    if (args.period_from is None) != (args.period_to is None):
        return "--from and --to go together"
    return None


# -- opening the source -------------------------------------------------------


def open_data(args: argparse.Namespace):
    """``(connection, validation result or None)`` for ``args.data`` / ``args.db``.

    Input that stops the import (or a path that is no store) is reported on
    standard error and gives None: the caller exits 2 with nothing on standard
    output. How rejected rows are reported is the caller's choice.
    """
    from analytics.pipeline import open_source
    from analytics.records.issues import ImportStopped  # not the importer: --db reads no source

    snapshot = getattr(args, "snapshot", None)
    if snapshot is not None and args.db is None:
        fail("--snapshot names a snapshot of a store: give --db")
        return None
    try:
        return open_source(data=args.data, db=args.db, snapshot=snapshot)
    except (ImportStopped, FileNotFoundError, NotADirectoryError) as error:
        fail(str(error))
        return None


def print_fingerprint(con, query=None) -> None:
    """A list output's fingerprint, on standard error (the list stays bare on standard output)."""
    import json

    from analytics.pipeline import fingerprint

    print("fingerprint: " + json.dumps(fingerprint(con, query), sort_keys=True), file=sys.stderr)


def rejected(result) -> list:
    """The rejected-row issues of a validation result (none for a store)."""
    if result is None:
        return []
    return [issue for issue in result.issues if issue.severity == "rejected"]
