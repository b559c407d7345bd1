"""Load test: many concurrent viewers signing in and moving between pages
while an import swaps the snapshot.

    .venv/bin/python benchmarks/load.py --sessions N --seconds S [--url URL]
        [--workers W] [--source DIR] [--import-every SECONDS] [--ramp SECONDS]

Each session is a websocket client speaking Streamlit's own protocol (what
the browser's front end does, without a browser): it connects to
``/_stcore/stream`` with the proxy's sticky cookie, sends ``BackMsg``
protobufs (``rerun_script`` with a ``ClientState``: the page's
``page_script_hash``, the query string the app last set, the widget states)
and reads ``ForwardMsg`` protobufs until the run's ``script_finished``.

- **Sign-in**: the sign-in form as a browser submits it (the username and
  password text inputs' widget states and the form's submit trigger, their
  ids read from the sign-in page's elements); a deployment in demo mode
  (no sign-in page) is used as it is.
- **Pages**: the pages the navigation message offers the signed-in user,
  visited in turn for S seconds (counted once signed in); a page time is from
  the ``rerun_script`` sent to the run's ``script_finished``.
- **Errors**: an exception element, an error alert, a compile error, a page
  whose title is not the page asked for, a page that does not finish within
  120 s, a lost connection, and figures that match neither snapshot (below).
- **Stickiness**: the first HTTP request gets HAProxy's ``DUO_SERVER``
  cookie, which every websocket then sends; the upgrade must not be given a
  new one (the proxy kept the cookie's process). Halfway (at the latest after
  its last page), every session drops
  its websocket and reconnects: even sessions resume their Streamlit session
  (its id in the subprotocol, as the front end does after a network blip) and
  must get the same session id back, still signed in with no cookie but
  ``DUO_SERVER`` (a session lives in one process: another process would
  show the sign-in page); odd sessions reload, a new session that the app's
  signed session cookie (read from the sign-in run's cookie script) must sign
  in again without the form.
- **No half-loaded import**: without ``--url`` it starts the deployment itself
  (``deploy/run.sh``: W Streamlit processes behind HAProxy, free loopback
  ports) on a fresh store, with a user to sign in as. Two sources are
  prepared: SOURCE (default ``data/sample``) and a variant of it (one more
  applicant, every cost doubled). A reference session records every page's
  figures (its tiles: label, value, delta) on each; then, while the sessions
  run, the two are imported in turn every ``--import-every`` seconds, and
  every page a session sees must show exactly the figures of one of the two
  (a page mixing two snapshots, or a snapshot half-loaded, matches neither).
  With ``--url`` it drives a running deployment (loopback only, sign-in from
  ``--user`` and ``$DUO_LOAD_PASSWORD``), imports nothing, and the figures
  must stay those of its reference session.

Bounded: at most 100 sessions and 900 seconds, loopback addresses only, and
the whole run is cancelled after ramp + S + 300 seconds. Memory per session
(only when it started the deployment): the resident memory of the Streamlit
processes with every session open, minus before the first, over the number
of sessions. The last line is

    sessions=N errors=E p50_ms=... p95_ms=...
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import os
import re
import secrets
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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_SESSIONS, MAX_SECONDS = 100, 900
PAGE_TIMEOUT = 120.0
USER = "loadtest"                       # the manager the started deployment's sessions sign in as
SERVER_COOKIE = "DUO_SERVER"            # HAProxy's sticky cookie (deploy/haproxy.cfg)
SESSION_COOKIE = "duo_impact_session"   # the app's signed sign-in cookie (analytics.people.sessions)
SIGN_IN_TITLE = "Sign in"
TOKEN = re.compile(SESSION_COOKIE + r"=([A-Za-z0-9_\-]+\.[0-9]+\.[A-Za-z0-9_\-]+)")


# ---------------------------------------------------------------- the protocol
@dataclass
class Run:
    """What one script run sent back."""
    session_id: str = ""
    titles: list[str] = field(default_factory=list)          # h1 headings
    tiles: list[tuple[str, str, str]] = field(default_factory=list)  # metric (label, value, delta)
    problems: list[str] = field(default_factory=list)        # exceptions, error alerts, compile errors
    inputs: dict[str, str] = field(default_factory=dict)     # label -> widget id (text inputs, buttons)
    pages: list[tuple[str, str]] = field(default_factory=list)  # the navigation: (title, page_script_hash)
    query_string: str | None = None
    token: str | None = None                                 # a session cookie the run writes
    ms: float = 0.0

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self.tiles).encode()).hexdigest()[:16]


def _back_msg(page_hash: str = "", query: str = "", widgets: tuple = ()) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_script_hash = page_hash
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-GB"
    for widget_id, kind, value in widgets:
        w = state.widget_states.widgets.add()
        w.id = widget_id
        setattr(w, kind, value)
    return msg.SerializeToString()


def _read_element(run: Run, element) -> None:
    from streamlit.proto.Alert_pb2 import Alert

    kind = element.WhichOneof("type")
    body = getattr(element, kind) if kind else None
    if kind == "heading" and body.tag == "h1":
        run.titles.append(body.body)
    elif kind == "metric":
        run.tiles.append((body.label, body.body, body.delta))
    elif kind == "exception":
        run.problems.append(f"exception: {body.type}: {body.message[:200]}")
    elif kind == "alert" and body.format == Alert.ERROR:
        run.problems.append(f"error alert: {body.body[:200]}")
    elif kind in ("text_input", "button"):
        run.inputs[body.label] = body.id
    elif kind == "iframe" and (found := TOKEN.search(body.srcdoc)):
        run.token = found.group(1)


async def rerun(ws, page_hash: str = "", query: str = "", widgets: tuple = ()) -> Run:
    """Ask for a script run; read until it has finished (a run ended early by
    st.rerun is followed by the next one, which is waited for)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.monotonic()
    await ws.send(_back_msg(page_hash, query, widgets))
    run, begun = Run(), False

    async def read() -> None:
        nonlocal run, begun
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":              # every run starts with one
                begun = True
                run = Run(session_id=msg.new_session.initialize.session_id, pages=run.pages,
                          query_string=run.query_string, token=run.token)
            elif kind == "navigation":
                run.pages = [(p.page_name, p.page_script_hash) for p in msg.navigation.app_pages]
            elif kind == "page_info_changed":
                run.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                _read_element(run, msg.delta.new_element)
            elif kind == "script_finished" and begun:
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.problems.append("compile error")
                    return
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return
                begun = False                      # ended early for a rerun: wait for that one

    try:
        await asyncio.wait_for(read(), PAGE_TIMEOUT)
    except asyncio.TimeoutError:
        raise TimeoutError(f"no script_finished within {PAGE_TIMEOUT:.0f} s") from None
    run.ms = (time.monotonic() - started) * 1000
    return run


