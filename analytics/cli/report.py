"""Command line for the funder impact report: ``report``.

    python -m analytics report --data DIR | --db FILE [--snapshot ID] [--as-of A] [--from F --to T] [--branch B]...
                               [--lang en|fr|nl] --format html|pdf|csv|xlsx --out PATH [--threshold 5]
                               [--outcome positive|job|stable_job] [--role funder --funder NAME...] [--branding FILE]
                               [--baseline RATE --baseline-label TEXT [--baseline-for KEY] [--baseline-source TEXT]]
    python -m analytics report ... --role funder [--funder NAME]... --format json [--out PATH]

``--format json`` lists every cell a funder is shown (the impact report's
figures, series points and table cells, and with ``--funder`` their "Your
funding" view), each with its suppression state and reason
(:mod:`analytics.report.truth`), on standard output unless ``--out``.
``--funder`` must name a funder of the funding records (else exit 2). Every
export with ``--role funder`` is written to the audit log.

Exit codes: 0 written; 2 bad input or arguments (the message on standard
error, nothing written). The file is written atomically: a reader never sees
half a report. A report made from a store marks its snapshot kept, so that
``--snapshot ID`` can make it again, byte for byte, after later imports
(with ``SOURCE_DATE_EPOCH`` set, the report carries no time of generation).
The report builder (and its PDF and chart libraries) is
imported by the handler only.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analytics.cli import options


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="the funder impact report (HTML, PDF, CSV or XLSX), small cells suppressed")
    options.add_source(p)
    options.add_as_of(p, help=None)
    options.add_period(p)
    options.add_branch(p, help=None)
    options.add_snapshot(p)
    options.add_outcome(p)
    p.add_argument("--lang", choices=("en", "fr", "nl"), default="en")
    p.add_argument("--format", required=True, choices=("html", "pdf", "csv", "xlsx", "json"))
    p.add_argument("--out", type=Path, metavar="PATH",
                   help="the file to write (required, except for json: standard output)")
    p.add_argument("--role", choices=("manager", "funder"), default="manager",
                   help="whose output (json is the funder's cells; the report is suppressed for every role)")
    p.add_argument("--funder", action="append", default=[], metavar="NAME",
                   help="a funder as the funding records name it: adds their 'Your funding' view (json)")
    p.add_argument("--threshold", type=options.threshold, default=5, metavar="N",
                   help="small-cell suppression threshold (default 5)")
    p.add_argument("--branding", type=Path, metavar="FILE",
                   help="the programme's name, logo and colours (a JSON settings file, docs/report.md; "
                        "default: $DUO_IMPACT_BRANDING)")
    p.add_argument("--baseline", type=options.rate, metavar="RATE",
                   help="a comparison rate, e.g. a control group's job rate (0.42 or 42%%)")
    p.add_argument("--baseline-label", metavar="TEXT", help="what the baseline is (required with --baseline)")
    p.add_argument("--baseline-for", default="job_exit_rate",
                   choices=("job_exit_rate", "positive_exit_rate", "completion_rate", "job_rate_12m"),
                   help="the programme figure the baseline is compared with (default job_exit_rate)")
    p.add_argument("--baseline-source", default="", metavar="TEXT")
    p.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from analytics.engine import query as engine
    from analytics import report
    from analytics.pipeline import fingerprint

    problem = options.period_problem(args)
    if problem:
        return options.fail(problem)
    if args.period_from and args.period_from > args.period_to:
        return options.fail(f"the period starts ({args.period_from}) after it ends ({args.period_to})")
    if (args.baseline is None) != (args.baseline_label is None):
        return options.fail("--baseline and --baseline-label go together")
    if args.format == "json" and args.role != "funder":
        return options.fail("--format json lists what a funder is shown: give --role funder")
    if args.funder and args.role != "funder":
        return options.fail("--funder goes with --role funder")
    if args.out is None and args.format != "json":
        return options.fail(f"--format {args.format} needs --out PATH")
    if args.out is not None and args.out.exists() and args.out.is_dir():
        return options.fail(f"--out {args.out} is a folder; give a file name")
    if args.out is not None and not args.out.parent.exists():
        return options.fail(f"the folder {args.out.parent} does not exist")
    if args.format == "json":
        return _run_json(args)
    con = _open(args)
    if con is None:
        return 2
    baseline = None
    if args.baseline is not None:
        baseline = report.Baseline(label=args.baseline_label, value=args.baseline, indicator=args.baseline_for,
                                   source=args.baseline_source)
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch),
                         outcome=args.outcome, min_days_in_work=args.min_days)
    if args.funder:
        from analytics.engine.funding_scope import funder_names

        unknown = [f for f in args.funder if f.strip() not in set(funder_names(con))]
        if unknown:
            return options.fail(f"no funder named {', '.join(map(repr, unknown))} in the funding records")
    try:
        branding = report.load_branding(args.branding) if args.branding else report.branding_from_env()
        model = report.build(con, query, lang=args.lang, threshold=args.threshold, baseline=baseline,
                             fingerprint=fingerprint(con, query, threshold=args.threshold),
                             funders=tuple(args.funder), branding=branding)
        data = report.render(model, args.format)
    except (engine.QueryError, report.ReportError) as error:
        return options.fail(str(error))
    _write_atomically(args.out, data)
    if args.db is not None:
        _keep_snapshot(args, con)
    print(f"wrote {args.out} ({args.format}, {len(data):,} bytes)", file=sys.stderr)
    if args.role == "funder":
        _audit_export(args, len(data))
    return 0


def _run_json(args: argparse.Namespace) -> int:
    """The funder's cells as JSON, on standard output or in ``--out``."""
    import json

    from analytics.engine import query as engine
    from analytics.engine.funding_scope import FundingScopeError, funder_names
    from analytics import report
    from analytics.report.truth import funder_cells

    con = _open(args)
    if con is None:
        return 2
    if args.funder:
        unknown = [f for f in args.funder if f.strip() not in set(funder_names(con))]
        if unknown:
            return options.fail(f"no funder named {', '.join(map(repr, unknown))} in the funding records")
    query = engine.Query(args.as_of, args.period_from, args.period_to, tuple(args.branch))
    try:
        cells = funder_cells(con, query, funders=tuple(args.funder), lang=args.lang, threshold=args.threshold)
    except (engine.QueryError, report.ReportError, FundingScopeError) as error:
        return options.fail(str(error))
    text = json.dumps(cells, ensure_ascii=False, indent=1, default=str) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        _write_atomically(args.out, text.encode("utf-8"))
        print(f"wrote {args.out} (json, {len(cells['cells'])} cells)", file=sys.stderr)
    _audit_export(args, len(cells["cells"]))
    return 0


