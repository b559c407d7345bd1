"""Page rerun time after a filter change, and every page's first render, on the bundled sample or a given store.

    .venv/bin/python benchmarks/page_rerun.py [--runs 7] [--store DIR]
    .venv/bin/python benchmarks/page_rerun.py --first [--repeat 3] [--store DIR] [--profile DIR]
    .venv/bin/python benchmarks/page_rerun.py --report [--repeat 3] [--store DIR]

For every page (as a manager), the app is driven headless with Streamlit's
AppTest: the page is opened, then the branch filter is switched back and forth
between two values. The first switch to each value computes (cold); the
measured reruns find their results in Streamlit's caches (warm), which is
what a user clicking around sees. Reported: the median of ``--runs`` warm
reruns and the cold first rerun, in milliseconds (AppTest's own overhead of
building the element tree is included, so this is an upper bound on the
server's script time). Target: warm < 300 ms.

``--first``: for every role (manager, coordinator, funder: as the whole
programme and as each institutional funder on the Your funding page) and every
page the role may see, the page's first render after an import: Streamlit's
caches cleared (``st.cache_data``, ``st.cache_resource``), then the page opened
in a fresh session and timed. Median and spread (min–max) of ``--repeat`` runs,
in ms, and the process's resident memory (current and peak) at the end.
``--profile DIR`` also writes a cProfile of each page's first render there.
Target: ≤ 300 ms on the sample, ≤ 1 s at 1M duos.

``--report``: the impact report's default model built from scratch
(``analytics.report.build``) and rendered to HTML and to PDF, on a fresh
connection each run. Target: HTML ≤ 1 s on the sample, PDF ≤ 2× HTML.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "growth", "quality", "outcomes", "impact_report", "at_risk", "data")


def _navigation_fix() -> None:
    """AppTest resets PagesManager.uses_pages_directory before each run, so
    with a pages/ folder its reruns skip app.py; a real server does not (see
    tests/test_app_pages.py)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


_PROFILER = None   # a cProfile.Profile to run in the script thread (--profile)


def _profile_fix() -> None:
    """AppTest runs the page in a thread of its own: a profiler enabled in
    the benchmark's thread would not see it, so the script thread enables it."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    original = LocalScriptRunner._run_script_thread

    def run(self):
        profiler = _PROFILER
        if profiler is None:
            return original(self)
        profiler.enable()
        try:
            return original(self)
        finally:
            profiler.disable()

    LocalScriptRunner._run_script_thread = run


def _store(path: Path | None) -> Path:
    from analytics.records.importer import validate_source
    from analytics.pipeline import open_store

    if path is not None:
        return path
    store = Path(tempfile.mkdtemp(prefix="duo-bench-")) / "store"
    open_store(store).import_result(validate_source(ROOT / "data" / "sample"))
    return store


def measure(page: str, runs: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["role"] = "manager"      # demo mode (the sample)
    # any other store asks for a sign-in: act as a signed-in manager
    at.session_state["signed_in"] = {"username": "benchmark", "role": "manager", "branches": [], "via": "benchmark"}
    at.run()
    branches = at.multiselect(key="branch").options
    choices = ([branches[0]], [branches[1]])
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if "branch" not in [w.key for w in at.multiselect]:   # a page without the filters (Data)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        warm = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
        return statistics.median(warm) * 1000, cold * 1000

    at.multiselect(key="branch").set_value(choices[0])
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    at.multiselect(key="branch").set_value(choices[1]).run()     # warm the other value too
    warm = []
    for i in range(runs):
        at.multiselect(key="branch").set_value(choices[i % 2])
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(warm) * 1000, cold * 1000


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process, MB."""
    import resource

    current = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _views() -> list[tuple[str, str, dict]]:
    """(role label, page, extra session state) of every page a role may see."""
    from ui import pages

    views = []
    for role in pages.ROLES:
        for spec in pages.for_role(role):
            views.append((role, spec.key, {}))
    return views


def _clear_caches() -> None:
    import logging

    import streamlit as st

    for name in list(logging.root.manager.loggerDict):   # "missing ScriptRunContext": outside a run
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)

    st.cache_data.clear()
    st.cache_resource.clear()


