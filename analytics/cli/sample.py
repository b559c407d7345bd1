"""Command line for the synthetic programme: ``generate``.

    python -m analytics generate --out DIR [--seed 2013] [--duos N]

Writes the ten record-format tables as CSV (see :mod:`analytics.sample`);
the same seed gives byte-identical files, and the defaults give the bundled
``data/sample``. Exit code 0. The help names the snapshot day and the default
size of :mod:`analytics.sample.calibration`, spelled out here so that
building the parser does not load numpy (a test checks the two agree); the
generator and its CSV writer are imported by the handler.
"""
from __future__ import annotations

import argparse
from pathlib import Path

# analytics.sample.calibration's END_DATE and DEFAULT_DUOS (tests/analytics/cli/test_cli_imports.py
# checks they agree): importing it for the help would load numpy for every command.
END_DATE = "2026-06-30"
DEFAULT_DUOS = 8758


def run(args: argparse.Namespace) -> int:
    from analytics.sample import generate_programme

    counts = generate_programme(Path(args.out), seed=args.seed, duos=args.duos)
    for table, n in counts.items():
        print(f"{table}: {n} rows")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "generate",
        help="write a synthetic programme (record-format CSV files)",
        description="Write a realistic synthetic mentoring programme as record-format CSV "
                    f"files, a snapshot on {END_DATE}. The same seed gives byte-identical files.",
    )
    p.add_argument("--out", required=True, help="folder to write the CSV files into")
    p.add_argument("--seed", type=int, default=2013, help="random seed (default 2013)")
    p.add_argument("--duos", type=int, default=None,
                   help=f"number of duos; scales the whole programme (default {DEFAULT_DUOS})")
    p.set_defaults(handler=run)
