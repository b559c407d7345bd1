"""Right at a glance (issue 20): every page each role may see, in English,
French and Dutch, in a real browser (Debian's Chromium through Python
playwright), at 1280 px wide, and English at 1440 px too.

The sample is imported into a fresh store by the command line; the server is
told its sample folder is elsewhere, so the store counts as real data and
each role signs in with a password (users made as tests/ui/test_signin.py
makes them). Pages are opened by their URL: the signed session cookie
signs the new session in again, so no sidebar has to be clicked.

One browser and one ``streamlit run`` per language, in parallel threads.
Each page is screenshotted into ``test-output/browser/`` (git-ignored; look
at them) and fails on:

- a cut label: a text element (metric label, value and delta, heading,
  button, tab, caption, widget label, navigation link) whose ``scrollWidth``
  exceeds its ``clientWidth`` once ``document.fonts.ready`` (data frames and
  code blocks scroll on purpose and are left out), or a tile's value broken
  over two lines;
- an untranslated string in French or Dutch: a text on the page that is the
  English msgid of a catalog entry whose translation differs;
- a raw ``None``/``nan``/``NaN``/``NaT`` word;
- a server path (``/tmp/``, ``/work/``, ``duo-impact-upload-``, the repo path).

    .venv/bin/python -m pytest -n 0 -m browser tests/e2e/test_browser_glance.py
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LANGS = ("en", "fr", "nl")
WIDTHS = {"en": (1280, 1440), "fr": (1280,), "nl": (1280,)}
PASSWORD = "correct horse battery"
# role -> (username, branches, funders): a coordinator of one branch, a funder
# bound to one funder of the sample.
USERS = {"manager": ("mara", (), ()),
         "coordinator": ("cole", ("Liège",), ()),
         "funder": ("fern", (), ("Flemish Employment Agency",))}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

# ------------------------------------------------------------------ what is checked in the page
TEXT_ELEMENTS = ", ".join([
    '[data-testid="stMetricLabel"]', '[data-testid="stMetricValue"]', '[data-testid="stMetricDelta"]',
    "h1", "h2", "h3", "h4", "h5", "h6", "button", '[data-baseweb="tab"]',
    '[data-testid="stCaptionContainer"]', '[data-testid="stWidgetLabel"]',
    '[data-testid="stSidebarNavLink"]', '[data-testid="stExpander"] summary',
])
SCROLLERS = ('[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stCode"], '
             'pre, code, [data-testid="stPlotlyChart"]')
CUT = """([sel, skip]) => {
  const out = [];
  for (const root of document.querySelectorAll(sel)) {
    if (root.closest(skip)) continue;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (!el.clientWidth) continue;                       // inline or not shown
      const ox = getComputedStyle(el).overflowX;
      if (ox === 'auto' || ox === 'scroll') continue;      // scrolls on purpose
      if (el.scrollWidth > el.clientWidth + 1) {
        const t = root.closest('[data-testid]');
        out.push(`${t ? t.dataset.testid : root.tagName}: "${(root.innerText || '').trim().slice(0, 80)}"`
                 + ` (${el.scrollWidth} > ${el.clientWidth} px)`);
        break;
      }
    }
  }
  return [...new Set(out)];
}"""
WRAPPED_VALUES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].filter(el => {
  const tops = new Set(), w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let n;
  while ((n = w.nextNode())) {
    const r = document.createRange(); r.selectNodeContents(n);
    for (const x of r.getClientRects()) if (x.width > 0) tops.add(Math.round(x.top));
  }
  return tops.size > 1;
}).map(el => el.innerText.replace(/\\s+/g, ' ').trim())"""
TEXTS = """(skip) => {
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = []; let n;
  while ((n = w.nextNode())) {
    const t = n.textContent.trim();
    if (!t || !n.parentElement || n.parentElement.closest(skip)) continue;
    out.push(t);
  }
  return out;
}"""
# The record format is the import contract, written in English on purpose
# (pages/data.py says so above it).
TEXT_SKIP = "script, style, noscript, iframe, .st-key-record_format"
RAW_MISSING = re.compile(r"(?<![\w-])(None|nan|NaN|NaT)(?![\w-])")
SERVER_PATHS = ("/tmp/", "/work/", "duo-impact-upload-", str(ROOT))
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')
              && (!!document.querySelector('h1') || !!document.querySelector('[data-testid="stException"]'))"""


def _catalog(lang: str) -> dict[str, str]:
    """English msgid -> its translation, for the entries whose translation differs."""
    from babel.messages.pofile import read_po

    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        cat = read_po(f)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string and m.string != m.id}


def _matchers(catalog: dict[str, str]) -> list[tuple[str, re.Pattern]]:
    """A pattern per msgid that a text node equals when it shows that msgid in
    English (placeholders match anything); long msgids also as a substring."""
    out = []
    for msgid in catalog:
        parts = re.split(r"\{[^{}]*\}", msgid.replace("**", ""))
        literal = re.escape(parts[0]) + "".join(".+?" + re.escape(p) for p in parts[1:])
        if not "".join(parts).strip(" .,:;·()-–/%+*") or not re.search(r"[A-Za-z]{3}", "".join(parts)):
            continue                                   # nothing English to see
        out.append((msgid, re.compile(rf"\s*{literal}\s*")))
        long_chunks = [p.strip() for p in parts if len(p.split()) >= 4]
        out.extend((msgid, re.compile(rf".*{re.escape(c)}.*", re.S)) for c in long_chunks)
    return out


def _untranslated(texts: list[str], matchers) -> list[str]:
    found = {}
    for text in set(texts):
        for msgid, pattern in matchers:
            if pattern.fullmatch(text):
                found[msgid] = text
                break
    return [f"untranslated {m!r}: {t[:80]!r}" for m, t in sorted(found.items())]


# ------------------------------------------------------------------ a server per language
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _streamlit(env: dict, log_path: Path):
    port = _free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """The bundled sample imported once by the command line."""
    base = tmp_path_factory.mktemp("glance")
    subprocess.run([sys.executable, "-m", "analytics", "import", str(ROOT / "data" / "sample"),
                    "--db", str(base / "store")], cwd=ROOT, check=True, capture_output=True)
    return base / "store"


def _setup(lang: str, store: Path, base: Path) -> dict:
    """A copy of the store, a users file and a sample folder the store never
    imported (so sign-in is required) for one language's server."""
    from analytics.people.users import UserStore

    home = base / lang
    shutil.copytree(store, home / "store")
    (home / "elsewhere").mkdir()
    (home / "elsewhere" / "mentees.csv").write_text("mentee_id\nSOMEONE_ELSE\n", encoding="utf-8")
    users = UserStore(home / "users.json")
    for username, branches, funders in USERS.values():
        users.add(username, PASSWORD, _role_of(username), branches, funders)
    return {"DUO_IMPACT_DB": str(home / "store"), "DUO_IMPACT_SAMPLE": str(home / "elsewhere"),
            "DUO_IMPACT_USERS": str(home / "users.json")}