def _cookie_header(**cookies: str | None) -> dict[str, str]:
    jar = "; ".join(f"{k}={v}" for k, v in cookies.items() if v)
    return {"Cookie": jar} if jar else {}


def sticky_cookie(url: str) -> str:
    """The proxy's DUO_SERVER cookie for a new viewer (first HTTP request)."""
    with urllib.request.urlopen(url + "/", timeout=PAGE_TIMEOUT) as response:
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            if name.strip() == SERVER_COOKIE:
                return rest.split(";", 1)[0]
    return ""


async def connect(url: str, server: str, token: str | None = None, resume: str | None = None):
    """A websocket to /_stcore/stream as the front end opens it: subprotocol
    "streamlit", then the XSRF token slot, then the session to resume."""
    import websockets

    ws_url = "ws" + url[len("http"):] + "/_stcore/stream"
    protocols = ["streamlit"] + (["xsrf-unused", resume] if resume else [])
    ws = await websockets.connect(ws_url, subprotocols=protocols, max_size=None, proxy=None,
                                  ping_interval=None, open_timeout=PAGE_TIMEOUT,
                                  additional_headers=_cookie_header(DUO_SERVER=server, duo_impact_session=token))
    if server:                                 # the proxy kept the cookie's process: no new cookie
        new = [v for v in ws.response.headers.get_all("Set-Cookie") if v.startswith(SERVER_COOKIE + "=")]
        if new:
            await ws.close()
            raise AssertionError(f"the proxy did not keep {SERVER_COOKIE}={server}: it set {new[0][:40]}")
    return ws


