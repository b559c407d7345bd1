"""The speed benchmark: import, queries, report and memory at 10k, 100k and 1M duos.

    .venv/bin/python benchmarks/run.py [--sizes 10000 100000 1000000] [--repeat 5] [--workdir DIR] [--import-only]

For each size the project's generator writes a programme (not timed here),
then one child process per size measures, so that its peak memory is that
size's alone:

- DuckDB's own bare ``read_csv`` of the same files into tables (the limit of
  this machine for a load), next to the project's import (validation + load
  into a new snapshot) of the UTF-8 files, and of the same files re-encoded
  in Windows-1252 (what the streaming re-encoding costs);
- every handbook key for one query; a year of monthly series (all keys, and
  per branch) as the growth and quality pages ask for them; the at-risk list;
  the matching assistant's suggestions for every waiting mentee (``matches_s``,
  five each, as ``python -m analytics matches`` prints them); the funder
  report rendered to HTML;
- at sizes up to 100k, the plain-pandas version of six indicators
  (benchmarks/pandas_baseline.py), checked to agree with the engine first:
  its compute alone, and end to end as a monthly script runs it (read the
  CSV files, compute), against the engine's every key for one query on its
  snapshot (``pandas_vs_engine`` is the end-to-end ratio);
- the peak resident memory of the child (everything above: the import, the
  queries and the report), and of a process that only imports
  (``import_peak_memory_mb``: a fresh interpreter that runs
  ``validate_source`` and ``import_result`` as ``python -m analytics import``
  does, and nothing else).

Times are medians over ``--repeat`` runs (import and report: one run each).
Prints a Markdown table; the README's performance section is its output.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 6, 30)
TABLES = ("mentees", "mentors", "staff", "duos", "meetings", "check_ins", "outcomes", "costs",
          "funding", "targets")


def _median(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _once(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _bare_duckdb_load(source: Path, target: Path) -> None:
    """DuckDB reading the CSV files into tables with nothing else: the floor."""
    from analytics.records import connections

    con = connections.connect(str(target))
    for table in TABLES:
        path = source / f"{table}.csv"
        if path.exists():
            con.execute(f"create table {table} as select * from read_csv(?, header = true)", [str(path)])
    con.close()


def _reencode_cp1252(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.csv"):
        with open(path, encoding="utf-8") as src, open(target / path.name, "w", encoding="cp1252",
                                                       errors="replace", newline="") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def measure(source: Path, workdir: Path, repeat: int, with_pandas: bool,
            import_only: bool = False) -> dict[str, float]:
    """Runs in the child process: every timing for one programme (with
    ``import_only``: the bare load and the import alone)."""
    from analytics.engine import query as engine
    from analytics.engine import insights, matching
    from analytics import report
    from analytics.records.importer import validate_source
    from analytics.pipeline import open_store

    result: dict[str, float] = {}
    result["bare_load_s"] = _once(lambda: _bare_duckdb_load(source, workdir / "bare.duckdb"))
    store = open_store(workdir / "store")
    result["import_s"] = _once(lambda: store.import_result(validate_source(source)))
    if import_only:
        result["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    cp1252 = workdir / "cp1252"
    _reencode_cp1252(source, cp1252)
    result["import_cp1252_s"] = _once(lambda: open_store(workdir / "store1252").import_result(validate_source(cp1252)))

    con = store.connect()
    one = engine.Query(AS_OF)
    year = engine.Query(AS_OF, dt.date(2025, 7, 1), AS_OF)
    result["indicators_s"] = _median(lambda: engine.indicators(con, one), repeat)
    result["series_year_monthly_s"] = _median(
        lambda: (engine.indicator_series(con, year, "month"),
                 engine.indicator_series(con, year, "month", by_branch=True)), repeat)
    result["quality_page_extras_s"] = _median(
        lambda: (insights.survival_curves(con, one), insights.days_to_match_distribution(con, one)), repeat)
    result["at_risk_s"] = _median(lambda: engine.at_risk(con, one), repeat)
    result["matches_s"] = _median(lambda: matching.matches(con, one), repeat)
    html_path = workdir / "report.html"
    result["report_html_s"] = _once(
        lambda: html_path.write_text(report.render_html(report.build(con, one, lang="en")), encoding="utf-8"))

    if with_pandas:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import pandas_baseline

        tables = pandas_baseline.read_tables(source)
        by_pandas = pandas_baseline.indicators(tables, AS_OF)
        by_engine = engine.indicators(con, one)
        for key, value in by_pandas.items():
            assert value == by_engine[key] or abs(value - by_engine[key]) < 1e-9, (key, value, by_engine[key])
        result["pandas_6_keys_s"] = _median(lambda: pandas_baseline.indicators(tables, AS_OF), repeat)
        # end to end, as a script would run each month: read the files, then compute
        result["pandas_read_and_6_keys_s"] = _median(
            lambda: pandas_baseline.indicators(pandas_baseline.read_tables(source), AS_OF), repeat)
        result["pandas_vs_engine"] = result["pandas_read_and_6_keys_s"] / result["indicators_s"]
    con.close()
    result["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def import_peak(source: Path, workdir: Path) -> dict[str, float]:
    """Runs in its own child: one import and nothing else, its peak memory."""
    from analytics.records.importer import validate_source
    from analytics.pipeline import open_store

    seconds = _once(lambda: open_store(workdir / "store_peak").import_result(validate_source(source)))
    return {"import_only_s": seconds,
            "import_peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the generated programmes here")
    parser.add_argument("--child", nargs=2, metavar=("SOURCE", "WORKDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--pandas", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-only", action="store_true",
                        help="measure only DuckDB's bare load and the import (and its peak memory)")
    parser.add_argument("--import-child", nargs=2, metavar=("SOURCE", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.import_child:
        print(json.dumps(import_peak(Path(args.import_child[0]), Path(args.import_child[1]))))
        return
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]), args.repeat, args.pandas,
                                 args.import_only)))
        return

    import duckdb

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="duo-bench-"))
    print(f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}; medians of {args.repeat} runs; as of {AS_OF}")
    columns = ["duos", "meetings", "bare_load_s", "import_s", "import_vs_bare", "import_cp1252_s",
               "indicators_s", "series_year_monthly_s", "quality_page_extras_s", "at_risk_s",
               "matches_s", "report_html_s", "pandas_6_keys_s", "pandas_read_and_6_keys_s", "pandas_vs_engine", "peak_memory_mb",
               "import_peak_memory_mb"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    try:
        for duos in args.sizes:
            source, child_dir = workdir / f"programme_{duos}", workdir / f"run_{duos}"
            if not (source / "duos.csv").exists():
                subprocess.run([sys.executable, "-m", "analytics", "generate", "--out", str(source),
                                "--duos", str(duos)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            shutil.rmtree(child_dir, ignore_errors=True)
            child_dir.mkdir(parents=True)
            command = [sys.executable, __file__, "--child", str(source), str(child_dir), "--repeat", str(args.repeat)]
            if args.import_only:
                command.append("--import-only")
            elif duos <= 100_000:
                command.append("--pandas")
            out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            shutil.rmtree(child_dir, ignore_errors=True)
            child_dir.mkdir(parents=True)
            out = subprocess.run([sys.executable, __file__, "--import-child", str(source), str(child_dir)],
                                 cwd=ROOT, check=True, capture_output=True, text=True).stdout
            row.update(json.loads(out.strip().splitlines()[-1]))
            with open(source / "meetings.csv", "rb") as fh:
                row["meetings"] = sum(1 for _ in fh) - 1
            row["duos"] = duos
            row["import_vs_bare"] = row["import_s"] / row["bare_load_s"]
            cells = []
            for column in columns:
                value = row.get(column)
                cells.append("—" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:.2f}")
            print("| " + " | ".join(cells) + " |", flush=True)
            shutil.rmtree(child_dir, ignore_errors=True)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
