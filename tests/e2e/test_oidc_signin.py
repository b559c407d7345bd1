"""Organisation sign-in against a real OpenID Connect provider, in Chromium.

The provider is tests/oidc/provider.mjs (panva's oidc-provider on Node, with
a login form, accounts and their ``groups`` claim); the app is ``streamlit
run app.py`` on a store of real records (the tiny fixture, which is not the
sample: sign-in is required) with ``[auth]`` in a secrets file of the test's
own (``--secrets.files``). Both listen on free loopback ports and are stopped
at the end. Nothing is monkeypatched: the browser goes through the whole
redirect flow (``st.login`` → the provider's login page → ``/oauth2callback``
→ the app) and the app reads the identity from Streamlit's signed cookie.

    .venv/bin/python -m pytest -n 0 -m oidc_provider tests/e2e/test_oidc_signin.py
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"
PROVIDER = ROOT / "tests" / "oidc"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NODE = shutil.which("node")
PASSWORD = "provider password 1"
CLIENT_ID, CLIENT_SECRET = "duo-impact", secrets.token_hex(16)
BRIEF_TTL = 8     # seconds: the ID token lifetime of the account used for the expiry test
# login -> (its claims at the provider, beyond sub); the users file holds only cole
ACCOUNTS = {
    "mara": {"email": "mara@example.org", "email_verified": True, "name": "Mara",
             "groups": ["staff", "duo-impact:manager"]},
    "fay": {"email": "fay@fund-a.example", "email_verified": True, "name": "Fay",
            "groups": ["duo-impact:funder:FundA"]},
    "cole": {"email": "cole@example.org", "email_verified": True, "name": "Cole", "groups": ["staff"]},
    "stranger": {"email": "stranger@example.org", "email_verified": True, "name": "Stranger",
                 "groups": ["staff"]},
    "brief": {"email": "brief@example.org", "email_verified": True, "name": "Brief",
              "groups": ["duo-impact:manager"]},
}
USER_COOKIE = "_streamlit_user"     # Streamlit's signed identity cookie
SIGN_IN_BUTTON = "Sign in with your organisation"

pytestmark = [
    pytest.mark.oidc_provider,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(NODE is None, reason="Node.js is not installed (scripts/setup.sh --dev)"),
    pytest.mark.skipif(not (PROVIDER / "node_modules" / "oidc-provider").is_dir(),
                       reason="the test provider is not installed (scripts/setup.sh --dev: npm ci in tests/oidc)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"{url} did not answer:\n" + log.read_text()[-3000:])
        time.sleep(0.3)


@contextlib.contextmanager
def _process(args: list[str], log_path: Path, ready_url: str, **kwargs):
    log = open(log_path, "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, **kwargs)
    try:
        _wait_for(ready_url, proc, log_path)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


class Deployment:
    def __init__(self, app: str, issuer: str, audit: Path, logs: Path):
        self.app, self.issuer, self.audit, self.logs = app, issuer, audit, logs

    def audit_lines(self) -> list[dict]:
        if not self.audit.exists():
            return []
        return [json.loads(line) for line in self.audit.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """The provider and the app on free loopback ports, stopped afterwards."""
    from analytics.people.users import UserStore
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    tmp = tmp_path_factory.mktemp("oidc")
    store = tmp / "store"
    Store(store).import_result(validate_source(TINY))
    sample = tmp / "sample"                       # a sample the store never imported: real data
    sample.mkdir()
    (sample / "mentees.csv").write_text("mentee_id\nSOMEONE_ELSE\n", encoding="utf-8")
    users = tmp / "users.json"
    UserStore(users).add("cole@example.org", "a users-file password", "coordinator", ("East",))

    app_port, idp_port = _free_port(), _free_port()
    app, issuer = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{idp_port}"
    accounts = {login: {"password": PASSWORD, "claims": claims} for login, claims in ACCOUNTS.items()}
    accounts["brief"]["id_token_ttl"] = BRIEF_TTL
    config = tmp / "provider.json"
    config.write_text(json.dumps({
        "port": idp_port, "id_token_ttl": 600, "accounts": accounts,
        "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                     "redirect_uris": [f"{app}/oauth2callback"],
                     "post_logout_redirect_uris": [f"{app}/oauth2callback"]}]}))
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "{app}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email profile groups" }}
""")
    audit = tmp / "audit.log"
    env = {**os.environ, "DUO_IMPACT_DB": str(store), "DUO_IMPACT_SAMPLE": str(sample),
           "DUO_IMPACT_USERS": str(users), "DUO_IMPACT_AUDIT": str(audit)}
    with _process([NODE, str(PROVIDER / "provider.mjs"), str(config)], tmp / "provider.log",
                  f"{issuer}/.well-known/openid-configuration", cwd=PROVIDER):
        with _process([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(app_port),
                       "--server.address", "127.0.0.1", "--server.headless", "true",
                       "--secrets.files", str(secrets_file)],
                      tmp / "streamlit.log", f"{app}/_stcore/health", cwd=ROOT, env=env):
            yield Deployment(app, issuer, audit, tmp)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.visited = []                     # every URL the page navigated to, in order
    page.on("framenavigated", lambda frame: frame == page.main_frame and page.visited.append(frame.url))
    yield page
    context.close()


IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')
              && !!document.querySelector('h1')"""


def _settle(page, timeout: float = 60) -> None:
    """Wait until the app has finished running and stayed idle for 0.75 s."""
    deadline, idle = time.time() + timeout, 0
    while time.time() < deadline:
        idle = idle + 1 if page.evaluate(IDLE) else 0
        if idle >= 3:
            return
        page.wait_for_timeout(250)
    raise TimeoutError("the app did not finish running")


def _at_app(deployment):
    return lambda url: (url.startswith(deployment.app + "/") and "/oauth2callback" not in url
                        and "/auth/" not in url)


def _check(page, deployment, what: str) -> None:
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        raise AssertionError(f"{what}: {boxes.first.inner_text()[:500]}\n"
                             + (deployment.logs / "streamlit.log").read_text()[-3000:])


def _sign_in(page, deployment, login: str, password: str = PASSWORD) -> None:
    """The whole redirect flow: the app's button, the provider's form, back."""
    page.goto(deployment.app + "/")
    _settle(page)
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(deployment.issuer + "/interaction/**")      # the provider's own login page
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(_at_app(deployment))
    _settle(page)
    _check(page, deployment, f"signing in as {login}")


def _sign_out(page, deployment, button, timeout: float = 30) -> None:
    """Click ``button``, then st.logout: the app's /auth/logout, the provider's
    end_session (its session ends), back to the app."""
    start, deadline = len(page.visited), time.time() + timeout
    button.click()
    while not any(url.startswith(deployment.issuer + "/session/end") for url in page.visited[start:]):
        if time.time() > deadline:
            raise TimeoutError(f"never reached the provider's end_session: {page.visited[start:]}")
        page.wait_for_timeout(100)
    page.wait_for_url(_at_app(deployment))
    _settle(page)


def _signed_in_as(page) -> str:
    captions = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').all_inner_texts()
    return " ".join(c for c in captions if "Signed in as" in c)


def _nav(page) -> list[str]:
    """The navigation's page titles (each link's text is its icon's name, then the title)."""
    return [t.strip().splitlines()[-1].strip() for t in
            page.locator('[data-testid="stSidebarNav"] a').all_inner_texts() if t.strip()]


def _title(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def _shows_no_page(page, deployment) -> None:
    """Only the sign-in page: no role, no navigation, no figure; a page's own
    URL gives the sign-in page too."""
    assert _title(page) == "Sign in"
    assert not _signed_in_as(page)
    assert not _nav(page)
    assert not page.locator('[data-testid="stMetric"]').count()
    page.goto(deployment.app + "/data")
    _settle(page)
    assert _title(page) == "Sign in" and not _nav(page) and not _signed_in_as(page)


def _cookie(page, name: str) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == name), None)


def _claims(cookie_value: str) -> dict:
    """The identity Streamlit signed into its cookie (read without the secret)."""
    from itsdangerous import URLSafeTimedSerializer

    _, payload = URLSafeTimedSerializer("not the secret", salt=USER_COOKIE).loads_unsafe(cookie_value)
    return json.loads(payload)


def _tampered_cookies_are_refused(browser, deployment, original: str) -> None:
    """The funder's identity cookie moved to a new browser signs it in; changed
    to claim a manager's group (the signature kept, or signed with a guessed
    key) it signs nobody in."""
    from itsdangerous import URLSafeTimedSerializer

    claims = _claims(original)
    claims["groups"] = ["duo-impact:manager"]                 # a funder who would be a manager
    forged = json.dumps(claims)
    payload = URLSafeTimedSerializer("any", salt=USER_COOKIE).dump_payload(forged).decode()
    _, stamp, signature = original.rsplit(".", 2)             # [.]payload.timestamp.signature
    cookies = {
        "untouched": original,                                # the control: the cookie moves
        "payload changed": f"{payload}.{stamp}.{signature}",  # the new claims, the old signature
        "signed with a guessed key": URLSafeTimedSerializer("a guessed key", salt=USER_COOKIE).dumps(forged),
    }
    for forgery, value in cookies.items():
        other = browser.new_context()
        try:
            other.add_cookies([{"name": USER_COOKIE, "value": value, "url": deployment.app + "/"}])
            fresh = other.new_page()
            fresh.goto(deployment.app + "/")
            _settle(fresh)
            _check(fresh, deployment, forgery)
            if forgery == "untouched":
                assert "fay@fund-a.example (Funder)" in _signed_in_as(fresh), forgery
            else:
                assert value != original
                assert _title(fresh) == "Sign in" and not _nav(fresh) and not _signed_in_as(fresh), forgery
                assert "Manager" not in fresh.locator("body").inner_text(), forgery
        finally:
            other.close()


