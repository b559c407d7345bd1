"""Load test: many concurrent viewers moving between pages while an import
swaps the snapshot.

    .venv/bin/python benchmarks/load.py --sessions N --seconds S [--url URL]
        [--workers W] [--source DIR] [--import-every SECONDS]

Without ``--url`` it starts the deployment itself (``deploy/run.sh``: W
Streamlit processes behind HAProxy, on free loopback ports) on a fresh store
holding SOURCE (default: the bundled sample, ``data/sample``, so the app is in
demo mode and needs no password), and re-imports SOURCE into that store every
``--import-every`` seconds while the sessions run, so every page of every
session may land on a snapshot switch. With ``--url`` it drives a running
deployment (loopback only) and imports nothing.

Each session is its own browser context (its own cookies: its own Streamlit
session and its own sticky process) in one headless Chromium (Debian's,
``/usr/bin/chromium``). It opens the dashboard, then follows the sidebar's
links from page to page for S seconds (counted from when it opened: on two
cores, opening 50 sessions at once takes a while); the sessions arrive spread
over ``--ramp`` seconds (default one second per session), as viewers do.
A page time is from the click to the page's title shown with the app idle
(no running indicator, no skeleton). An error is a Streamlit exception box, an error message on a page,
or a page that does not finish within 120 s: "no reader ever sees a
half-loaded import" is checked by every page rendering whole on whatever
snapshot it read. Resources the proxy's Content-Security-Policy blocked are
listed (each once); they are not errors unless a page then fails.

Bounded: at most 100 sessions and 900 seconds; loopback addresses only.
Memory per session (only when it started the deployment): the resident memory
of the Streamlit processes with every session open, minus before the first,
over the number of sessions. The last line is

    sessions=N errors=E p50_ms=... p95_ms=...
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
MAX_SESSIONS, MAX_SECONDS = 100, 900
PAGE_TIMEOUT = 120.0
# (title in the sidebar and on the page) in the order a session visits them (demo manager).
PAGES = ["Overview", "Growth", "Quality of service", "Outcomes and costs", "At-risk duos", "Data"]
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')
              && !!document.querySelector('h1')"""
