"""Demo mode and sign-in (issue 5, items 1-2), driven headless with AppTest.

The store holds the tiny fixture. Pointing ``DUO_IMPACT_SAMPLE`` at the tiny
fixture makes it "the sample" (demo mode); pointing it at another folder makes
the same store real data (sign-in required). Users live in a temporary
``DUO_IMPACT_USERS`` file.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# reruns go through app.py, as on a real server (tests/conftest.py: navigation_app)
pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
PAGES = ("overview", "growth", "quality", "outcomes", "your_funding", "impact_report", "at_risk", "data")
ROLE_PAGES = {"manager": PAGES, "coordinator": ("at_risk",), "funder": ("overview", "growth", "your_funding", "impact_report")}
TIMEOUT = 120
PASSWORD = "correct horse battery"
USERS = {"mara": ("manager", ()), "cole": ("coordinator", ("East",)), "fern": ("funder", ())}


@pytest.fixture
def users_file(tmp_path, monkeypatch) -> Path:
    from analytics.people.users import UserStore

    path = tmp_path / "users.json"
    monkeypatch.setenv("DUO_IMPACT_USERS", str(path))
    store = UserStore(path)
    for name, (role, branches) in USERS.items():
        store.add(name, PASSWORD, role, branches)
    return path


@pytest.fixture
def real_data(tiny_store, tmp_path, monkeypatch) -> Path:
    """The tiny store, with a sample folder whose files it never imported."""
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "mentees.csv").write_text("mentee_id\nSOMEONE_ELSE\n", encoding="utf-8")
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(sample))
    return tiny_store


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    return _run(at)


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return _run(at)


def _shows_only_sign_in(at: AppTest) -> None:
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not [r for r in at.radio if r.label == "View as"], "no role picker"
    for page in PAGES:
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{page}.py")     # nothing but the sign-in page is registered


# ------------------------------------------------------------------ demo mode
def test_demo_mode_shows_the_picker_on_the_sample_store(tiny_store, users_file, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))
    at = _new_app()
    assert at.radio(key="role").value == "manager"
    assert "Demo mode" in " ".join(m.value for m in at.markdown)
    assert not [t for t in at.text_input if t.key == "signin_password"]
    assert [t.value for t in at.title] == ["Overview"]


def test_real_data_requires_sign_in(real_data, users_file):
    at = _new_app()
    _shows_only_sign_in(at)
    assert at.text_input(key="signin_username") and at.text_input(key="signin_password")


def test_a_demo_role_in_session_state_does_not_open_real_data(real_data, users_file):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    _run(at)
    _shows_only_sign_in(at)


def test_no_users_yet_tells_the_admin_how_to_create_the_first_manager(real_data, tmp_path, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_USERS", str(tmp_path / "nobody.json"))
    at = _new_app()
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("python -m analytics users add NAME --role manager" in c.value for c in at.code)
    assert not at.metric and not at.dataframe


# ------------------------------------------------------------------ password sign-in
@pytest.mark.parametrize("username", USERS)
def test_a_correct_password_signs_in_with_exactly_the_users_pages(real_data, users_file, username):
    role = USERS[username][0]
    at = _sign_in(_new_app({"asof": "2024-06-30"}), username, PASSWORD)
    assert not at.error, [e.value for e in at.error]
    assert any(f"Signed in as **{username}**" in c.value for c in at.caption)
    assert at.session_state["signed_in"]["role"] == role
    assert "role" not in at.query_params and username not in str(dict(at.query_params))
    for page in PAGES:
        if page in ROLE_PAGES[role]:
            at.switch_page(f"pages/{page}.py")
        else:
            with pytest.raises(ValueError):
                at.switch_page(f"pages/{page}.py")
    assert [t.value for t in at.title] != ["Sign in"]


def test_a_wrong_password_does_not_sign_in(real_data, users_file):
    at = _sign_in(_new_app(), "mara", "wrong password!!")
    assert any("Wrong username or password" in e.value for e in at.error)
    assert "signed_in" not in at.session_state
    _shows_only_sign_in(at)


def test_an_unknown_user_gets_the_same_answer(real_data, users_file):
    at = _sign_in(_new_app(), "nobody", PASSWORD)
    assert [e.value for e in at.error] == ["Wrong username or password."]
    _shows_only_sign_in(at)


def test_a_locked_out_user_is_refused_even_with_the_right_password(real_data, users_file):
    from analytics.people.users import MAX_FAILURES, UserStore

    store = UserStore(users_file)
    for _ in range(MAX_FAILURES):
        assert store.verify("mara", "wrong password!!") is None
    at = _sign_in(_new_app(), "mara", PASSWORD)
    assert any("Too many failed sign-ins" in e.value for e in at.error)
    assert "signed_in" not in at.session_state
    _shows_only_sign_in(at)


def test_an_unknown_name_is_locked_out_like_a_known_one(real_data, users_file):
    from analytics.people.users import MAX_FAILURES

    at = _new_app()
    for _ in range(MAX_FAILURES):
        at = _sign_in(at, "ghost", "wrong password!!")
    at = _sign_in(at, "ghost", PASSWORD)
    assert any("Too many failed sign-ins" in e.value for e in at.error)


def test_sign_out(real_data, users_file):
    at = _sign_in(_new_app(), "mara", PASSWORD)
    at.button(key="sign_out").click()
    at = _run(at)
    _shows_only_sign_in(at)


def test_a_removed_user_is_signed_out_on_the_next_run(real_data, users_file):
    from analytics.people.users import UserStore

    at = _sign_in(_new_app(), "mara", PASSWORD)
    UserStore(users_file).remove("mara")
    _shows_only_sign_in(_run(at))


# ------------------------------------------------------------------ coordinators and funders
def test_a_signed_in_coordinator_sees_only_their_branches(real_data, users_file):
    at = _sign_in(_new_app({"asof": "2024-06-30"}), "cole", PASSWORD)
    assert [t.value for t in at.title] == ["At-risk duos"]
    table = at.dataframe[0].value
    assert len(table) and set(table[table.columns[1]]) == {"East"}
    assert at.multiselect(key="branch").options == ["East"]


def test_a_funder_reaching_the_at_risk_page_fails_closed(real_data, users_file):
    at = _sign_in(_new_app({"asof": "2024-06-30"}), "fern", PASSWORD)
    with pytest.raises(ValueError):
        at.switch_page("pages/at_risk.py")              # not registered for a funder
    # the page run directly (as if reached by URL) with the funder's session
    page = AppTest.from_file(str(ROOT / "pages" / "at_risk.py"), default_timeout=TIMEOUT)
    page.session_state["signed_in"] = dict(at.session_state["signed_in"])
    _run(page)
    assert any("not available for your role" in e.value for e in page.error)
    assert not page.metric and not page.dataframe


@pytest.mark.parametrize("call", ["at_risk", "duo_timeline", "table_for", "worklist_for"])
def test_staff_data_functions_refuse_a_funder(real_data, users_file, call):
    """The data functions check the role again (fail closed), whatever page calls them."""
    import textwrap

    script = textwrap.dedent(f"""
        import streamlit as st
        from datetime import date
        from ui import at_risk, data
        key = data.query_key(date(2024, 6, 30))
        call = {call!r}
        if call == "at_risk":
            result = data.at_risk(key)
        elif call == "duo_timeline":
            result = data.duo_timeline("D1", as_of=date(2024, 6, 30))
        elif call == "table_for":
            result = at_risk.table_for(key, {{}}, ["at_risk"], [])
        else:
            result = at_risk.worklist_for(key, 90, [])
        st.dataframe(result)
    """)
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = {"username": "fern", "role": "funder", "branches": [], "via": "password"}
    _run(at)
    assert any("not available for your role" in e.value for e in at.error)
    assert not at.dataframe


# ------------------------------------------------------------------ OIDC
def test_oidc_identity_maps_to_the_users_role_and_unknown_gets_no_page(real_data, users_file, monkeypatch):
    from analytics.people.users import UserStore

    from ui import signin

    UserStore(users_file).add("ana@example.org", PASSWORD, "funder")
    monkeypatch.setattr(signin, "oidc_providers", lambda: [None])
    monkeypatch.setattr(signin, "oidc_identity", lambda: "Ana@example.org")
    at = _new_app()
    assert at.session_state["signed_in"]["role"] == "funder"
    assert at.session_state["signed_in"]["via"] == "oidc"
    at.switch_page("pages/impact_report.py")

    monkeypatch.setattr(signin, "oidc_identity", lambda: "stranger@example.org")
    at = _new_app()
    assert "signed_in" not in at.session_state
    assert any("has no role" in e.value for e in at.error)
    _shows_only_sign_in(at)


def test_oidc_button_is_offered_only_when_auth_is_configured(real_data, users_file, monkeypatch):
    from ui import signin

    at = _new_app()
    assert not [b for b in at.button if "organisation" in b.label]
    monkeypatch.setattr(signin, "oidc_providers", lambda: [None])
    at = _new_app()
    assert [b.label for b in at.button if "organisation" in b.label] == ["Sign in with your organisation"]