def first_render(role: str, page: str, state: dict, profile: Path | None = None) -> float:
    """One page's first render for ``role`` with every cache cleared (ms)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["role"] = role
    at.session_state["signed_in"] = {"username": "benchmark", "role": role, "branches": [], "via": "benchmark"}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()                                   # the frame (sign-in, navigation) on the default page
    assert not at.exception, [e.value for e in at.exception]
    if role == "coordinator":                  # a coordinator of the first branch
        branch = at.session_state["coordinator_branches"] if "coordinator_branches" in at.session_state else None
        if not branch:
            at.session_state["signed_in"]["branches"] = [at.multiselect(key="branch").options[0]]
    _clear_caches()
    at.switch_page(f"pages/{page}.py")
    global _PROFILER
    if profile is not None:
        import cProfile

        _PROFILER = cProfile.Profile()
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    profiler, _PROFILER = _PROFILER, None
    if profiler is not None:
        profile.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(profile / f"{role}-{page}.prof"))
    assert not at.exception, (role, page, [e.value for e in at.exception])
    return elapsed * 1000


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.0f} {min(values):6.0f}–{max(values):<6.0f}"


def main_first(repeat: int, profile: Path | None) -> int:
    print(f"{'role':12s} {'page':15s} {'median':>8s} {'min–max (ms)':>13s}")
    worst = 0.0
    for role, page, state in _views():
        timings = [first_render(role, page, state, profile if i == 0 else None) for i in range(repeat)]
        worst = max(worst, statistics.median(timings))
        print(f"{role:12s} {page:15s} {_spread(timings)}", flush=True)
    current, peak = _rss_mb()
    print(f"slowest first render: {worst:.0f} ms; resident memory {current:.0f} MB (peak {peak:.0f} MB)")
    return 0


def main_report(repeat: int) -> int:
    from analytics import report
    from analytics.engine import query as engine
    from analytics.pipeline import open_store

    store = open_store(Path(os.environ["DUO_IMPACT_DB"]))
    html, pdf, built = [], [], []
    for _ in range(repeat):
        con = store.connect()
        start = time.perf_counter()
        model = report.build(con, engine.Query(), lang="en")
        built.append(time.perf_counter() - start)
        page = report.render_html(model)
        html.append(time.perf_counter() - start)
        start = time.perf_counter()
        report.render_pdf(model)                 # static HTML (SVG charts) printed by Chromium
        pdf.append(time.perf_counter() - start + built[-1])
        con.close()
    ms = lambda v: [x * 1000 for x in v]  # noqa: E731
    print(f"report model (ms)   {_spread(ms(built))}")
    print(f"report HTML (ms)    {_spread(ms(html))}")
    print(f"report PDF (ms)     {_spread(ms(pdf))}  (PDF ÷ HTML {statistics.median(pdf) / statistics.median(html):.1f}×)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, default=None, help="an existing store (default: import the sample)")
    parser.add_argument("--first", action="store_true", help="every page's first render, per role")
    parser.add_argument("--report", action="store_true", help="the impact report built and rendered")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile files here (--first)")
    args = parser.parse_args(argv)

    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit import logger as streamlit_logger

    streamlit_logger.set_log_level("error")   # "missing ScriptRunContext" of the cache clearing
    _navigation_fix()
    _profile_fix()
    os.environ["DUO_IMPACT_DB"] = str(_store(args.store))
    if args.store is not None:
        # any store but the sample asks for a sign-in: a throw-away users file
        # with the manager the reruns act as
        from analytics.people.users import UserStore

        users = Path(tempfile.mkdtemp(prefix="duo-bench-users-")) / "users.json"
        os.environ["DUO_IMPACT_USERS"] = str(users)
        UserStore(users).add("benchmark", "benchmark-password-1234", "manager")
    if args.first:
        return main_first(args.repeat, args.profile)
    if args.report:
        return main_report(args.repeat)
    print(f"{'page':15s} {'warm median (ms)':>17s} {'cold first (ms)':>16s}")
    worst = 0.0
    for page in PAGES:
        warm, cold = measure(page, args.runs)
        worst = max(worst, warm)
        print(f"{page:15s} {warm:17.0f} {cold:16.0f}")
    print(f"slowest warm rerun: {worst:.0f} ms (target < 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
