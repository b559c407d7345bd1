"""The one reach into Streamlit's internals: leaving the old pages-directory mode.

Until ``st.navigation`` has run once in a server process, Streamlit treats a
``pages/`` folder beside app.py as the old multipage mode: a deep link that
is a fresh server's first request (a bookmark to /quality after a restart)
runs the page file alone, without the frame (language, sign-in, navigation
per role). Streamlit 1.67 has no public switch for this (no config option;
``st.navigation`` itself sets the same class attribute), so it is flipped
here, and tests/test_ui_frame.py fails when Streamlit changes it.
"""
from __future__ import annotations

import streamlit as st


def leave_pages_directory_mode() -> None:
    """If Streamlit still runs pages/ files on their own, stop that and rerun:
    app.py then builds the navigation and runs the page asked for."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
