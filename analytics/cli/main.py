"""The ``python -m analytics`` command line.

Each group of commands lives beside the code it drives and registers itself
here, so this file stays a dispatcher:

- ``commands_data``: validate, import, templates (record format and store);
- ``generate``: the synthetic sample programme;
- ``commands_report``: indicators, at-risk (the indicator engine).

Exit codes follow the record format: 0 all loaded, 1 rows rejected, 2 nothing
changed (bad input or bad arguments).
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
    from analytics.cli import data as commands_data
    from analytics.cli import funder as commands_funder
    from analytics.cli import figures as commands_report
    from analytics.sample import generate

    parser = ArgumentParser(
        prog="python -m analytics",
        description="Duo Impact: import a mentoring programme's records and compute its indicators.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for module in (commands_data, generate, commands_report, commands_funder):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)
