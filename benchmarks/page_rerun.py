"""Page rerun time after a filter change, on the bundled sample or a given store.

    .venv/bin/python benchmarks/page_rerun.py [--runs 7] [--store DIR]

For every page (as a manager), the app is driven headless with Streamlit's
AppTest: the page is opened, then the branch filter is switched back and forth
between two values. The first switch to each value computes (cold); the
measured reruns find their results in Streamlit's caches (warm), which is
what a user clicking around sees. Reported: the median of ``--runs`` warm
reruns and the cold first rerun, in milliseconds (AppTest's own overhead of
building the element tree is included, so this is an upper bound on the
server's script time). Target: warm < 300 ms.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, default=None, help="an existing store (default: import the sample)")
    args = parser.parse_args(argv)

    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    _navigation_fix()
    os.environ["DUO_IMPACT_DB"] = str(_store(args.store))
    if args.store is not None:
        # any store but the sample asks for a sign-in: a throw-away users file
        # with the manager the reruns act as
        from analytics.people.users import UserStore

        users = Path(tempfile.mkdtemp(prefix="duo-bench-users-")) / "users.json"
        os.environ["DUO_IMPACT_USERS"] = str(users)
        UserStore(users).add("benchmark", "benchmark-password-1234", "manager")
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
