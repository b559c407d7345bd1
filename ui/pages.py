"""The one table of the dashboard's pages: which pages exist, what they are
called, where they sit in the navigation, which filters they use, and which
roles may see them.

``app.py`` builds ``st.navigation`` from it, ``ui.auth`` answers "may this
user see this page" from it (the navigation per role, and every page's own
check, ``ui.auth.require``), and the sign-in page is described here too. To
add a page: a row here and its file ``pages/<key>.py``.

Titles and sections are msgids (``N_``), translated where shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import N_

MANAGER, COORDINATOR, FUNDER = "manager", "coordinator", "funder"
ROLES: tuple[str, ...] = (MANAGER, COORDINATOR, FUNDER)


@dataclass(frozen=True)
class Page:
    key: str                      # url path, and the file pages/<key>.py
    title: str                    # msgid
    icon: str
    roles: frozenset[str]         # who may see it
    section: str                  # msgid of its navigation section
    uses_period: bool             # the period filter (else the as-of date and branches only)
    uses_filters: bool = True     # the shared filters at all (in the sidebar, and the scope under the title)

    @property
    def module(self) -> str:
        return f"pages/{self.key}.py"


# In navigation order; sections in the order they first appear.
PAGES: tuple[Page, ...] = (
    Page("overview", N_("Overview"), ":material/dashboard:", frozenset({MANAGER, FUNDER}),
         N_("Programme"), uses_period=True),
    # Growth is open to funders: their view is the suppressed growth series of
    # fixed reporting periods (analytics.report.funder_series, ui.funder_growth).
    # Quality and outcomes show series and distributions whose small cells
    # cannot be suppressed yet: managers only until they can, so funders get
    # the overview (suppressed tiles) and the impact report, built for them.
    Page("growth", N_("Growth"), ":material/trending_up:", frozenset({MANAGER, FUNDER}),
         N_("Programme"), uses_period=True),
    Page("quality", N_("Quality of service"), ":material/verified:", frozenset({MANAGER}),
         N_("Programme"), uses_period=True),
    Page("outcomes", N_("Outcomes and costs"), ":material/work:", frozenset({MANAGER}),
         N_("Programme"), uses_period=True),
    Page("your_funding", N_("Your funding"), ":material/volunteer_activism:", frozenset({MANAGER, FUNDER}),
         N_("Programme"), uses_period=False, uses_filters=False),
    Page("impact_report", N_("Impact report"), ":material/summarize:", frozenset({MANAGER, FUNDER}),
         N_("Reports"), uses_period=True),
    Page("at_risk", N_("At-risk duos"), ":material/notification_important:", frozenset({MANAGER, COORDINATOR}),
         N_("Follow-up"), uses_period=False),
    Page("matching", N_("Matching assistant"), ":material/handshake:", frozenset({MANAGER, COORDINATOR}),
         N_("Follow-up"), uses_period=False),
    Page("data", N_("Data"), ":material/upload_file:", frozenset({MANAGER}),
         N_("Records"), uses_period=False, uses_filters=False),
)
BY_KEY: dict[str, Page] = {p.key: p for p in PAGES}

# The only page while nobody is signed in (real data): ui.signin.page, not a file.
SIGN_IN = Page("signin", N_("Sign in"), ":material/login:", frozenset(), "", uses_period=False,
               uses_filters=False)


def page(key: str) -> Page | None:
    return BY_KEY.get(key)


def allowed(role: str | None, key: str) -> bool:
    """May ``role`` see page ``key``? (Unknown pages and no role: no.)"""
    p = BY_KEY.get(key)
    return p is not None and role in p.roles


def for_role(role: str | None) -> list[Page]:
    """The pages ``role`` may see, in navigation order."""
    return [p for p in PAGES if role in p.roles]


def sections(pages: list[Page]) -> dict[str, list[Page]]:
    """``pages`` grouped by section msgid, sections in table order."""
    out: dict[str, list[Page]] = {}
    for p in pages:
        out.setdefault(p.section, []).append(p)
    return out