# ------------------------------------------------------------------ the tests
def test_a_manager_signs_in_through_the_provider_and_out(page, deployment):
    page.goto(deployment.app + "/")
    _settle(page)
    _shows_no_page(page, deployment)
    _sign_in(page, deployment, "mara")
    assert "mara@example.org (Manager)" in _signed_in_as(page)
    assert _title(page) == "Overview"
    assert {"Overview", "At-risk duos", "Data"} <= set(_nav(page)), _nav(page)
    assert _claims(_cookie(page, USER_COOKIE)["value"])["groups"] == ["staff", "duo-impact:manager"]
    assert {"event": "sign_in", "user": "mara@example.org"}.items() <= deployment.audit_lines()[-1].items()

    _sign_out(page, deployment, page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out"))
    assert _cookie(page, USER_COOKIE) is None
    _shows_no_page(page, deployment)
    assert page.get_by_role("button", name=SIGN_IN_BUTTON).count() == 1


def test_a_funder_gets_the_scope_of_the_groups_claim_and_a_tampered_cookie_is_refused(page, browser, deployment):
    _sign_in(page, deployment, "fay")
    assert "fay@fund-a.example (Funder)" in _signed_in_as(page)
    nav = _nav(page)
    assert "Your funding" in nav and "At-risk duos" not in nav and "Data" not in nav, nav
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Your funding").first.click()
    _settle(page)
    _check(page, deployment, "your funding")
    text = page.locator('[data-testid="stMain"]').inner_text()
    # bound to FundA by the claim: its grants, not the "not bound to a funder" note
    assert "What your grants covered" in text and "not bound to a funder" not in text, text[:500]
    page.goto(deployment.app + "/at_risk")                       # not the funder's: not registered
    _settle(page)
    assert "At-risk duos" not in _title(page) and "At-risk duos" not in _nav(page)
    # one sign-in fewer: the tampering starts from this funder's cookie
    _tampered_cookies_are_refused(browser, deployment, _cookie(page, USER_COOKIE)["value"])


def test_an_identity_without_groups_takes_its_role_from_the_users_file(page, deployment):
    _sign_in(page, deployment, "cole")
    assert "cole@example.org (Coordinator)" in _signed_in_as(page)
    nav = _nav(page)
    assert _title(page) == "At-risk duos" and "At-risk duos" in nav and "Data" not in nav, nav


def test_an_unknown_identity_gets_no_page_and_is_signed_out(page, deployment):
    _sign_in(page, deployment, "stranger")
    error = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "has no role in this dashboard" in error
    _shows_no_page(page, deployment)                   # a page's URL: still nothing
    page.goto(deployment.app + "/")                    # a reload: refused again
    _settle(page)
    assert "has no role" in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    line = deployment.audit_lines()[-1]
    assert (line["event"], line["user"], line["detail"]["reason"]) == \
        ("sign_in_failed", "stranger@example.org", "no such user")
    _sign_out(page, deployment, page.get_by_role("button", name="Sign out of your organisation account"))
    assert _cookie(page, USER_COOKIE) is None
    assert not page.locator('[data-testid="stAlertContentError"]').count()
    assert page.get_by_role("button", name=SIGN_IN_BUTTON).count() == 1


def test_an_expired_identity_gets_no_page(page, deployment):
    _sign_in(page, deployment, "brief")                      # the provider gives it an 8 s ID token
    assert "brief@example.org (Manager)" in _signed_in_as(page)
    exp = _claims(_cookie(page, USER_COOKIE)["value"])["exp"]
    assert exp - time.time() <= BRIEF_TTL
    page.wait_for_timeout(max(0.0, exp - time.time() + 1) * 1000)
    page.reload()                                            # a new session, past the token's exp
    _settle(page)
    assert "has expired" in page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
    assert page.get_by_role("button", name=SIGN_IN_BUTTON).count() == 1     # to sign in again
    _shows_no_page(page, deployment)
    assert any(line["event"] == "sign_in_failed" and line["detail"].get("reason") == "identity expired"
               for line in deployment.audit_lines())
