"""Sign-in once real records are imported (issue 5, item 2).

- **Demo mode** (``ui.connection.demo_mode``: the store has only ever held the
  bundled sample): the clearly labelled role picker, no password.
- **Otherwise** nobody has a role until signed in, and ``app.py`` registers
  only the sign-in page. Two ways in:

  * **Username and password** from the users file
    (``analytics.people.users``, ``python -m analytics users add``), checked by
    ``UserStore.verify`` (argon2id; failures counted in the file, the name
    locked after too many). Unknown names get the same answers: a wrong
    password reads "wrong username or password" either way, and repeated
    failures on an unknown name are locked in this process the same way a
    known name is locked in the file, so the lock-out message does not tell
    whether a user exists.
  * **Your organisation (OIDC)**, offered when the deployment configures
    ``[auth]`` in ``.streamlit/secrets.toml`` (detected with Streamlit's own
    reader of that section, ``streamlit.auth_util.get_secrets_auth_section``);
    ``st.login`` does the flow (Streamlit keeps the identity, the ID token's
    claims, in its signed ``_streamlit_user`` cookie; a tampered cookie reads
    as nobody). The identity's role comes from its **groups claim**
    (``auth.role_from_groups``: ``duo-impact:manager``,
    ``duo-impact:coordinator:<branch>``, ``duo-impact:funder[:<funder>]``;
    the claim's name is ``$DUO_IMPACT_OIDC_GROUPS_CLAIM``, default
    ``groups``) when it names one, otherwise from the **users file**: the
    user whose username equals the ``email`` claim (exactly, or in lower
    case). An ``email_verified`` claim of false is refused. An identity with
    neither gets no page (fail closed): a refusal and a button that signs it
    out of the organisation account (``st.logout``).
    The identity holds until its ID token expires (the ``exp`` claim, which
    the organisation's provider sets): a new session (a reload, a new tab, a
    return the next day) with an expired identity gets no page and is asked to
    sign in again; a session already open goes on until it is idle too long.

- The signed-in user's name, role and coordinator branches live in session
  state (``auth.SIGNED_IN_KEY``), never in the URL, and are re-read from the
  users file on every run: a removed user is signed out, a changed role or
  branch list applies at once. The sidebar shows who is signed in and a
  sign-out button.
- **Idle sessions expire**: a signed-in session with no run (no click, no
  filter change) for ``$DUO_IMPACT_IDLE_MINUTES`` minutes (default 30) is
  signed out on its next run, with an audit line (``session_expired``), its
  session state cleared and, for an organisation account, the identity cookie
  removed (``st.logout``); the sign-in page then says why.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping

import streamlit as st

from ui import auth, connection, data, fmt, pages
from ui.i18n import _

OIDC_REFUSED_KEY = "oidc_refused"      # the OIDC identity that has no user (shown once)
OIDC_EXPIRED_KEY = "oidc_expired"      # the OIDC identity whose ID token has expired
GROUPS_CLAIM_DEFAULT = "groups"
EXPIRED_KEY = "session_expired"        # set when an idle session was signed out (shown once)
IDLE_MINUTES_DEFAULT = 30
COOKIE_PENDING_KEY = "_session_cookie"  # the cookie to write in this run: a token, or "" to clear it
SIGNED_OUT_KEY = "_signed_out"          # this session signed out: its old cookie no longer signs in
FIRST_MANAGER_COMMAND = "python -m analytics users add NAME --role manager"
_MAX_TRACKED_UNKNOWN = 10_000


def users_store():
    from analytics.people.users import UserStore

    return UserStore()


# ------------------------------------------------------------------ OIDC
def oidc_providers() -> list[str | None] | None:
    """None when the deployment has no ``[auth]`` section; else the providers
    to offer (``[None]``: one unnamed provider configured in ``[auth]`` itself)."""
    try:
        from streamlit.auth_util import get_secrets_auth_section

        section = get_secrets_auth_section()
    except Exception:  # noqa: BLE001 - no secrets file, unreadable: no OIDC
        return None
    if not section:
        return None
    named = [name for name, value in section.items()            # [auth.<provider>] sections,
             if isinstance(value, Mapping) and ("client_id" in value or "server_metadata_url" in value)]
    return named or [None]


def oidc_claims() -> dict:
    """The signed-in OIDC identity's claims, as Streamlit read them from its
    signed identity cookie ({} when nobody is signed in through OIDC)."""
    try:
        info = st.user.to_dict()
    except Exception:  # noqa: BLE001
        return {}
    return dict(info) if info.get("is_logged_in") else {}


def oidc_identity() -> str | None:
    """The signed-in OIDC identity's email (None when not signed in through OIDC)."""
    info = oidc_claims()
    if not info:
        return None
    if info.get("email_verified") is False:
        return None
    email = info.get("email")
    return str(email) if email else None


