"""The one reach into Streamlit internals (ui/frame.py) still matches Streamlit.

Streamlit 1.67 has no public way to leave the old pages-directory mode before
st.navigation has run; ui.frame flips ``PagesManager.uses_pages_directory``.
If a Streamlit upgrade renames or retypes it, this fails (and deep links to a
page after a server restart would run the page without the frame)."""
from __future__ import annotations

import pytest


def test_pages_manager_still_has_the_class_flag():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager)
    assert PagesManager.uses_pages_directory in (None, True, False)


def test_st_navigation_sets_the_same_flag():
    """st.navigation turns the mode off through the very attribute ui.frame flips."""
    import inspect

    from streamlit.commands import navigation

    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation)


def test_leave_pages_directory_mode_flips_it_and_reruns(monkeypatch):
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from ui import frame

    class Rerun(Exception):
        pass

    def rerun():
        raise Rerun

    monkeypatch.setattr(st, "rerun", rerun)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    with pytest.raises(Rerun):
        frame.leave_pages_directory_mode()
    assert PagesManager.uses_pages_directory is False
    frame.leave_pages_directory_mode()     # off already: nothing to do, no rerun
