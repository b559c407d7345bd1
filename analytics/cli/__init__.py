"""The ``python -m analytics`` command line: one parser, one module per
group of commands.

- :mod:`~analytics.cli.records`: ``validate``, ``import``, ``templates`` (the
  record format and the store);
- :mod:`~analytics.cli.sample`: ``generate`` (the synthetic programme);
- :mod:`~analytics.cli.figures`: ``indicators``, ``at-risk`` (the indicator engine);
- :mod:`~analytics.cli.people`: ``users`` (sign-in users), ``forget`` and
  ``audit`` (erasure and its log);
- :mod:`~analytics.cli.report`: ``report`` (the funder impact report);
- :mod:`~analytics.cli.store`: ``backup``, ``restore``, ``migrate`` (keeping the store safe).

Options several commands share (``--data | --db``, ``--as-of``,
``--from/--to``, ``--branch``) are declared once in
:mod:`~analytics.cli.options`. Each handler imports what it drives, so
building the parser loads none of the importer, the engine, the report,
argon2, pandas or pyarrow (tests/test_cli_imports.py).

Exit codes: 0 done (every row loaded); 1 rows rejected by ``validate`` or
``import`` (the valid rows loaded), or ``forget`` found the id in no
snapshot; 2 nothing changed: bad input or bad arguments, the message on
standard error.
"""
from __future__ import annotations

import argparse
import sys


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with the message on standard error (its default),
    kept explicit because the handbook fixes that contract."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse path
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from analytics.cli import figures, people, records, report, sample, store

    parser = ArgumentParser(
        prog="python -m analytics",
        description="Duo Impact: import a mentoring programme's records and compute its indicators.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    # the order of `python -m analytics --help`
    for register in (records.register, sample.register, figures.register,
                     people.register_users, report.register, people.register_erasure, store.register):
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)