def _role_of(username: str) -> str:
    return next(role for role, (name, _b, _f) in USERS.items() if name == username)


# ------------------------------------------------------------------ driving one language
SETTLE_SECONDS = 240      # generous: the machines running this are shared


def _settle(page, timeout: float = SETTLE_SECONDS) -> bool:
    """Until the app has finished its run and stayed idle for 1 s, fonts
    loaded (True); False when it has not within ``timeout`` seconds."""
    deadline, idle = time.time() + timeout, 0
    while time.time() < deadline:
        idle = idle + 1 if page.evaluate(IDLE) else 0
        if idle >= 3:
            page.evaluate("() => document.fonts.ready.then(() => true)")
            return True
        page.wait_for_timeout(350)
    return False


def _sign_in(page, url: str, lang: str, username: str) -> None:
    from analytics.people.sessions import COOKIE_NAME

    page.goto(f"{url}/?lang={lang}")
    page.locator(".st-key-signin_username input").wait_for(timeout=90_000)
    page.locator(".st-key-signin_username input").fill(username)
    page.locator(".st-key-signin_password input").fill(PASSWORD)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    deadline = time.time() + 60
    while not any(c["name"] == COOKIE_NAME and c["value"] for c in page.context.cookies()):
        if time.time() > deadline:
            raise TimeoutError(f"{username}: no session cookie after signing in")
        page.wait_for_timeout(200)
    if not _settle(page):             # the signed-in run has finished before the next page
        raise TimeoutError(f"{username}: the app did not finish signing in")