def groups_claim() -> str:
    """The claim holding the identity's groups (``$DUO_IMPACT_OIDC_GROUPS_CLAIM``, default ``groups``)."""
    return os.environ.get("DUO_IMPACT_OIDC_GROUPS_CLAIM", "").strip() or GROUPS_CLAIM_DEFAULT


def oidc_expired(claims: Mapping, now: float) -> bool:
    """Whether the identity's ID token has expired (its ``exp`` claim, seconds)."""
    exp = claims.get("exp")
    return isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp <= now


def _refuse_oidc(identity: str, reason: str) -> None:
    if st.session_state.get(OIDC_REFUSED_KEY) != identity:
        _audit("sign_in_failed", identity, via="oidc", reason=reason)
    st.session_state[OIDC_REFUSED_KEY] = identity


def _from_oidc(store) -> None:
    claims = oidc_claims()
    identity = oidc_identity()
    if not identity:
        if claims:                                   # signed in, but no (verified) email: no page
            _refuse_oidc(str(claims.get("sub") or "?"), "no verified email")
        return
    if oidc_expired(claims, time.time()):
        if st.session_state.get(OIDC_EXPIRED_KEY) != identity:
            _audit("sign_in_failed", identity, via="oidc", reason="identity expired")
        st.session_state[OIDC_EXPIRED_KEY] = identity
        return
    st.session_state.pop(OIDC_EXPIRED_KEY, None)
    granted = auth.role_from_groups(claims.get(groups_claim()))
    if granted is not None:
        from analytics.people.users import User

        role, branches, funders = granted
        _sign_in(User(identity, role, branches, funders=funders), via="oidc", source="groups")
        _audit("sign_in", identity, via="oidc", role=role, source="groups",
               branches=list(branches), funders=list(funders))
        return
    user = store.get(identity) or (store.get(identity.lower()) if identity.lower() != identity else None)
    if user is None:
        _refuse_oidc(identity, "no such user")
        return
    _sign_in(user, via="oidc", source="users")
    _audit("sign_in", user.username, via="oidc", role=user.role, source="users")


# ------------------------------------------------------------------ audit
def _audit(event: str, user: str | None, **detail) -> None:
    """One line in the audit log (``analytics.people.audit``); never the password."""
    from analytics.people.audit import audit

    audit(event, user, detail)


def who() -> str | None:
    """The signed-in username (None in demo mode or when nobody is signed in)."""
    signed = st.session_state.get(auth.SIGNED_IN_KEY)
    return str(signed.get("username")) if isinstance(signed, dict) else None


def audit_export(what: str, rows: int, file_name: str) -> None:
    """A download of personal data (a download_button's on_click): who, what,
    how many rows, and the snapshot it came from is kept. Nothing is audited
    in demo mode (the sample holds no real person)."""
    connection.keep_snapshot()
    if connection.demo_mode():
        return
    _audit("export", who(), what=what, rows=int(rows), file=file_name)