async def sign_in(ws, first: Run, user: str | None, password: str | None) -> Run:
    """Submit the sign-in form, as the browser does, when the app shows it."""
    if first.titles[:1] != [SIGN_IN_TITLE]:
        return first                               # demo mode: no sign-in
    if not (user and password):
        raise AssertionError("the deployment asks to sign in: give --user and $DUO_LOAD_PASSWORD")
    ids = first.inputs
    widgets = ((ids["Username"], "string_value", user), (ids["Password"], "string_value", password),
               (ids[SIGN_IN_TITLE], "trigger_value", True))
    page = dict(first.pages).get(SIGN_IN_TITLE, "")
    run = await rerun(ws, page, first.query_string or "", widgets)
    if run.problems or run.titles[:1] == [SIGN_IN_TITLE]:
        raise AssertionError(f"sign-in refused: {run.problems or run.titles}")
    return run


def check(run: Run, title: str, references: dict[str, set[str]] | None) -> None:
    """Raise on anything wrong with a page's run."""
    if run.problems:
        raise AssertionError("; ".join(run.problems))
    if run.titles[:1] != [title]:
        raise AssertionError(f"asked for {title!r}, shown {run.titles[:1] or '(no title)'}")
    if references is not None and title in references and run.fingerprint() not in references[title]:
        raise AssertionError(f"figures match neither snapshot: {run.tiles[:6]}")


async def reference(url: str, user: str | None, password: str | None) -> dict[str, str]:
    """Every page's figures, seen by one quiet session."""
    server = await asyncio.to_thread(sticky_cookie, url)
    async with await connect(url, server) as ws:
        run = await sign_in(ws, await rerun(ws), user, password)
        out = {}
        for title, page_hash in run.pages:
            page = await rerun(ws, page_hash, run.query_string or "")
            check(page, title, None)
            out[title] = page.fingerprint()
        return out


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    sign_ins: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    servers: set[str] = field(default_factory=set)
    snapshots_seen: dict[str, int] = field(default_factory=dict)   # which reference a page matched
    resumed: int = 0
    reloaded: int = 0
    opened: int = 0


async def session(url: str, number: int, seconds: float, tally: Tally, all_open: asyncio.Event,
                  total: int, user: str | None, password: str | None,
                  references: dict[str, set[str]] | None, names: dict[str, dict[str, str]],
                  delay: float) -> None:
    await asyncio.sleep(delay)                 # the ramp: viewers arrive one after another
    counted = False

    def opened() -> None:
        nonlocal counted
        if not counted:
            counted = True
            tally.opened += 1
            if tally.opened >= total:
                all_open.set()

    ws, stage = None, "opening"
    try:
        server = await asyncio.to_thread(sticky_cookie, url)
        if server:
            tally.servers.add(server)
        ws = await connect(url, server)
        started = time.monotonic()
        run = await sign_in(ws, await rerun(ws), user, password)
        tally.sign_ins.append((time.monotonic() - started) * 1000)
        token, session_id, pages = run.token, run.session_id, run.pages
        query = run.query_string or ""
        opened()
        stage = "moving"
        step, stop_at = number, time.monotonic() + seconds
        halfway, reconnected = time.monotonic() + seconds / 2, False
        while time.monotonic() < stop_at or not reconnected:   # the reconnect is checked once, at least
            step += 1
            title, page_hash = pages[step % len(pages)]
            if not reconnected and time.monotonic() >= halfway:
                reconnected, stage = True, "reconnecting"
                await ws.close()
                if number % 2 == 0:            # a network blip: resume the same session
                    ws = await connect(url, server, resume=session_id)
                else:                          # a reload: a new session, signed in by the cookie
                    ws = await connect(url, server, token=token)
                stage = "moving"
            try:
                page = await rerun(ws, page_hash, query)
                check(page, title, references)
                tally.times.append(page.ms)
                if title in names:
                    snapshot = names[title][page.fingerprint()]
                    tally.snapshots_seen[snapshot] = tally.snapshots_seen.get(snapshot, 0) + 1
                if reconnected and session_id:
                    if number % 2 == 0:
                        if page.session_id != session_id:
                            raise AssertionError(f"resumed on another session ({page.session_id}): not sticky")
                        tally.resumed += 1
                    else:
                        tally.reloaded += 1
                    session_id = ""            # checked once
                query = page.query_string if page.query_string is not None else query
            except (AssertionError, TimeoutError) as error:
                tally.errors.append(f"session {number} {title}: {error}"[:300])
    except Exception as error:  # noqa: BLE001 - every failure is counted
        tally.errors.append(f"session {number} {stage}: {type(error).__name__}: {error}"[:300])
    finally:
        opened()
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()


