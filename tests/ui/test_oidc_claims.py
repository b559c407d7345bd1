"""Organisation sign-in: the role and scope a groups claim gives
(``ui.auth.role_from_groups``), when an identity has expired
(``ui.signin.oidc_expired``), and the sign-in page of a deployment whose
roles all come from groups (no users file). The whole flow against a real provider is in
tests/e2e/test_oidc_signin.py."""
from __future__ import annotations

import pytest

from tests.ui.test_signin import _new_app, real_data  # noqa: F401  (real_data is a fixture)
from ui import auth, signin


@pytest.mark.parametrize("groups, expected", [
    (["duo-impact:manager"], ("manager", (), ())),
    (["staff", "duo-impact:coordinator:East", "duo-impact:coordinator:West", "duo-impact:coordinator:East"],
     ("coordinator", ("East", "West"), ())),
    (["duo-impact:funder:FundA"], ("funder", (), ("FundA",))),
    # the bare funder group: the whole programme; with a named one, that funder only
    (["duo-impact:funder"], ("funder", (), ())),
    (["duo-impact:funder", "duo-impact:funder:Fund: the second"], ("funder", (), ("Fund: the second",))),
    # the broadest role wins
    (["duo-impact:funder:FundA", "duo-impact:coordinator:East"], ("coordinator", ("East",), ())),
    (["duo-impact:coordinator:East", "duo-impact:manager"], ("manager", (), ())),
    ("duo-impact:manager", ("manager", (), ())),                    # one group as a string
])
def test_groups_give_a_role_and_its_scope(groups, expected):
    assert auth.role_from_groups(groups) == expected


@pytest.mark.parametrize("groups", [
    None, [], ["staff"], ["duo-impact"], ["duo-impact:coordinator"], ["duo-impact:coordinator: "],
    ["duo-impact:admin"], ["duo-impact:manager:East"], ["Duo-Impact:manager"], ["other:manager"],
    [1, None], {"duo-impact:manager": True},
])
def test_groups_that_name_no_role_here_give_nothing(groups):
    assert auth.role_from_groups(groups) is None


@pytest.mark.parametrize("claims, expired", [
    ({"exp": 1000}, False), ({"exp": 999}, True), ({"exp": 999.5}, True), ({"exp": 1000.5}, False),
    ({}, False), ({"exp": "999"}, False), ({"exp": True}, False),
])
def test_an_identity_expires_with_its_id_token(claims, expired):
    assert signin.oidc_expired(claims, now=999.9) is expired


@pytest.fixture
def no_users(tmp_path, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_USERS", str(tmp_path / "users.json"))   # no file: no user


@pytest.mark.usefixtures("navigation_app")
def test_with_no_users_file_organisation_accounts_can_still_sign_in(real_data, no_users, monkeypatch):  # noqa: F811
    # the groups claim gives the roles, so an organisation needs no users file;
    # without [auth] the page still asks for the first manager
    at = _new_app()
    assert any("no user exists yet" in w.value for w in at.warning)
    assert not [b for b in at.button if "organisation" in b.label]
    monkeypatch.setattr(signin, "oidc_providers", lambda: [None])
    at = _new_app()
    assert not at.warning
    assert [b.label for b in at.button if "organisation" in b.label] == ["Sign in with your organisation"]
    assert not [t for t in at.text_input if t.key == "signin_password"]   # no user: no password form