def audit_report(file_format: str, file_name: str, snapshot: str | None, funders: tuple[str, ...]) -> None:
    """A download of the impact report (a download_button's on_click): its
    snapshot is kept (the same figures can be made again from it) and, as the
    command line's funder exports are, one line goes to the audit log (who,
    which format, for which funders, from which snapshot). Nothing is audited
    in demo mode."""
    connection.keep_snapshot(snapshot)
    if connection.demo_mode():
        return
    _audit("export", who(), what=f"funder_report_{file_format}", funders=",".join(funders),
           snapshot=snapshot or "", file=file_name, via="dashboard")


# ------------------------------------------------------------------ session
def _sign_in(user, *, via: str, source: str = "users") -> None:
    for key in (auth.ROLE_KEY, auth.COORDINATOR_BRANCHES_KEY, OIDC_REFUSED_KEY, OIDC_EXPIRED_KEY):
        st.session_state.pop(key, None)
    st.session_state.pop(EXPIRED_KEY, None)
    st.session_state[auth.SIGNED_IN_KEY] = {"username": user.username, "role": user.role,
                                            "branches": list(user.branches), "via": via,
                                            "last_seen": time.time(), "source": source,
                                            "funders": list(getattr(user, "funders", ()))}


# ------------------------------------------------------------------ the session cookie
def _signer(store):
    from analytics.people.sessions import SessionSigner

    return SessionSigner.beside(store.path)


def _from_cookie(store) -> None:
    """A new session (a reload) with a valid session cookie is signed in again,
    as the users file says the user is now (analytics.people.sessions)."""
    if st.session_state.get(SIGNED_OUT_KEY):
        return
    token = cookie_token()
    if not token:
        return
    try:
        username = _signer(store).verify(token)
        user = store.get(username) if username else None
    except Exception:  # noqa: BLE001 - unreadable users file or key: fail closed
        user = None
    if user is not None:
        _sign_in(user, via="cookie")


def cookie_token() -> str | None:
    """The session cookie the browser sent when this session started (None without one)."""
    from analytics.people.sessions import COOKIE_NAME

    try:
        return st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no browser context (scripts, tests without one)
        return None


def _write_cookie() -> None:
    """Set (or clear) the session cookie in the browser, once, from this run.
    The cookie is set by the page's own script (SameSite=Strict, path /,
    expiring with the token); Streamlit reads it back on the next session."""
    from analytics.people.sessions import COOKIE_NAME, TTL

    if COOKIE_PENDING_KEY not in st.session_state:
        return
    token = st.session_state.pop(COOKIE_PENDING_KEY)
    age = int(TTL.total_seconds()) if token else 0
    secure = "; Secure" if str(getattr(st.context, "url", "") or "").startswith("https") else ""
    import json

    from streamlit.components.v1 import html

    html("<script>window.parent.document.cookie = " + json.dumps(
        f"{COOKIE_NAME}={token}; Max-Age={age}; Path=/; SameSite=Strict{secure}") + ";</script>", height=0)


def _refresh(store) -> None:
    """Re-read the signed-in user from the users file (removed: signed out)."""
    signed = st.session_state.get(auth.SIGNED_IN_KEY)
    if not isinstance(signed, dict):
        return
    if signed.get("source") == "groups":
        return    # the role came from the identity's groups claim: fixed for the session
    try:
        user = store.get(str(signed.get("username")))
    except Exception:  # noqa: BLE001 - unreadable users file: fail closed
        user = None
    if user is None:
        st.session_state.pop(auth.SIGNED_IN_KEY, None)
        return
    signed.update(role=user.role, branches=list(user.branches), funders=list(getattr(user, "funders", ())))


def idle_minutes() -> float:
    """``$DUO_IMPACT_IDLE_MINUTES`` (a positive number), else 30: anything else
    falls back to the default rather than to sessions that never expire."""
    try:
        minutes = float(os.environ.get("DUO_IMPACT_IDLE_MINUTES", IDLE_MINUTES_DEFAULT))
    except ValueError:
        return IDLE_MINUTES_DEFAULT
    return minutes if 0 < minutes < float("inf") else IDLE_MINUTES_DEFAULT


