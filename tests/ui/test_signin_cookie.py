"""Sign-in survives a reload: the signed, expiring session cookie
(analytics.people.sessions) signs a new session in again; sign-out clears it
and a stale or forged cookie signs nobody in."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from analytics.people.sessions import COOKIE_NAME, SessionSigner
from tests.ui.test_signin import APP, PASSWORD, TIMEOUT, _run, _shows_only_sign_in, _sign_in, real_data, users_file  # noqa: F401

pytestmark = pytest.mark.usefixtures("navigation_app")


@pytest.fixture
def browser_cookies(monkeypatch) -> dict:
    """The cookies the "browser" sends (AppTest has no cookies: the one reader is patched)."""
    from ui import signin

    jar: dict = {}
    monkeypatch.setattr(signin, "cookie_token", lambda: jar.get(COOKIE_NAME))
    return jar


def _new_session(cookies: dict) -> AppTest:
    """A new browser session (a reload)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return _run(at)


def _cookie_writes(at: AppTest) -> list[str]:
    return [str(e.proto) for e in at.get("iframe") if COOKIE_NAME in str(e.proto)]


def test_a_valid_cookie_signs_a_new_session_in(real_data, users_file, browser_cookies):  # noqa: F811
    browser_cookies[COOKIE_NAME] = SessionSigner.beside(users_file).issue("mara")
    at = _new_session(browser_cookies)
    assert [t.value for t in at.title] == ["Overview"]
    assert any("mara" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("token", ["forged.1.x", ""])
def test_a_forged_or_missing_cookie_signs_nobody_in(real_data, users_file, browser_cookies, token):  # noqa: F811
    browser_cookies[COOKIE_NAME] = token
    _shows_only_sign_in(_new_session(browser_cookies))


def test_an_expired_cookie_signs_nobody_in(real_data, users_file, browser_cookies):  # noqa: F811
    # issued 13 hours ago, valid for 12: expired an hour ago
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=13)
    browser_cookies[COOKIE_NAME] = SessionSigner.beside(users_file, clock=lambda: past).issue("mara")
    _shows_only_sign_in(_new_session(browser_cookies))


def test_signing_in_sets_the_cookie_and_signing_out_clears_it(real_data, users_file, browser_cookies):  # noqa: F811
    browser_cookies[COOKIE_NAME] = SessionSigner.beside(users_file).issue("mara")   # sent since the start
    at = _new_session(browser_cookies)
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    _run(at)
    # signed out: this session's copy of the old cookie no longer signs it in
    _shows_only_sign_in(at)
    assert "Max-Age=0" in _cookie_writes(at)[-1]
    browser_cookies.clear()
    at = _new_session(browser_cookies)
    _sign_in(at, "mara", PASSWORD)
    writes = _cookie_writes(at)
    assert writes and "Max-Age=43200" in writes[0], writes
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    _run(at)
    assert [t.value for t in at.title] == ["Sign in"]
    cleared = _cookie_writes(at)
    assert cleared and "Max-Age=0" in cleared[-1], cleared