def _audit_export(args: argparse.Namespace, size: int) -> None:
    """One audit line per funder export: what, for whom, where."""
    import getpass

    from analytics.people.audit import audit

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in this environment
        who = "unknown"
    audit("export", who, {"what": f"funder_report_{args.format}", "funders": ",".join(args.funder),
                          "size": size, "file": str(args.out) if args.out else "stdout"})


def _open(args: argparse.Namespace):
    """The connection, rejected rows counted on standard error; None when the input stops."""
    opened = options.open_data(args)
    if opened is None:
        return None
    con, result = opened
    rejected = options.rejected(result)
    if rejected:
        print(f"{len(rejected)} row(s) rejected; the report uses the rows that loaded "
              "(run `python -m analytics validate` for the details)", file=sys.stderr)
    return con


def _keep_snapshot(args: argparse.Namespace, con) -> None:
    """Mark the snapshot the report was made from kept, so that it can be made
    again (``--snapshot ID``) after later imports; a store the user cannot
    write to gets a warning, the report stands."""
    from analytics.store import Store

    store = Store(args.db)
    token = store.token_for(args.snapshot) if args.snapshot else None
    if token is None:
        path = con.execute("select path from duckdb_databases() where database_name = current_database()"
                           ).fetchone()[0]
        token = Path(path).name
    try:
        store.keep(token)
    except OSError as error:
        print(f"warning: cannot mark snapshot {token} kept: {error}", file=sys.stderr)


def _write_atomically(path: Path, data: bytes) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