def _screenshot(page, name: str, width: int) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window
    is made as tall as that block for the shot, then put back."""
    height = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return m ? m.scrollHeight : 900; }")
    page.set_viewport_size({"width": width, "height": int(min(max(900, height + 40), 12000))})
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def _problems(page, where: str, lang: str, matchers) -> list[str]:
    out = [f"{where}: cut {c}" for c in page.evaluate(CUT, [TEXT_ELEMENTS, SCROLLERS])]
    out += [f"{where}: a value broken over lines: {v!r}" for v in page.evaluate(WRAPPED_VALUES)]
    texts = page.evaluate(TEXTS, TEXT_SKIP)
    joined = "\n".join(texts)
    out += [f"{where}: raw {m.group(0)!r} in {joined[max(0, m.start() - 60):m.end() + 20]!r}"
            for m in RAW_MISSING.finditer(joined)]
    out += [f"{where}: server path {p!r}" for p in SERVER_PATHS if p in joined]
    if lang != "en":
        out += [f"{where}: {u}" for u in _untranslated(texts, matchers)]
    for testid in ("stException", "stAlertContentError"):
        boxes = page.locator(f'[data-testid="{testid}"]')
        if boxes.count():
            out.append(f"{where}: {testid} {boxes.first.inner_text()[:300]!r}")
    dialogs = page.locator('[role="dialog"]')
    if dialogs.count():
        out.append(f"{where}: a dialog is open: {dialogs.first.inner_text()[:200]!r}")
    return out


def _the_cut_check_can_fail(page, problems: list[str]) -> None:
    """A heading made too narrow for its text, added to the page, is reported."""
    page.evaluate("""() => { const h = document.createElement('h3'); h.id = 'cut-probe';
        h.textContent = 'A heading far too long for fifty pixels';
        h.style.cssText = 'width:50px; overflow:hidden; white-space:nowrap';
        document.querySelector('[data-testid="stMain"]').prepend(h); }""")
    found = [c for c in page.evaluate(CUT, [TEXT_ELEMENTS, SCROLLERS]) if "fifty pixels" in c]
    page.evaluate("() => document.getElementById('cut-probe').remove()")
    if not found:
        problems.append("the cut check did not see a heading cut on purpose")


def _visit_language(lang: str, store: Path, base: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    from ui.pages import for_role

    catalog = _catalog(lang) if lang != "en" else {}
    matchers = _matchers(catalog)
    env = _setup(lang, store, base)
    problems: list[str] = []
    with _streamlit(env, base / lang / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for role, (username, _b, _f) in USERS.items():
                context = browser.new_context(viewport={"width": WIDTHS[lang][0], "height": 900},
                                              locale={"en": "en-GB", "fr": "fr-BE", "nl": "nl-BE"}[lang])
                page = context.new_page()
                _sign_in(page, url, lang, username)
                if role == "manager":
                    _the_cut_check_can_fail(page, problems)
                for spec in for_role(role):
                    # the role's first page is the default page: its address is the app's root
                    path = "" if spec is for_role(role)[0] else spec.key
                    page.goto(f"{url}/{path}?lang={lang}")
                    if not _settle(page):
                        problems.append(f"{lang} {role} {spec.key}: still running after {SETTLE_SECONDS} s")
                        _screenshot(page, f"{lang}-{WIDTHS[lang][0]}-{role}-{spec.key}", WIDTHS[lang][0])
                        continue
                    title = catalog.get(spec.title, spec.title)
                    h1 = page.locator("h1").first.inner_text().strip()
                    if h1 != title:
                        problems.append(f"{lang} {role} {spec.key}: title {h1!r}, expected {title!r}")
                    for width in WIDTHS[lang]:
                        where = f"{lang} {width}px {role} {spec.key}"
                        if width != WIDTHS[lang][0]:
                            page.set_viewport_size({"width": width, "height": 900})
                            if not _settle(page):
                                problems.append(f"{where}: still running after {SETTLE_SECONDS} s")
                        problems += _problems(page, where, lang, matchers)
                        _screenshot(page, f"{lang}-{width}-{role}-{spec.key}", width)
                    page.set_viewport_size({"width": WIDTHS[lang][0], "height": 900})
                context.close()
        finally:
            browser.close()
    return problems


def test_every_page_fits_and_is_translated_for_every_role(sample_store, tmp_path):
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with ThreadPoolExecutor(len(LANGS)) as pool:
        results = list(pool.map(lambda lang: _visit_language(lang, sample_store, tmp_path), LANGS))
    problems = [p for r in results for p in r]
    assert not problems, f"{len(problems)} problems (screenshots in {SHOTS}):\n" + "\n".join(problems)


def test_the_text_checks_catch_what_they_are_for():
    """The checks on the page text, on strings worked out by hand: an English
    msgid shown whole or with its placeholders filled is caught, its
    translation and a text merely containing a short msgid are not."""
    catalog = {"Active duos": "Duos actifs", "{n} duos waiting": "{n} duos en attente",
               "Figures use the data as they stood on this day": "Les chiffres…"}
    matchers = _matchers(catalog)
    assert _untranslated(["Active duos"], matchers) == ["untranslated 'Active duos': 'Active duos'"]
    assert _untranslated(["12 duos waiting"], matchers) == ["untranslated '{n} duos waiting': '12 duos waiting'"]
    assert _untranslated(["Note: Figures use the data as they stood on this day."], matchers)
    assert not _untranslated(["Duos actifs", "12 duos en attente", "Active duos in Ghent"], matchers)
    assert [m.group(0) for m in RAW_MISSING.finditer("Weeks running: None; NaT, nan% NaN")] == \
        ["None", "NaT", "nan", "NaN"]
    assert not RAW_MISSING.search("Nanette, nano-scale, NoneSuch, financement")
