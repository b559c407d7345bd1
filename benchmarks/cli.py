"""The command line's benchmark: each command that reads a store against a bare DuckDB connect.

    .venv/bin/python benchmarks/cli.py [--store DIR] [--repeat 3] [--only indicators ...]

Each command runs in a fresh interpreter, as a person runs it: ``python -m
analytics COMMAND --db STORE`` (standard output to /dev/null), its wall time
from the start of the process to its end. The reference is the same start
and end of

    python -c "import duckdb; duckdb.connect(PATH, read_only=True).sql('select 1')"

on the store's current snapshot: what any Python program that reads the store
pays (the interpreter and DuckDB's import and open). Runs are interleaved
(bare, then every command, ``--repeat`` times), so that the ratios come from
the same minutes of a shared machine; the ratio is a command's median over
the bare median of the same run.

Without ``--store`` the bundled sample (data/sample) is imported into a
temporary store first (not timed). The audit log lines that ``at-risk`` and
``matches`` append go to a temporary file (``DUO_IMPACT_AUDIT``), the
reports to a temporary folder. Prints a Markdown table: the README's
performance section holds its output.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = "bare duckdb connect"


def commands(store: Path, out: Path) -> dict[str, list[str]]:
    """The commands timed, by the name the table gives them."""
    db = ["--db", str(store)]
    return {
        "indicators": ["indicators", *db],
        "indicators --format table": ["indicators", *db, "--format", "table"],
        "at-risk": ["at-risk", *db],
        "matches": ["matches", *db],
        "snapshots": ["snapshots", *db],
        "snapshots --format json": ["snapshots", *db, "--format", "json"],
        "report --format json --role funder": ["report", *db, "--format", "json", "--role", "funder"],
        "report --format csv": ["report", *db, "--format", "csv", "--out", str(out / "report.csv")],
        "report --format html": ["report", *db, "--format", "html", "--out", str(out / "report.html")],
    }


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed


def current_snapshot(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip()


def measure(store: Path, repeat: int, only: list[str] | None = None) -> dict[str, list[float]]:
    """Wall seconds of each run, by command (and the bare connect)."""
    with tempfile.TemporaryDirectory(prefix="duo-cli-bench-") as scratch:
        out = Path(scratch)
        env = {**os.environ, "DUO_IMPACT_AUDIT": str(out / "audit.log"), "SOURCE_DATE_EPOCH": "1700000000"}
        bare = [sys.executable, "-c",
                "import duckdb; duckdb.connect(%r, read_only=True).sql('select 1')" % str(current_snapshot(store))]
        timed = {name: [sys.executable, "-m", "analytics", *argv] for name, argv in commands(store, out).items()
                 if not only or name.split()[0] in only}
        times: dict[str, list[float]] = {BARE: [], **{name: [] for name in timed}}
        _timed(bare, env)  # the page cache warm for every run alike
        for _ in range(repeat):
            times[BARE].append(_timed(bare, env))
            for name, argv in timed.items():
                times[name].append(_timed(argv, env))
        return times


def table(times: dict[str, list[float]]) -> str:
    bare = statistics.median(times[BARE])
    lines = ["| command (`--db` the sample store) | median (s) | spread (min–max, s) | ÷ bare connect |",
             "|---|---|---|---|"]
    for name, runs in times.items():
        median = statistics.median(runs)
        ratio = "1.0×" if name == BARE else f"{median / bare:.1f}×"
        lines.append(f"| {name} | {median:.2f} | {min(runs):.2f}–{max(runs):.2f} | {ratio} |")
    return "\n".join(lines)


def _sample_store(into: Path) -> Path:
    store = into / "store"
    proc = subprocess.run([sys.executable, "-m", "analytics", "import", str(ROOT / "data" / "sample"),
                           "--db", str(store)], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 1: some sample rows are rejected on purpose
        raise SystemExit(f"importing the sample failed:\n{proc.stderr[-2000:]}")
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to read (default: the sample, imported first)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", metavar="COMMAND", help="only these commands (first word)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="duo-cli-store-") as scratch:
        store = args.store or _sample_store(Path(scratch))
        load = os.getloadavg()[0]
        times = measure(store, args.repeat, args.only)
        print(f"{args.repeat} runs each, interleaved; load average {load:.1f} at the start "
              f"(2 cores; other work may share the machine)\n")
        print(table(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