async def drive(url: str, sessions: int, seconds: float, *, user: str | None = None,
                password: str | None = None, references: list[dict[str, str]] | None = None,
                measure=None, ramp: float = 0.0) -> dict:
    """N sessions against url; references: each snapshot's page figures (None: not checked)."""
    tally, all_open = Tally(), asyncio.Event()
    allowed = names = None
    if references:
        allowed = {t: {ref[t] for ref in references if t in ref} for t in references[0]}
        names = {t: {ref[t]: f"snapshot {i + 1}" for i, ref in enumerate(references) if t in ref}
                 for t in references[0]}
        names = {t: m for t, m in names.items() if len(set(m.values())) > 1}   # pages that tell them apart
    tasks = [asyncio.create_task(session(url, i, seconds, tally, all_open, sessions, user, password,
                                         allowed, names or {}, ramp * i / sessions))
             for i in range(sessions)]
    peak = None
    bound = ramp + seconds + 300
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(all_open.wait(), timeout=ramp + 2 * PAGE_TIMEOUT)
        if measure is not None:
            peak = measure()
    done, pending = await asyncio.wait(tasks, timeout=bound)
    for task in pending:
        task.cancel()
        tally.errors.append(f"a session still running after {bound:.0f} s: cancelled")
    await asyncio.gather(*pending, return_exceptions=True)
    return {"times": tally.times, "sign_ins": tally.sign_ins, "errors": tally.errors,
            "servers": tally.servers, "peak_mb": peak, "resumed": tally.resumed,
            "reloaded": tally.reloaded, "snapshots_seen": tally.snapshots_seen,
            "telling_pages": sorted(names or ())}


