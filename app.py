"""Duo Impact dashboard — the frame around every page.

    streamlit run app.py

Page config, language, first-run import of the sample, the role (demo picker
or sign-in, ui/signin.py), the navigation built for that role, the shared filters, then the
page. Pages live in pages/; what they share lives in ui/.
"""
from __future__ import annotations

import streamlit as st

from ui import auth, connection, filters, pages, signin
from ui.i18n import _

st.set_page_config(page_title="Duo Impact", page_icon=":material/handshake:", layout="wide",
                   initial_sidebar_state="expanded")

# Sidebar layout: filters and role first, language at the bottom; filled in
# the order the run needs them (language first: everything else is translated).
sb_filters = st.sidebar.container()
sb_role = st.sidebar.container()
sb_lang = st.sidebar.container()

filters.language_switch(sb_lang)
connection.ensure_data()
# Demo mode (sample only): the role picker. Real data: the signed-in user, and
# while nobody is, the sign-in page is the only page registered.
user = signin.gate(sb_role)
if user.role is None:
    st.navigation([st.Page(signin.page, title=_(pages.SIGN_IN.title), icon=pages.SIGN_IN.icon,
                           url_path=pages.SIGN_IN.key, default=True)]).run()
    st.stop()

# The role's pages from the one page table (ui.pages), in its sections and order.
allowed = auth.pages_for(user)
nav: dict[str, list] = {}
registered: dict[str, pages.Page] = {}     # url path -> its row of the table
for section, members in pages.sections(allowed).items():
    for spec in members:
        obj = st.Page(spec.module, title=_(spec.title), icon=spec.icon, url_path=spec.key,
                      default=(spec is allowed[0]))
        registered[obj.url_path] = spec
        nav.setdefault(_(section), []).append(obj)

current = st.navigation(nav)
shown = registered[current.url_path]
if shown.uses_filters:
    filters.sidebar(sb_filters, user, period=shown.uses_period)
st.sidebar.caption(_("Duo Impact · open-source impact analytics for mentoring programmes"))
current.run()
