"""The ``python -m analytics`` command line: one parser, one module per
group of commands.

- :mod:`~analytics.cli.records`: ``validate``, ``import``, ``snapshots``, ``templates`` (the
  record format and the store);
- :mod:`~analytics.cli.sample`: ``generate`` (the synthetic programme);
- :mod:`~analytics.cli.figures`: ``indicators``, ``at-risk`` (the indicator engine);
- :mod:`~analytics.cli.people`: ``users`` (sign-in users), ``forget`` and
  ``audit`` (erasure and its log);
- :mod:`~analytics.cli.report`: ``report`` (the funder impact report);
- :mod:`~analytics.cli.matching`: ``matches`` (the matching assistant).
- :mod:`~analytics.cli.store`: ``backup``, ``restore``, ``migrate`` (keeping the store safe).

Options several commands share (``--data | --db``, ``--as-of``,
``--from/--to``, ``--branch``) are declared once in
:mod:`~analytics.cli.options`. Each handler imports what it drives, so
building the parser loads none of the importer, the engine, the report,
argon2, numpy, pandas or pyarrow (tests/analytics/cli/test_cli_imports.py,
tests/architecture/test_cli_imports.py; the start-up times are
benchmarks/cli.py's).

Exit codes: 0 done (every row loaded); 1 rows rejected by ``validate`` or
``import`` (the valid rows loaded), or ``forget`` found the id in no
snapshot; 2 nothing changed: bad input or bad arguments, the message on
standard error.

Data go to standard output, messages to standard error. A standard output
that closes early (``python -m analytics import SRC --db STORE | head -1``)
is not an error: what is left to print is dropped and the command ends with
its own exit code, as if the output had been read (:class:`PipeSafeOutput`).
Nothing a command changes depends on its output being read: ``import``
commits before it prints.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with the message on standard error (its default),
    kept explicit because the handbook fixes that contract."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse path
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from analytics.cli import figures, matching, people, records, report, sample, store

    parser = ArgumentParser(
        prog="python -m analytics",
        description="Duo Impact: import a mentoring programme's records and compute its indicators.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    # the order of `python -m analytics --help`
    for register in (records.register, sample.register, figures.register,
                     people.register_users, report.register, people.register_erasure,
                     matching.register, store.register):
        register(sub)
    return parser


class PipeSafeOutput:
    """Standard output that a closed reader cannot break.

    The first write or flush that fails with a broken pipe (EPIPE) points the
    file descriptor at the null device (so the interpreter's last flush
    succeeds too) and every later write is dropped; the command carries on
    and returns its own exit code. Other attributes are the wrapped stream's.
    """

    def __init__(self, wrapped) -> None:
        self.wrapped = wrapped
        self.broken = False

    def __getattr__(self, name: str):
        return getattr(self.wrapped, name)

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.wrapped.write(text)
            except OSError as error:
                self._closed_reader(error)
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.wrapped.flush()
            except OSError as error:
                self._closed_reader(error)

    def _closed_reader(self, error: OSError) -> None:
        if not isinstance(error, BrokenPipeError) and error.errno != errno.EPIPE:
            raise error
        self.broken = True
        try:
            descriptor = self.wrapped.fileno()
        except (AttributeError, OSError, ValueError):
            return  # not a real file (a test's capture): nothing will flush it later
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)


def _threads_problem() -> str | None:
    """A ``DUO_IMPACT_THREADS`` that is not a whole number ≥ 1 is a bad argument (exit 2)."""
    import os

    text = os.environ.get("DUO_IMPACT_THREADS", "").strip()
    if text and not (text.isdigit() and int(text) >= 1):
        return f"DUO_IMPACT_THREADS must be a whole number of threads ≥ 1, not {text!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = _threads_problem()
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    output = PipeSafeOutput(sys.stdout)
    sys.stdout = output
    try:
        code = int(args.handler(args) or 0)
        output.flush()
    finally:
        sys.stdout = output.wrapped
    return code