# ---------------------------------------------------------------- the deployment
def variant(source: Path, dest: Path) -> Path:
    """A copy of source whose figures differ: one more applicant (a copy of the
    last mentee under a new id) and every cost doubled."""
    shutil.copytree(source, dest)
    mentees = dest / "mentees.csv"
    with open(mentees, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    extra = list(rows[-1])
    extra[rows[0].index("mentee_id")] = "LOADTEST-EXTRA"
    with open(mentees, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(extra)
    costs = dest / "costs.csv"
    with open(costs, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    col = rows[0].index("amount_eur")
    for row in rows[1:]:
        row[col] = str(Decimal(row[col]) * 2)
    with open(costs, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return dest


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
        sockets = []
        try:
            for p in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", p))
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
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SystemExit(f"--url is http:// or https://, not {url!r}")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"--url must be a loopback address (127.0.0.1, localhost, ::1), not {parts.hostname!r}")
    return url.rstrip("/")


def wait_healthy(url: str, seconds: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll /_stcore/health until it answers ok (a readiness wait, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.2)
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
    """deploy/run.sh on a fresh store holding `source`, on free loopback ports,
    with one manager (USER, a random password) to sign in as; stopped by its
    process group. Not demo mode: the sample folder it names does not exist."""

    def __init__(self, workers: int, source: Path, tmp: Path) -> None:
        self.workers, self.source, self.tmp = workers, Path(source), Path(tmp)
        self.store = self.tmp / "store"
        self.run_dir = self.tmp / "run"
        self.proc: subprocess.Popen | None = None
        self.user, self.password = USER, secrets.token_urlsafe(18)
        self.variant: Path | None = None

    def __enter__(self) -> "Deployment":
        env = {**os.environ, "DUO_IMPACT_DB": str(self.store), "DUO_IMPACT_SAMPLE": str(self.tmp / "no-sample"),
               "DUO_IMPACT_USERS": str(self.tmp / "users.json"), "DUO_IMPACT_AUDIT": str(self.tmp / "audit.log")}
        self.env = env
        self.reimport(self.source)
        subprocess.run([sys.executable, "-m", "analytics", "users", "add", self.user, "--role", "manager",
                        "--password-stdin"], cwd=ROOT, env=env, check=True, input=self.password + "\n",
                       text=True, stdout=subprocess.DEVNULL)
        self.base = free_ports(self.workers)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env.update(DUO_WORKERS=str(self.workers), DUO_BASE_PORT=str(self.base),
                   DUO_PROXY_BIND=f"127.0.0.1:{self.port}", DUO_RUN_DIR=str(self.run_dir),
                   DUO_COOKIE_SECRET_FILE=str(self.tmp / "cookie_secret"), DUO_PYTHON=sys.executable)
        self.log = self.tmp / "run.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run.sh")], cwd=ROOT, env=env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_healthy(self.url, 120, self.proc, self.log)
            for i in range(1, self.workers + 1):          # every process, not just the first up
                wait_healthy(f"http://127.0.0.1:{self.base + i - 1}", 120, self.proc,
                             self.run_dir / f"streamlit-{i}.log")
            self._wait_proxy_routes_to_every_process(60)
            self._log_at_ready = len(self._proxy_log())    # earlier DOWN lines: processes still starting
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_proxy_routes_to_every_process(self, seconds: float) -> None:
        """HAProxy marks a process up only after its health checks pass (rise 2,
        every 3 s), which can lag behind the process itself: poll until fresh
        requests (no cookie) have been sent to every process, as their
        DUO_SERVER cookies show, so that a load begins on the whole deployment."""
        wanted = {f"app{i}" for i in range(1, self.workers + 1)}
        seen: set[str] = set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            # a 503 while the first checks still fail: HAProxy starts a server
            # up with one failure to go, so a check sent before its process
            # listened takes it out until it rises again (2 checks)
            with contextlib.suppress(OSError):
                seen.add(sticky_cookie(self.url))
            if seen >= wanted:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the proxy routed to {sorted(seen)} only, not to every one of {sorted(wanted)}")

    def downs(self) -> list[str]:
        """The proxy's log lines saying it took a process out (health checks
        failed) since the deployment was ready."""
        text = self._proxy_log()[getattr(self, "_log_at_ready", 0):]
        return [line for line in text.splitlines() if " is DOWN" in line]

    def _proxy_log(self) -> str:
        log = self.run_dir / "haproxy.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def streamlit_pids(self) -> list[int]:
        return [int((self.run_dir / f"streamlit-{i}.pid").read_text()) for i in range(1, self.workers + 1)]

    def reimport(self, source: Path | None = None) -> None:
        """Import source (default: the deployment's) into the store: a new snapshot, the pointer swapped."""
        done = subprocess.run([sys.executable, "-m", "analytics", "import", str(source or self.source),
                               "--db", str(self.store)], cwd=ROOT, env=self.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 1):            # 1: some rows rejected, the rest imported
            raise RuntimeError(f"import exited {done.returncode}: {done.stderr[-500:]}")

    def references(self) -> list[dict[str, str]]:
        """Every page's figures on the source and on its variant (imported in
        that order: the store ends on the variant)."""
        self.variant = self.variant or variant(self.source, self.tmp / "variant")
        refs = []
        for source in (self.source, self.variant):
            self.reimport(source)
            refs.append(asyncio.run(reference(self.url, self.user, self.password)))
        return refs

    def importer(self, every: float) -> "Importer":
        """Imports the source and its variant in turn every `every` seconds (a context manager)."""
        return Importer(self, every)

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
        self.proc = None


class Importer:
    """A thread swapping the snapshot between the source and its variant."""

    def __init__(self, deployment: Deployment, every: float) -> None:
        self.deployment, self.every = deployment, every
        self.count, self.errors = 0, []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        sources = (self.deployment.source, self.deployment.variant or self.deployment.source)
        while not self._done.wait(self.every):
            try:
                self.deployment.reimport(sources[self.count % 2])   # the store holds the variant first
                self.count += 1
            except Exception as error:  # noqa: BLE001
                self.errors.append(f"import: {error}")

    def __enter__(self) -> "Importer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join(timeout=300)


ERROR_KINDS = (("sticky cookie not kept", "did not keep"), ("not sticky", "not sticky"),
               ("timeout", "within"), ("neither snapshot", "neither snapshot"),
               ("exception", "exception"), ("error alert", "error alert"),
               ("wrong page", "asked for"), ("sign-in", "sign-in"), ("import", "import:"))


def error_kinds(errors: list[str]) -> dict[str, int]:
    """How many errors of each kind (the first kind whose phrase an error holds; else other)."""
    counts: dict[str, int] = {}
    for error in errors:
        kind = next((k for k, phrase in ERROR_KINDS if phrase in error), "other")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


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
    parser.add_argument("--user", help="with --url: the user to sign in as (password: $DUO_LOAD_PASSWORD)")
    parser.add_argument("--workers", type=int, default=3, help="Streamlit processes when starting one (3)")
    parser.add_argument("--source", type=Path, default=ROOT / "data" / "sample",
                        help="what the started deployment's store holds (data/sample)")
    parser.add_argument("--ramp", type=float, default=None, metavar="SECONDS",
                        help="spread the sessions' arrivals over this long (default: 0.2 s per session)")
    parser.add_argument("--import-every", type=float, default=5.0, metavar="SECONDS",
                        help="pause between imports while the sessions run (5)")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions is 1 to {MAX_SESSIONS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds is 1 to {MAX_SECONDS}")
    if not 1 <= args.workers <= 16:
        parser.error("--workers is 1 to 16")
    ramp = 0.2 * args.sessions if args.ramp is None else max(0.0, min(args.ramp, MAX_SECONDS))

    imports, per_session, import_errors = 0, None, []
    loads, sampling = [], threading.Event()                  # how busy the machine was meanwhile

    def sample_load() -> None:
        while not sampling.wait(5):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample_load, daemon=True).start()
    if args.url:
        url = loopback_only(args.url)
        password = os.environ.get("DUO_LOAD_PASSWORD")
        refs = [asyncio.run(reference(url, args.user, password))]
        result = asyncio.run(drive(url, args.sessions, args.seconds, user=args.user, password=password,
                                   references=refs, ramp=ramp))
    else:
        if not haproxy_found():
            parser.error("haproxy is missing (Debian's haproxy package; scripts/setup.sh --dev installs it)")
        tmp = Path(tempfile.mkdtemp(prefix="duo-load-"))
        try:
            with Deployment(args.workers, args.source, tmp) as deployment:
                refs = deployment.references()
                pids = deployment.streamlit_pids()
                base_mb = rss_mb(pids)
                with deployment.importer(args.import_every) as importer:
                    result = asyncio.run(drive(deployment.url, args.sessions, args.seconds,
                                               user=deployment.user, password=deployment.password,
                                               references=refs, measure=lambda: rss_mb(pids), ramp=ramp))
                imports, import_errors = importer.count, importer.errors
                for line in deployment.downs():
                    print(f"proxy: {line[-200:]}")
                peak = result["peak_mb"]
                per_session = None if peak is None else (peak - base_mb) / args.sessions
                print(f"memory: {base_mb:.0f} MB before the sessions, {peak or float('nan'):.0f} MB with all "
                      f"{args.sessions} open ({args.workers} processes)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    sampling.set()
    times, errors = result["times"], result["errors"] + import_errors
    if loads:
        print(f"machine: {os.cpu_count()} cores, load average (1 min) during the run "
              f"{min(loads):.1f} to {max(loads):.1f}, median {statistics.median(loads):.1f}")
    for line in errors[:20]:
        print(f"error: {line}", file=sys.stderr)
    if errors:
        print("errors by kind: " + ", ".join(f"{kind} {count}" for kind, count in error_kinds(errors).items()))
    seen = ", ".join(f"{k}: {v}" for k, v in sorted(result["snapshots_seen"].items())) or "-"
    print(f"pages={len(times)} imports={imports} processes_used={len(result['servers'])} "
          f"resumed={result['resumed']} reloaded={result['reloaded']} "
          f"sign_in_p50_ms={percentile(result['sign_ins'], 50):.0f} "
          f"mem_per_session_mb={'n/a' if per_session is None else f'{per_session:.1f}'}")
    print(f"pages telling the snapshots apart: {', '.join(result['telling_pages']) or '-'}; "
          f"pages shown per snapshot there: {seen}")
    print(f"sessions={args.sessions} errors={len(errors)} "
          f"p50_ms={percentile(times, 50):.0f} p95_ms={percentile(times, 95):.0f}")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
