"""Duo Impact dashboard — the frame around every page.

    streamlit run app.py

Page config, language, first-run import of the sample, the role (demo picker
or sign-in, ui/signin.py), the navigation built for that role, the shared filters, then the
page. Pages live in pages/; what they share lives in ui/.
"""
from __future__ import annotations

import streamlit as st

from ui import auth, data, filters, signin
from ui.i18n import _

st.set_page_config(page_title="Duo Impact", page_icon=":material/handshake:", layout="wide",
                   initial_sidebar_state="expanded")

# Sidebar layout: filters and role first, language at the bottom; filled in
# the order the run needs them (language first: everything else is translated).
sb_filters = st.sidebar.container()
sb_role = st.sidebar.container()
sb_lang = st.sidebar.container()

filters.language_switch(sb_lang)
data.ensure_data()
# Demo mode (sample only): the role picker. Real data: the signed-in user, and
# while nobody is, the sign-in page is the only page registered.
user = signin.gate(sb_role)
if user.role is None:
    st.navigation([st.Page(signin.page, title=_("Sign in"), icon=":material/login:", url_path="signin",
                           default=True)]).run()
    st.stop()

PAGES = {
    "overview": (_("Overview"), ":material/dashboard:"),
    "growth": (_("Growth"), ":material/trending_up:"),
    "quality": (_("Quality of service"), ":material/verified:"),
    "outcomes": (_("Outcomes and costs"), ":material/work:"),
    "impact_report": (_("Impact report"), ":material/summarize:"),
    "at_risk": (_("At-risk duos"), ":material/notification_important:"),
    "data": (_("Data"), ":material/upload_file:"),
}
SECTIONS = {
    _("Programme"): ("overview", "growth", "quality", "outcomes"),
    _("Reports"): ("impact_report",),
    _("Follow-up"): ("at_risk",),
    _("Records"): ("data",),
}
# Pages that use the period filter (the others use the as-of date and branches only).
USES_PERIOD = {"overview", "growth", "quality", "outcomes", "impact_report"}

allowed = auth.pages_for(user)
nav: dict[str, list] = {}
page_objects = {}
for section, keys in SECTIONS.items():
    for key in keys:
        if key in allowed:
            title, icon = PAGES[key]
            page_objects[key] = st.Page(f"pages/{key}.py", title=title, icon=icon, url_path=key,
                                        default=(key == allowed[0]))
            nav.setdefault(section, []).append(page_objects[key])

current = st.navigation(nav)
current_key = next((k for k, p in page_objects.items() if p.url_path == current.url_path), None)
if current_key != "data":
    filters.sidebar(sb_filters, user, period=current_key in USES_PERIOD)
st.sidebar.caption(_("Duo Impact · open-source impact analytics for mentoring programmes"))
current.run()