PROBLEMS = """() => {
  const box = document.querySelector('[data-testid="stException"]');
  if (box) return 'exception: ' + box.innerText.slice(0, 300);
  const err = document.querySelector('[data-testid="stAlertContentError"]');
  if (err) return 'error: ' + err.innerText.slice(0, 300);
  return null; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(count: int) -> int:
    """A base port with `count` free ports after it (checked, not reserved)."""
    for _ in range(50):
        base = free_port()
        if base + count >= 65535:
            continue
        try:
            sockets = []
            for p in range(base, base + count):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                sockets.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free run of loopback ports")


def haproxy_found() -> bool:
    return bool(shutil.which(os.environ.get("DUO_HAPROXY", "haproxy")) or Path("/usr/sbin/haproxy").exists())


def loopback_only(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"--url must be a loopback address (127.0.0.1, localhost, ::1), not {host!r}")
    return url.rstrip("/")


def wait_healthy(url: str, seconds: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise RuntimeError(f"{url} did not become healthy\n{tail}")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


class Deployment:
    """deploy/run.sh on a fresh store, on free loopback ports; stopped by its process group."""

    def __init__(self, workers: int, source: Path, tmp: Path) -> None:
        self.workers, self.source, self.tmp = workers, source, tmp
        self.store = tmp / "store"
        self.run_dir = tmp / "run"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Deployment":
        env = {**os.environ, "DUO_IMPACT_DB": str(self.store), "DUO_IMPACT_SAMPLE": str(self.source),
               "DUO_IMPACT_USERS": str(self.tmp / "users.json"), "DUO_IMPACT_AUDIT": str(self.tmp / "audit.log")}
        subprocess.run([sys.executable, "-m", "analytics", "import", str(self.source), "--db", str(self.store)],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        self.base = free_ports(self.workers)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env.update(DUO_WORKERS=str(self.workers), DUO_BASE_PORT=str(self.base),
                   DUO_PROXY_BIND=f"127.0.0.1:{self.port}", DUO_RUN_DIR=str(self.run_dir),
                   DUO_COOKIE_SECRET_FILE=str(self.tmp / "cookie_secret"), DUO_PYTHON=sys.executable)
        self.env = env
        self.log = self.tmp / "run.log"
        self.proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run.sh")], cwd=ROOT, env=env,
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_healthy(self.url, 120, self.proc, self.log)
        for i in range(1, self.workers + 1):              # every process, not just the first up
            wait_healthy(f"http://127.0.0.1:{self.base + i - 1}", 120, self.proc, self.run_dir / f"streamlit-{i}.log")
        self._wait_proxy_routes_to_every_process(60)
        return self

    def _wait_proxy_routes_to_every_process(self, seconds: float) -> None:
        """HAProxy marks a process up only after its health checks pass (rise 2,
        every 2 s), which can lag behind the process itself: wait until fresh
        requests (no cookie) have been sent to every process, as their
        DUO_SERVER cookies show, so that a load begins on the whole deployment."""
        wanted = {f"app{i}" for i in range(1, self.workers + 1)}
        seen: set[str] = set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                cookie = response.headers.get("Set-Cookie", "")
            if cookie.startswith("DUO_SERVER="):
                seen.add(cookie.split("=", 1)[1].split(";", 1)[0])
            if seen >= wanted:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the proxy routed to {sorted(seen)} only, not to every one of {sorted(wanted)}")

    def streamlit_pids(self) -> list[int]:
        return [int((self.run_dir / f"streamlit-{i}.pid").read_text()) for i in range(1, self.workers + 1)]

    def reimport(self) -> None:
        subprocess.run([sys.executable, "-m", "analytics", "import", str(self.source), "--db", str(self.store)],
                       cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


async def settle(page, title: str) -> None:
    deadline = time.monotonic() + PAGE_TIMEOUT
    while time.monotonic() < deadline:
        ready = await page.evaluate(IDLE)
        if ready and (await page.locator("h1").first.inner_text()).strip() == title:
            return
        problem = await page.evaluate(PROBLEMS)
        if problem:
            raise AssertionError(problem)
        await asyncio.sleep(0.1)
    shown = await page.evaluate("() => (document.querySelector('h1') || {}).innerText || '(no title)'")
    running = await page.evaluate("() => !!document.querySelector('[data-testid=\"stStatusWidget\"]')")
    if os.environ.get("DUO_LOAD_SHOTS"):
        await page.screenshot(path=str(Path(os.environ["DUO_LOAD_SHOTS"]) / f"stuck-{time.time():.0f}.png"))
    raise TimeoutError(f"{title}: not done within {PAGE_TIMEOUT:.0f} s (showing {shown!r}, running={running})")


async def session(browser, url: str, number: int, seconds: float, times: list[float], errors: list[str],
                  servers: set[str], opened: asyncio.Event, counter: list[int], blocked: set[str],
                  delay: float = 0.0) -> None:
    await asyncio.sleep(delay)                           # the ramp: sessions arrive one after another
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = await context.new_page()
    page.on("console", lambda m: blocked.add(m.text.split("'")[1] if "'" in m.text else m.text[:120])
            if "Content Security Policy" in m.text else None)
    try:
        await page.goto(url, timeout=PAGE_TIMEOUT * 1000)
        await settle(page, PAGES[0])
        counter[0] += 1
        if counter[0] >= counter[1]:
            opened.set()
        for cookie in await context.cookies():
            if cookie["name"] == "DUO_SERVER":
                servers.add(cookie["value"])
        step = number % len(PAGES)
        stop_at = time.monotonic() + seconds             # S seconds of moving, once open
        while time.monotonic() < stop_at:
            step = (step + 1) % len(PAGES)
            title = PAGES[step]
            started = time.monotonic()
            try:
                await page.locator('[data-testid="stSidebar"] a').filter(has_text=title).first.click(timeout=30_000)
                await settle(page, title)
                problem = await page.evaluate(PROBLEMS)
                if problem:
                    raise AssertionError(problem)
                times.append((time.monotonic() - started) * 1000)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                errors.append(f"session {number} {title}: {type(error).__name__}: {str(error)[:200]}")
                with contextlib.suppress(Exception):
                    await page.goto(url, timeout=PAGE_TIMEOUT * 1000)
                    await settle(page, PAGES[0])
                    step = 0
    except Exception as error:  # noqa: BLE001
        errors.append(f"session {number} opening: {type(error).__name__}: {str(error)[:200]}")
        counter[0] += 1
        if counter[0] >= counter[1]:
            opened.set()
    finally:
        await context.close()


async def drive(url: str, sessions: int, seconds: float, measure=None, ramp: float = 0.0) -> dict:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    servers: set[str] = set()
    blocked: set[str] = set()
    opened = asyncio.Event()
    counter = [0, sessions]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tasks = [asyncio.create_task(session(browser, url, i, seconds, times, errors, servers, opened, counter,
                                                 blocked, ramp * i / sessions))
                     for i in range(sessions)]
            peak = None
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(opened.wait(), timeout=ramp + seconds + PAGE_TIMEOUT)
                if measure is not None:
                    peak = measure()
            await asyncio.gather(*tasks)
        finally:
            await browser.close()
    return {"times": times, "errors": errors, "servers": servers, "peak_mb": peak, "blocked": blocked}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--url", help="a running deployment on a loopback address (default: start one)")
    parser.add_argument("--workers", type=int, default=3, help="Streamlit processes when starting one (3)")
    parser.add_argument("--source", type=Path, default=ROOT / "data" / "sample",
                        help="what the started deployment's store holds and re-imports (data/sample)")
    parser.add_argument("--ramp", type=float, default=None, metavar="SECONDS",
                        help="spread the sessions' arrivals over this long (default: 1 s per session)")
    parser.add_argument("--import-every", type=float, default=5.0, metavar="SECONDS",
                        help="pause between re-imports while the sessions run (5)")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions is 1 to {MAX_SESSIONS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds is 1 to {MAX_SECONDS}")
    ramp = float(args.sessions) if args.ramp is None else max(0.0, min(args.ramp, MAX_SECONDS))
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (Debian's chromium package)")

    if args.url:
        result = asyncio.run(drive(loopback_only(args.url), args.sessions, args.seconds, ramp=ramp))
        imports, per_session = 0, None
    else:
        if not haproxy_found():
            parser.error("haproxy is missing (Debian's haproxy package; scripts/setup.sh --dev installs it)")
        tmp = Path(tempfile.mkdtemp(prefix="duo-load-"))
        try:
            with Deployment(args.workers, args.source, tmp) as deployment:
                pids = deployment.streamlit_pids()
                base_mb = rss_mb(pids)
                done = threading.Event()
                imports = [0, []]

                def importer() -> None:
                    while not done.wait(args.import_every):
                        try:
                            deployment.reimport()
                            imports[0] += 1
                        except Exception as error:  # noqa: BLE001
                            imports[1].append(f"import: {error}")

                thread = threading.Thread(target=importer, daemon=True)
                thread.start()
                try:
                    result = asyncio.run(drive(deployment.url, args.sessions, args.seconds,
                                               measure=lambda: rss_mb(pids), ramp=ramp))
                finally:
                    done.set()
                    thread.join(timeout=300)
                result["errors"] += imports[1]
                imports = imports[0]
                peak = result["peak_mb"]
                per_session = None if peak is None else (peak - base_mb) / args.sessions
                print(f"memory: {base_mb:.0f} MB before the sessions, {peak or float('nan'):.0f} MB with all "
                      f"{args.sessions} open ({args.workers} processes)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    times, errors = result["times"], result["errors"]
    for resource in sorted(result["blocked"]):
        print(f"blocked by the Content-Security-Policy (not counted as an error): {resource}")
    for line in errors[:20]:
        print(f"error: {line}", file=sys.stderr)
    print(f"pages={len(times)} imports={imports} processes_used={len(result['servers'])} "
          f"mem_per_session_mb={'n/a' if per_session is None else f'{per_session:.1f}'}")
    print(f"sessions={args.sessions} errors={len(errors)} "
          f"p50_ms={percentile(times, 50):.0f} p95_ms={percentile(times, 95):.0f}")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
