"""Roles and what each may see. Everything about "who is this" lives here, so
the demo role picker can be swapped for sign-in (issue 5) without touching
pages.

- manager: every page;
- coordinator: the at-risk duos (and duo details) of their own branches;
- funder: aggregate pages only (never personal data).

Which role may see which page is the page table's (``ui.pages``):
``st.navigation`` registers only the role's pages (``pages_for``), and every
page checks again with ``require`` (fail closed: an error and ``st.stop``),
as do the functions of ``ui.data`` that return personal data.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import connection, pages
from ui.i18n import N_, _
from ui.pages import COORDINATOR, FUNDER, MANAGER, ROLES  # noqa: F401  (the roles, named here for pages)

ROLE_LABELS = {MANAGER: N_("Manager"), COORDINATOR: N_("Coordinator"), FUNDER: N_("Funder")}
ROLE_HELP = {
    MANAGER: N_("Everything: indicators against targets, growth, quality, outcomes, at-risk duos, data import."),
    COORDINATOR: N_("The at-risk duos of your branch, to call this week, and their details."),
    FUNDER: N_("Aggregate impact and the impact report only: no names, no ids, no personal data."),
}

ROLE_KEY = "role"                    # session state, never the URL (demo mode only)
COORDINATOR_BRANCHES_KEY = "coordinator_branches"
DEMO_FUNDERS_KEY = "demo_funders"    # demo mode: the funders a funder views as
# Outside demo mode the role comes only from here: set by ui.signin after a
# checked password or a mapped OIDC identity ({"username", "role",
# "branches", "funders", "via", "source"}), in session state, never the URL.
SIGNED_IN_KEY = "signed_in"


@dataclass(frozen=True)
class User:
    role: str | None
    branches: tuple[str, ...] | None = None   # None = all branches
    demo: bool = True
    funders: tuple[str, ...] = ()             # a funder user's funders (empty: the whole programme)

    def may_see(self, page: str) -> bool:
        return pages.allowed(self.role, page)

    def allowed_branches(self, branches: list[str]) -> list[str]:
        if self.branches is None:
            return list(branches)
        return [b for b in branches if b in self.branches]


# Organisation sign-in (ui.signin): the role and scope an identity's groups
# claim gives, e.g. ``duo-impact:manager``, ``duo-impact:funder:FundA``,
# ``duo-impact:coordinator:East``.
GROUP_PREFIX = "duo-impact"


def role_from_groups(groups) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """``(role, branches, funders)`` from a groups claim, or None when it names
    no role here. Groups are ``duo-impact:manager``,
    ``duo-impact:coordinator:<branch>`` (one per branch; a coordinator group
    without a branch gives nothing), ``duo-impact:funder`` (the whole
    programme) or ``duo-impact:funder:<funder>`` (one per funder, as the
    funding records name it). Other groups are ignored. An identity in several
    roles' groups gets the broadest: manager, then coordinator (all its
    branches), then funder (all its funders)."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, (list, tuple)):
        return None
    manager, funder = False, False
    branches: list[str] = []
    funders: list[str] = []
    for group in groups:
        if not isinstance(group, str):
            continue
        parts = group.split(":", 2)
        if len(parts) < 2 or parts[0] != GROUP_PREFIX:
            continue
        role, scope = parts[1], (parts[2].strip() if len(parts) == 3 else "")
        if role == MANAGER and not scope:
            manager = True
        elif role == COORDINATOR and scope:
            branches.append(scope)
        elif role == FUNDER:
            funder = True
            if scope:
                funders.append(scope)
    if manager:
        return MANAGER, (), ()
    if branches:
        return COORDINATOR, tuple(dict.fromkeys(branches)), ()
    if funder:
        return FUNDER, (), tuple(dict.fromkeys(funders))
    return None


def signed_in_user() -> User:
    """The user signed in through ui.signin (no role when nobody is)."""
    signed = st.session_state.get(SIGNED_IN_KEY)
    role = signed.get("role") if isinstance(signed, dict) else None
    if role not in ROLES:
        return User(role=None, branches=(), demo=False)
    if role == COORDINATOR:
        return User(role=role, branches=tuple(signed.get("branches") or ()), demo=False)
    if role == FUNDER:
        return User(role=role, demo=False, funders=tuple(signed.get("funders") or ()))
    return User(role=role, demo=False)


def current_user() -> User:
    """Demo mode (the store holds only the sample): the picker's role.
    Otherwise only a signed-in user has a role (fail closed)."""
    if not connection.demo_mode():
        return signed_in_user()
    role = st.session_state.get(ROLE_KEY)
    if role not in ROLES:
        return User(role=None, branches=())
    if role == COORDINATOR:
        return User(role=role, branches=tuple(st.session_state.get(COORDINATOR_BRANCHES_KEY) or ()))
    if role == FUNDER:
        return User(role=role, funders=tuple(st.session_state.get(DEMO_FUNDERS_KEY) or ()))
    return User(role=role)


def pages_for(user: User) -> list[pages.Page]:
    """The pages the user may see, in navigation order (``ui.pages``)."""
    return pages.for_role(user.role)


def require(page: str) -> User:
    """Stop the page unless the session's role may see it (fail closed)."""
    user = current_user()
    if not user.may_see(page):
        st.error(_("This page is not available for your role."))
        st.stop()
    if user.role == COORDINATOR and not user.branches:
        st.error(_("No branch is assigned to you, so there is nothing to show."))
        st.stop()
    return user


def demo_role_picker(container, branches: list[str]) -> User:
    """The demo-mode role picker (no password: the data is the generated sample)."""
    with container:
        st.markdown("**" + _("Demo mode") + "**")
        st.caption(_("The data is a generated sample, not real people. Pick a role to see "
                     "the dashboard as that user would. Real data will require signing in."))
        if st.session_state.get(ROLE_KEY) not in ROLES:
            st.session_state[ROLE_KEY] = MANAGER
        st.radio(_("View as"), ROLES, key=ROLE_KEY,
                 format_func=lambda r: _(ROLE_LABELS[r]),
                 captions=[_(ROLE_HELP[r]) for r in ROLES])
        if st.session_state[ROLE_KEY] == COORDINATOR and branches:
            if st.session_state.get(COORDINATOR_BRANCHES_KEY) is None:
                st.session_state[COORDINATOR_BRANCHES_KEY] = [branches[0]]
            else:
                st.session_state[COORDINATOR_BRANCHES_KEY] = [
                    b for b in st.session_state[COORDINATOR_BRANCHES_KEY] if b in branches]
            st.multiselect(_("Coordinator of branch"), branches, key=COORDINATOR_BRANCHES_KEY)
    return current_user()
