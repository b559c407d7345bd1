"""Time to the first page after ``streamlit run`` on a fresh store.

    .venv/bin/python benchmarks/startup.py [--repeat 3]

Each run makes an empty store in a temporary folder, starts ``streamlit run
app.py`` on a free loopback port with ``DUO_IMPACT_DB`` pointing at it, polls
``/_stcore/health`` until the server answers, then opens the dashboard in
headless Debian Chromium (playwright) and waits until the first page
(Overview) has rendered: its title shown, no script running, no skeleton.
The first session imports the bundled sample (a progress bar while it
builds); the time includes it. Reported: the time until the server is
healthy and until the first page is shown, median and spread (min–max) of
``--repeat`` runs, in seconds. Target: first page ≤ 10 s.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import CHROMIUM, CHROMIUM_ARGS, free_port, settle  # noqa: E402  (the load test's browser helpers)

TIMEOUT = 180.0


def _healthy(url: str, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        time.sleep(0.05)
    raise TimeoutError(f"{url} not healthy within {TIMEOUT:.0f} s")


async def _first_page(url: str, saw_progress: list[bool]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
            await page.goto(url, timeout=TIMEOUT * 1000)
            # the first-run progress bar, while the sample is imported (polled until the page is done)
            task = asyncio.create_task(settle(page, "Overview"))
            while not task.done():
                if await page.locator('[data-testid="stProgress"]').count():
                    saw_progress[0] = True
                await asyncio.sleep(0.1)
            await task
        finally:
            await browser.close()


def run_once() -> tuple[float, float, bool]:
    """(seconds to healthy, seconds to the first page, progress bar seen)."""
    with tempfile.TemporaryDirectory(prefix="duo-startup-") as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DUO_IMPACT_DB": str(Path(tmp) / "store"),
               "DUO_IMPACT_USERS": str(Path(tmp) / "users.json"), "DUO_IMPACT_AUDIT": str(Path(tmp) / "audit.log")}
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _healthy(url, proc, start + TIMEOUT)
            healthy = time.monotonic() - start
            saw = [False]
            asyncio.run(_first_page(url, saw))
            return healthy, time.monotonic() - start, saw[0]
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (Debian's chromium package)")
    healthy, first, seen = [], [], []
    for i in range(args.repeat):
        h, f, s = run_once()
        healthy.append(h)
        first.append(f)
        seen.append(s)
        print(f"run {i + 1}: healthy {h:.1f} s, first page {f:.1f} s, progress bar {'seen' if s else 'not seen'}",
              flush=True)
    spread = lambda v: f"{statistics.median(v):.1f} s ({min(v):.1f}–{max(v):.1f})"  # noqa: E731
    print(f"healthy: {spread(healthy)}; first page: {spread(first)} (target ≤ 10 s); "
          f"progress bar seen in {sum(seen)}/{len(seen)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