def is_idle(last_seen: float, now: float, minutes: float) -> bool:
    """Whether a session last seen at ``last_seen`` (seconds) is idle at ``now``."""
    return now - last_seen > minutes * 60


def _expire_idle() -> bool:
    """Sign out a session idle for longer than idle_minutes(); else note this run."""
    signed = st.session_state.get(auth.SIGNED_IN_KEY)
    if not isinstance(signed, dict):
        return False
    now, minutes = time.time(), idle_minutes()
    last = signed.get("last_seen")
    if isinstance(last, (int, float)) and is_idle(float(last), now, minutes):
        for key in list(st.session_state.keys()):   # nothing of the session's view stays
            del st.session_state[key]
        st.session_state[EXPIRED_KEY] = minutes
        # the session cookie goes too, so a reload does not sign the idle session back in
        st.session_state[SIGNED_OUT_KEY] = True
        st.session_state[COOKIE_PENDING_KEY] = ""
        _audit("session_expired", str(signed.get("username")), via=signed.get("via"),
               idle_minutes=minutes)
        if signed.get("via") == "oidc":
            st.logout()                              # the identity cookie goes too
        return True
    signed["last_seen"] = now
    return False


def gate(container) -> auth.User:
    """Who is using the app this run. Demo mode: the role picker; otherwise
    the signed-in user (no role when nobody is: app.py then shows only
    :func:`page`), with who and a sign-out button in ``container``."""
    if connection.demo_mode():
        st.session_state.pop(auth.SIGNED_IN_KEY, None)
        return auth.demo_role_picker(container.expander(_("Demo mode: choose a role"), expanded=True),
                                     data.branches())
    st.session_state.pop(auth.ROLE_KEY, None)          # a demo choice never carries over
    st.session_state.pop(auth.COORDINATOR_BRANCHES_KEY, None)
    store = users_store()
    _refresh(store)
    expired = _expire_idle()
    if not expired and auth.SIGNED_IN_KEY not in st.session_state:
        _from_cookie(store)
    if not expired and auth.SIGNED_IN_KEY not in st.session_state and oidc_providers() is not None:
        _from_oidc(store)
    _write_cookie()
    user = auth.current_user()
    signed = st.session_state.get(auth.SIGNED_IN_KEY)
    if user.role is not None and isinstance(signed, dict):
        with container:
            st.caption(_("Signed in as **{name}** ({role})").format(
                name=signed["username"].replace("*", "\\*").replace("_", "\\_"),
                role=_(auth.ROLE_LABELS[user.role])))
            if st.button(_("Sign out"), icon=":material/logout:", key="sign_out"):
                sign_out()
    return user


def sign_out() -> None:
    signed = st.session_state.pop(auth.SIGNED_IN_KEY, None) or {}
    for key in list(st.session_state.keys()):   # nothing of the session's view stays
        del st.session_state[key]
    # the browser's session cookie is cleared on the next run, and this
    # session's copy of it (st.context.cookies) no longer signs in
    st.session_state[SIGNED_OUT_KEY] = True
    st.session_state[COOKIE_PENDING_KEY] = ""
    if signed.get("via") == "oidc":
        st.logout()                              # removes the identity cookie, new session
    st.rerun()


# ------------------------------------------------------------------ unknown names
@st.cache_resource(show_spinner=False)
def _unknown_failures() -> tuple[threading.Lock, OrderedDict]:
    """Failures per unknown username in this process: they are locked like
    known names, so a lock-out does not reveal that a name exists."""
    return threading.Lock(), OrderedDict()


def _unknown_locked(username: str) -> int | None:
    lock, failures = _unknown_failures()
    with lock:
        f = failures.get(username)
    if not f or not f[1]:
        return None
    left = (f[1] - dt.datetime.now(dt.timezone.utc)).total_seconds()
    return max(1, int(left + 0.999)) if left > 0 else None


