"""Benchmark of the indicator engine on generated programmes.

For each size: generate the programme with the project's generator, import it
into a snapshot store (validation + load), then time, on the read-only
snapshot, every handbook key for one query, a year of monthly series (all
keys, and per branch), and the at-risk list. Prints a Markdown table of
medians over ``--repeat`` runs; the README's performance section is this
table.

    python benchmarks/engine.py --duos 10000 100000 [--repeat 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from analytics import engine
from analytics.generate import generate_programme
from analytics.importer import validate_source
from analytics.store import Store

AS_OF = dt.date(2026, 6, 30)


def _median_seconds(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run(duos: int, repeat: int, workdir: Path) -> dict[str, float]:
    source, store_dir = workdir / f"programme_{duos}", workdir / f"store_{duos}"
    start = time.perf_counter()
    counts = generate_programme(source, duos=duos)
    generated = time.perf_counter() - start

    start = time.perf_counter()
    Store(store_dir).import_result(validate_source(source))
    imported = time.perf_counter() - start

    con = Store(store_dir).connect()
    query = engine.Query(AS_OF)
    year = engine.Query(AS_OF, dt.date(2025, 7, 1), AS_OF)
    result = {
        "duos": duos,
        "meetings": counts.get("meetings", 0),
        "generate_s": generated,
        "import_s": imported,
        "indicators_s": _median_seconds(lambda: engine.indicators(con, query), repeat),
        "series_month_s": _median_seconds(lambda: engine.indicator_series(con, year, "month"), repeat),
        "series_month_branch_s": _median_seconds(
            lambda: engine.indicator_series(con, year, "month", by_branch=True), repeat),
        "at_risk_s": _median_seconds(lambda: engine.at_risk(con, query), repeat),
    }
    con.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duos", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="duo-bench-"))
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}, median of {args.repeat} runs")
    header = ["duos", "meetings", "generate_s", "import_s", "indicators_s", "series_month_s",
              "series_month_branch_s", "at_risk_s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    try:
        for duos in args.duos:
            r = run(duos, args.repeat, workdir)
            print("| " + " | ".join(f"{r[h]:,}" if isinstance(r[h], int) else f"{r[h]:.3f}" for h in header) + " |",
                  flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
