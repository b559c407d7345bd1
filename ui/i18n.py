"""The dashboard's side of translation: the session's language.

The translation function ``_()`` and the catalogs live in ``analytics.text.i18n``
(the funder report and the command line use them too); this module tells
them which language the current browser session speaks. The language lives
in ``st.session_state`` under ``LANG_KEY`` (a widget bound to the URL query
string, see ``ui.filters``); its default is the browser's language.
"""
from __future__ import annotations

from analytics.text.i18n import (  # noqa: F401  (re-exported for the pages)
    DEFAULT_LANGUAGE, DOMAIN, LANGUAGE_NAMES, LANGUAGES, LOCALES_DIR, N_, _, current_language,
    current_locale, ngettext, normalise_language, set_language_provider, translations, use_language,
)

LANG_KEY = "lang"


def browser_language() -> str:
    """The browser's language (``st.context.locale``) if we have it, else English."""
    try:
        import streamlit as st

        return normalise_language(st.context.locale) or DEFAULT_LANGUAGE
    except Exception:  # outside a run, or no browser context
        return DEFAULT_LANGUAGE


def session_language() -> str | None:
    """The language chosen in this browser session, or None outside a run."""
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is not None:
            return normalise_language(st.session_state.get(LANG_KEY))
    except Exception:
        pass
    return None


set_language_provider(session_language)
