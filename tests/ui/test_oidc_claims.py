"""Organisation sign-in: the role and scope a groups claim gives
(``ui.auth.role_from_groups``) and when an identity has expired
(``ui.signin.oidc_expired``). The whole flow against a real provider is in
tests/e2e/test_oidc_signin.py."""
from __future__ import annotations

import pytest

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
