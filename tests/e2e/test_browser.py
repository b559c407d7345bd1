"""The dashboard in a real browser: `streamlit run app.py` on the bundled
sample (imported into a fresh store on first run, as on a fresh clone),
driven by Debian's Chromium through Python playwright. Every page is visited
once; any Streamlit exception box fails the test; a screenshot of each page
goes to screenshots/ (look at them).

    .venv/bin/python -m pytest -m browser tests/test_browser.py
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# (role, url path, title) in the order visited; the manager sees every page.
VISITS = [
    ("manager", "overview", "Overview"),
    ("manager", "growth", "Growth"),
    ("manager", "quality", "Quality of service"),
    ("manager", "outcomes", "Outcomes and costs"),
    ("manager", "impact_report", "Impact report"),
    ("manager", "at_risk", "At-risk duos"),
    ("manager", "data", "Data"),
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _streamlit(store: Path, log_path: Path):
    """`streamlit run app.py` on `store` until the block ends; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DUO_IMPACT_DB": str(store)}
    env.pop("DUO_IMPACT_SAMPLE", None)
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a fresh store: the first run imports the sample."""
    tmp = tmp_path_factory.mktemp("browser")
    with _streamlit(tmp / "store", tmp / "streamlit.log") as url:
        yield url, tmp / "streamlit.log"


IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')
              && !!document.querySelector('h1')"""


def _settle(page, timeout: float = 240) -> None:
    """Wait until the app has finished running and stayed idle for 2 s."""
    deadline, idle = time.time() + timeout, 0
    while time.time() < deadline:
        idle = idle + 1 if page.evaluate(IDLE) else 0
        if idle >= 4:
            return
        page.wait_for_timeout(500)
    raise TimeoutError("the app did not finish running")


def _screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the window is
    made as tall as that block before the shot, then put back to a laptop size."""
    height = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return m ? m.scrollHeight : 900; }")
    page.set_viewport_size({"width": 1440, "height": int(min(max(900, height + 40), 16000))})
    _settle(page)
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    return path


def _check(page, log: Path, what: str) -> None:
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        raise AssertionError(f"{what}: Streamlit exception box: {boxes.first.inner_text()[:500]}\n"
                             f"server log:\n{log.read_text()[-3000:]}")
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert not errors.count(), f"{what}: error shown: {errors.first.inner_text()[:300]}"


def _go(page, title: str) -> None:
    """Follow the sidebar's navigation link (the session, and its role, stay)."""
    page.locator('[data-testid="stSidebar"] a').filter(has_text=title).first.click()
    page.wait_for_timeout(300)


def test_every_page_in_a_real_browser(server):
    from playwright.sync_api import sync_playwright

    url, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
            page.goto(url)
            _settle(page, timeout=300)           # first run: imports the sample
            _check(page, log, "first run")
            for role, path, title in VISITS:
                if path != "overview":
                    _go(page, title)
                _settle(page)
                assert page.locator("h1").first.inner_text().strip() == title
                _check(page, log, f"{role} {path}")
                _screenshot(page, f"{role}-{path}")

            # The filters live in the URL: picking a branch writes it there, and
            # it survives a page change.
            _go(page, "Overview")
            _settle(page)
            page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
            page.get_by_role("option", name="Ghent", exact=True).click()
            page.keyboard.press("Escape")
            _settle(page)
            assert "branch=Ghent" in page.url, page.url
            assert "Ghent" in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
            _go(page, "Growth")
            _settle(page)
            assert "branch=Ghent" in page.url, page.url
            _check(page, log, "branch filter")

            # A funder's navigation has no staff pages.
            page.locator('[data-testid="stSidebar"] label').filter(has_text="Funder").first.click()
            _settle(page)
            links = page.locator('[data-testid="stSidebar"] a').evaluate_all("els => els.map(e => e.href)")
            assert not [h for h in links if h.endswith(("/at_risk", "/data"))], links
            _check(page, log, "funder")
            _screenshot(page, "funder-overview")
        finally:
            browser.close()


def test_a_deep_link_as_a_new_servers_first_request(server, tmp_path):
    """A bookmark to a page, opened right after a restart, gets the whole frame
    (navigation per role, the language of the URL), not the page file alone."""
    from playwright.sync_api import sync_playwright

    store = server[1].parent / "store"       # the sample is already imported there
    log = tmp_path / "streamlit.log"
    with _streamlit(store, log) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
            page.goto(f"{url}/quality?lang=fr")
            _settle(page)
            _check(page, log, "deep link")
            assert page.locator("h1").first.inner_text().strip() == "Qualité de l'accompagnement"
            # the role's navigation in French, not the pages folder's file names
            links = [t.split("\n")[-1] for t in page.locator('[data-testid="stSidebar"] a').all_inner_texts()]
            assert "Vue d'ensemble" in links and "app" not in links and "quality" not in links, links
        finally:
            browser.close()