def _unknown_failed(username: str) -> None:
    from analytics.people.users import lock_seconds

    lock, failures = _unknown_failures()
    with lock:
        count = (failures.pop(username, None) or (0, None))[0] + 1
        seconds = lock_seconds(count)
        until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds) if seconds else None
        failures[username] = (count, until)
        while len(failures) > _MAX_TRACKED_UNKNOWN:
            failures.popitem(last=False)


def _locked_message(seconds: int) -> str:
    return _("Too many failed sign-ins with this username. Try again in {seconds} s.").format(seconds=seconds)


def attempt(username: str, password: str) -> bool:
    """Check a username and password; sign in on success. Shows why not otherwise."""
    from analytics.people.users import LockedOut

    username = (username or "").strip()
    store = users_store()
    try:
        known = store.get(username) is not None
        if not known and (seconds := _unknown_locked(username)):
            _audit("sign_in_failed", username, via="password", reason="locked")
            st.error(_locked_message(seconds))
            return False
        user = store.verify(username, password)
    except LockedOut as locked:
        _audit("sign_in_failed", username, via="password", reason="locked")
        st.error(_locked_message(locked.retry_after))
        return False
    except Exception:  # noqa: BLE001 - unreadable users file: fail closed
        _audit("sign_in_failed", username, via="password", reason="users file unreadable")
        st.error(_("Signing in is not possible: the users file cannot be read. Tell the administrator."))
        return False
    if user is None:
        if not known:
            _unknown_failed(username)
        _audit("sign_in_failed", username, via="password", reason="wrong username or password")
        st.error(_("Wrong username or password."))
        return False
    _sign_in(user, via="password")
    st.session_state.pop(SIGNED_OUT_KEY, None)
    try:
        st.session_state[COOKIE_PENDING_KEY] = _signer(store).issue(user.username)
    except OSError:  # no key can be written: the sign-in holds for this session only
        pass
    _audit("sign_in", user.username, via="password", role=user.role)
    return True


# ------------------------------------------------------------------ the page
def page() -> None:
    """The only page registered while nobody is signed in (real data)."""
    st.title(_(pages.SIGN_IN.title))
    st.caption(_("This dashboard holds personal data of real people: sign in to see what your role allows."))
    if st.session_state.get(EXPIRED_KEY):
        st.info(_("You were signed out after {minutes} minutes without activity. Sign in again.").format(
            minutes=fmt.decimal(st.session_state[EXPIRED_KEY])))
    try:
        users = len(users_store())
    except Exception:  # noqa: BLE001
        users = None
    providers = oidc_providers()
    if users == 0 and providers is None:
        st.warning(_("Real records have been imported, so signing in is required, but no user exists "
                     "yet. The administrator creates the first manager on the server with:"))
        st.code(FIRST_MANAGER_COMMAND, language="bash")
        return
    if providers is not None:
        refused = st.session_state.get(OIDC_REFUSED_KEY)
        if st.session_state.get(OIDC_EXPIRED_KEY) and not refused:
            st.info(_("Your organisation sign-in has expired. Sign in again."))
        if refused:
            st.error(_("Your organisation account has no role in this dashboard. Ask a manager to add "
                       "it: `python -m analytics users add <email> --role …`."))
            if st.button(_("Sign out of your organisation account"), key="oidc_logout"):
                st.session_state.pop(OIDC_REFUSED_KEY, None)
                st.logout()
        else:
            for provider in providers:
                label = _("Sign in with your organisation") + (f" ({provider})" if provider else "")
                if st.button(label, icon=":material/login:", key=f"oidc_{provider or 'default'}"):
                    st.login(provider) if provider else st.login()
        if users == 0:       # organisation accounts only: their groups give the roles
            return
        st.caption(_("Or with a username and password:"))
    with st.form("signin", clear_on_submit=True):
        username = st.text_input(_("Username"), key="signin_username", autocomplete="username")
        password = st.text_input(_("Password"), type="password", key="signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted and attempt(username, password):
        st.rerun()
