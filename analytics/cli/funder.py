"""Command line for sign-in users and the funder impact report.

    python -m analytics users add USERNAME --role manager|coordinator|funder [--branch B]... [--password-stdin]
    python -m analytics users remove USERNAME
    python -m analytics users list
    python -m analytics forget --mentee ID | --mentor ID [--db STORE]
    python -m analytics audit
    python -m analytics report --data DIR | --db FILE [--as-of A] [--from F --to T] [--branch B]...
                               [--lang en|fr|nl] --format html|pdf|csv --out PATH [--threshold 5]
                               [--baseline RATE --baseline-label TEXT [--baseline-for KEY] [--baseline-source TEXT]]

Exit codes: 0 done; 1 (``forget``) the id is in no snapshot, nothing changed; 2 bad input or arguments (the message on standard
error, nothing written). ``users list`` never prints hashes. The users file
is ``$DUO_IMPACT_USERS``, else ``users.json`` beside the store (see
:mod:`analytics.people.users`); ``--users-file`` overrides both.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import tempfile
from pathlib import Path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _rate(text: str) -> float:
    """0.42, 42% or 42 % -> 0.42."""
    raw = text.strip().replace(",", ".")
    try:
        value = float(raw.rstrip("%").strip()) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a rate (0.42 or 42%): {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate is between 0 and 1 (or 0% and 100%): {text!r}")
    return value


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 2:
        raise argparse.ArgumentTypeError("the suppression threshold is at least 2")
    return value


def register(subparsers) -> None:
    from analytics.people.users import ROLES

    users = subparsers.add_parser("users", help="the dashboard's sign-in users (local file, argon2 hashes)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--users-file", type=Path, metavar="PATH",
                        help="the users file (default: $DUO_IMPACT_USERS, else users.json beside the store)")
    users_sub = users.add_subparsers(dest="users_command", required=True, parser_class=subparsers._parser_class)
    p = users_sub.add_parser("add", parents=[common], help="add a user (asks for the password twice)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--branch", action="append", default=[], metavar="B",
                   help="a branch the coordinator follows (repeat for several; coordinators only)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input instead of asking")
    p.set_defaults(handler=run_users_add)
    p = users_sub.add_parser("remove", parents=[common], help="remove a user")
    p.add_argument("username")
    p.set_defaults(handler=run_users_remove)
    p = users_sub.add_parser("list", parents=[common], help="list the users and their roles (never the hashes)")
    p.set_defaults(handler=run_users_list)

    p = subparsers.add_parser("report", help="the funder impact report (HTML, PDF or CSV), small cells suppressed")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, metavar="DIR", help="a folder (or .xlsx workbook) in the record format")
    source.add_argument("--db", type=Path, metavar="PATH", help="the store that `import` wrote")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--from", dest="period_from", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="period_to", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--branch", action="append", default=[], metavar="B")
    p.add_argument("--lang", choices=("en", "fr", "nl"), default="en")
    p.add_argument("--format", required=True, choices=("html", "pdf", "csv"))
    p.add_argument("--out", required=True, type=Path, metavar="PATH")
    p.add_argument("--threshold", type=_threshold, default=5, metavar="N",
                   help="small-cell suppression threshold (default 5)")
    p.add_argument("--baseline", type=_rate, metavar="RATE",
                   help="a comparison rate, e.g. a control group's job rate (0.42 or 42%%)")
    p.add_argument("--baseline-label", metavar="TEXT", help="what the baseline is (required with --baseline)")
    p.add_argument("--baseline-for", default="job_exit_rate",
                   choices=("job_exit_rate", "positive_exit_rate", "completion_rate", "job_rate_12m"),
                   help="the programme figure the baseline is compared with (default job_exit_rate)")
    p.add_argument("--baseline-source", default="", metavar="TEXT")
    p.set_defaults(handler=run_report)

    p = subparsers.add_parser("forget", help="erase a mentee or mentor from the store (every kept snapshot)")
    person = p.add_mutually_exclusive_group(required=True)
    person.add_argument("--mentee", metavar="ID", help="the mentee_id to erase (with their duos)")
    person.add_argument("--mentor", metavar="ID", help="the mentor_id to erase (with their duos)")
    p.add_argument("--db", type=Path, metavar="PATH", default=None,
                   help="the store (default: $DUO_IMPACT_DB, else data/store)")
    p.set_defaults(handler=run_forget)
    p = subparsers.add_parser("audit", help="print the audit log (sign-ins, exports, erasures)")
    p.set_defaults(handler=run_audit)


# ---------------------------------------------------------------- users
def _store(args):
    from analytics.people.users import UserStore

    return UserStore(args.users_file)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_users_add(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass(f"Password for {args.username}: ")
            again = getpass.getpass("Same password again: ")
        except (EOFError, KeyboardInterrupt):
            return _fail("no password given")
        if password != again:
            return _fail("the two passwords differ")
    try:
        user = _store(args).add(args.username, password, args.role, tuple(args.branch))
    except UserError as error:
        return _fail(str(error))
    branches = f" ({', '.join(user.branches)})" if user.branches else ""
    print(f"added {user.username}: {user.role}{branches}")
    return 0


def run_users_remove(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    try:
        _store(args).remove(args.username)
    except UserError as error:
        return _fail(str(error))
    print(f"removed {args.username}")
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    try:
        users = _store(args).list()
    except (UserError, ValueError) as error:
        return _fail(str(error))
    for u in users:
        print(f"{u.username}\t{u.role}\t{','.join(u.branches)}\t{u.created_at}")
    if not users:
        print("no users", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- privacy
def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in this environment
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def run_forget(args: argparse.Namespace) -> int:
    from analytics.store import erasure as privacy
    from analytics.store.snapshots import Store
    from analytics.people.users import ROOT

    kind, person = ("mentee", args.mentee) if args.mentee is not None else ("mentor", args.mentor)
    person = person.strip()
    if not person:
        return _fail(f"--{kind} needs an id")
    db = args.db or Path(os.environ.get("DUO_IMPACT_DB", "data/store"))
    db = db if db.is_absolute() or args.db else ROOT / db
    if not db.is_dir():
        return _fail(f"{db}: no store here")
    try:
        removed = privacy.forget(Store(db), kind, person)
    except (OSError, ValueError) as error:
        return _fail(str(error))
    if not removed:
        print(f"{kind} {person} is in no snapshot of {db}: nothing changed", file=sys.stderr)
        return 1
    for r in removed:
        rows = ", ".join(f"{table} {count}" for table, count in sorted(r.rows.items()))
        print(f"{r.snapshot}: removed {rows}")
        if not r.issues_by_source:
            print("  (import_issues matched by value: the source is gone or changed, so issues of others "
                  "quoting the same values may have gone too)")
    print(f"{kind} {person} erased from {len(removed)} snapshot(s); the unredacted files are removed.")
    print(privacy.SOURCE_NOTE)
    privacy.audit("forget", _os_user(), {"kind": kind, "snapshots": len(removed),
                                         "rows": sum(r.total for r in removed)})
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from analytics.store import erasure as privacy

    try:
        for line in privacy.read_audit():
            detail = ", ".join(f"{k}={v}" for k, v in sorted(line.get("detail", {}).items()))
            print(f"{line.get('at')}\t{line.get('event')}\t{line.get('user')}\t{detail}")
    except (OSError, ValueError) as error:
        return _fail(str(error))
    return 0


# ---------------------------------------------------------------- report
def run_report(args: argparse.Namespace) -> int:
    from analytics.engine import query as engine
    from analytics import report

    if (args.period_from is None) != (args.period_to is None):
        return _fail("--from and --to go together")
    if args.period_from and args.period_from > args.period_to:
        return _fail(f"the period starts ({args.period_from}) after it ends ({args.period_to})")
    if (args.baseline is None) != (args.baseline_label is None):
        return _fail("--baseline and --baseline-label go together")
    if args.out.exists() and args.out.is_dir():
        return _fail(f"--out {args.out} is a folder; give a file name")
    if not args.out.parent.exists():
        return _fail(f"the folder {args.out.parent} does not exist")
    con = _open(args)
    if con is None:
        return 2
    baseline = None
    if args.baseline is not None:
        baseline = report.Baseline(label=args.baseline_label, value=args.baseline, indicator=args.baseline_for,
                                   source=args.baseline_source)
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch))
    try:
        model = report.build(con, query, lang=args.lang, threshold=args.threshold, baseline=baseline)
        data = report.render(model, args.format)
    except (engine.QueryError, report.ReportError) as error:
        return _fail(str(error))
    _write_atomically(args.out, data)
    print(f"wrote {args.out} ({args.format}, {len(data):,} bytes)", file=sys.stderr)
    return 0


def _open(args: argparse.Namespace):
    """Open the data; report rejected rows on stderr. None when the input stops."""
    from analytics.records.importer import ImportStopped
    from analytics.store.snapshots import open_source

    try:
        con, result = open_source(data=args.data, db=args.db)
    except (ImportStopped, FileNotFoundError, NotADirectoryError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    if result is not None:
        rejected = [i for i in result.issues if i.severity == "rejected"]
        if rejected:
            print(f"{len(rejected)} row(s) rejected; the report uses the rows that loaded "
                  "(run `python -m analytics validate` for the details)", file=sys.stderr)
    return con


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
