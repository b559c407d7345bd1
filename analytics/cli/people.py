"""Command line for the people in the data and at the dashboard: sign-in
users, erasure of a mentee or mentor, and the audit log.

    python -m analytics users add USERNAME --role manager|coordinator|funder [--branch B]... [--password-stdin]
                                  [--funder NAME]... [--db STORE]
    python -m analytics users remove USERNAME
    python -m analytics users list
    python -m analytics forget --mentee ID | --mentor ID [--db STORE]
    python -m analytics audit

Exit codes: 0 done; 1 (``forget``) the id is in no snapshot, nothing changed;
2 bad input or arguments (the message on standard error, nothing written).
``users list`` never prints hashes. The users file is ``$DUO_IMPACT_USERS``,
else ``users.json`` beside the store (see :mod:`analytics.people.users`);
``--users-file`` overrides both. A funder user bound with ``--funder`` (as
the funding records name the funder; repeat for several) sees what those
grants covered; without it, the whole programme. With ``--db``, every
``--funder`` must name a funder of the store's current snapshot (else exit 2).

The users module (and argon2) and the store are imported by the handlers.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from analytics.cli import options

# analytics.people.users.ROLES, spelled out so that building the parser does
# not load argon2; tests/test_cli_imports.py checks that the two agree.
ROLES = ("manager", "coordinator", "funder")


def register(subparsers) -> None:
    register_users(subparsers)
    register_erasure(subparsers)


def register_users(subparsers) -> None:
    users = subparsers.add_parser("users", help="the dashboard's sign-in users (local file, argon2 hashes)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--users-file", type=Path, metavar="PATH",
                        help="the users file (default: $DUO_IMPACT_USERS, else users.json beside the store)")
    # the nested parsers are of the caller's class (add_subparsers' default)
    users_sub = users.add_subparsers(dest="users_command", required=True)
    p = users_sub.add_parser("add", parents=[common], help="add a user (asks for the password twice)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--branch", action="append", default=[], metavar="B",
                   help="a branch the coordinator follows (repeat for several; coordinators only)")
    p.add_argument("--funder", action="append", default=[], metavar="NAME",
                   help="a funder as the funding records name it, whose grants this funder user follows "
                        "(repeat for several; funder users only; none: the whole programme)")
    p.add_argument("--db", type=Path, metavar="PATH", default=None,
                   help="check every --funder against this store's funding records")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input instead of asking")
    p.set_defaults(handler=run_users_add)
    p = users_sub.add_parser("remove", parents=[common], help="remove a user")
    p.add_argument("username")
    p.set_defaults(handler=run_users_remove)
    p = users_sub.add_parser("list", parents=[common], help="list the users and their roles (never the hashes)")
    p.set_defaults(handler=run_users_list)


def register_erasure(subparsers) -> None:
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


def _unknown_funders(db: Path, names: list[str]) -> str | None:
    """Why ``names`` cannot be bound against the store ``db`` (None: all are funders there)."""
    from analytics.engine.funding_scope import funder_names
    from analytics.pipeline import open_store

    if not db.is_dir():
        return f"{db}: no store here"
    store = open_store(db)
    if store.current() is None:
        return f"{db}: the store holds no data yet"
    con = store.connect()
    try:
        known = set(funder_names(con))
    finally:
        con.close()
    unknown = [n for n in names if n.strip() not in known]
    if unknown:
        return (f"no funder named {', '.join(map(repr, unknown))} in the funding records of {db} "
                "(the name as the funding file spells it)")
    return None


def run_users_add(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    if args.funder and args.role != "funder":
        return options.fail("--funder is for funder users only")
    if args.funder and args.db is not None:
        problem = _unknown_funders(args.db, args.funder)
        if problem:
            return options.fail(problem)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass(f"Password for {args.username}: ")
            again = getpass.getpass("Same password again: ")
        except (EOFError, KeyboardInterrupt):
            return options.fail("no password given")
        if password != again:
            return options.fail("the two passwords differ")
    try:
        user = _store(args).add(args.username, password, args.role, tuple(args.branch), tuple(args.funder))
    except UserError as error:
        return options.fail(str(error))
    branches = f" ({', '.join(user.branches)})" if user.branches else ""
    funders = f" (funders: {', '.join(user.funders)})" if user.funders else ""
    print(f"added {user.username}: {user.role}{branches}{funders}")
    return 0


def run_users_remove(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    try:
        _store(args).remove(args.username)
    except UserError as error:
        return options.fail(str(error))
    print(f"removed {args.username}")
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    from analytics.people.users import UserError

    try:
        users = _store(args).list()
    except (UserError, ValueError) as error:
        return options.fail(str(error))
    for u in users:
        print(f"{u.username}\t{u.role}\t{','.join(u.branches or u.funders)}\t{u.created_at}")
    if not users:
        print("no users", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- privacy
def run_forget(args: argparse.Namespace) -> int:
    from analytics.people.users import ROOT
    from analytics.people.audit import audit, os_user
    from analytics.pipeline import open_store
    from analytics.store import erasure

    kind, person = ("mentee", args.mentee) if args.mentee is not None else ("mentor", args.mentor)
    person = person.strip()
    if not person:
        return options.fail(f"--{kind} needs an id")
    db = args.db or Path(os.environ.get("DUO_IMPACT_DB", "data/store"))
    db = db if db.is_absolute() or args.db else ROOT / db
    if not db.is_dir():
        return options.fail(f"{db}: no store here")
    try:
        removed = erasure.forget(open_store(db), kind, person)
    except (OSError, ValueError) as error:
        return options.fail(str(error))
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
    print(erasure.SOURCE_NOTE)
    audit("forget", os_user(), {"kind": kind, "snapshots": len(removed),
                                         "rows": sum(r.total for r in removed)})
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from analytics.people.audit import read_audit

    try:
        for line in read_audit():
            detail = ", ".join(f"{k}={v}" for k, v in sorted(line.get("detail", {}).items()))
            print(f"{line.get('at')}\t{line.get('event')}\t{line.get('user')}\t{detail}")
    except (OSError, ValueError) as error:
        return options.fail(str(error))
    return 0
