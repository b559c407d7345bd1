"""The one translation function of the interface, ``_()``, and the language switch.

gettext catalogs live in ``locales/<lang>/LC_MESSAGES/messages.po`` (Babel's
extraction writes ``locales/messages.pot``; see ``locales/README.md``). The
compiled ``.mo`` is made from the ``.po`` with Babel the first time it is
needed when it is missing or older than its ``.po``, so no build step is
needed. A string without a translation falls back to English (the msgid).

The current language is per browser session: it lives in ``st.session_state``
under ``LANG_KEY`` (a widget bound to the URL query string, see
``ui.filters``). Outside a Streamlit run (tests, scripts) it is English unless
``use_language`` set another.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

# Interface language -> Babel locale used for numbers, money and dates.
LANGUAGES: dict[str, str] = {"en": "en", "fr": "fr_BE", "nl": "nl_BE"}
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"
LANG_KEY = "lang"

_compile_lock = threading.Lock()
_fallback_language: str = DEFAULT_LANGUAGE


def _compile_if_needed(po: Path, mo: Path) -> None:
    """Compile ``po`` to ``mo`` with Babel when the .mo is missing or older."""
    if not po.exists():
        return
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    with _compile_lock:
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            return
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo)  # atomic: a concurrent reader sees the old or the new file


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """The gettext catalog of ``lang`` (English: the msgids themselves)."""
    if lang not in LANGUAGES or lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    lc = LOCALES_DIR / lang / "LC_MESSAGES"
    _compile_if_needed(lc / f"{DOMAIN}.po", lc / f"{DOMAIN}.mo")
    loaded = Translations.load(str(LOCALES_DIR), locales=[lang], domain=DOMAIN)
    return loaded if isinstance(loaded, Translations) else NullTranslations()


def normalise_language(value: object) -> str | None:
    """'fr-BE', 'fr_FR', 'FR' -> 'fr'; unknown -> None."""
    if not isinstance(value, str) or not value:
        return None
    code = value.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def browser_language() -> str:
    """The browser's language (``st.context.locale``) if we have it, else English."""
    try:
        import streamlit as st

        return normalise_language(st.context.locale) or DEFAULT_LANGUAGE
    except Exception:  # outside a run, or no browser context
        return DEFAULT_LANGUAGE


def current_language() -> str:
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is not None:
            lang = normalise_language(st.session_state.get(LANG_KEY))
            if lang:
                return lang
    except Exception:
        pass
    return _fallback_language


def use_language(lang: str) -> None:
    """Set the language used outside a Streamlit session (scripts, tests)."""
    global _fallback_language
    _fallback_language = normalise_language(lang) or DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(LANGUAGES[lang])


def current_locale() -> Locale:
    return _locale(current_language())


def _(message: str) -> str:
    """Translate ``message`` into the session's language (English fallback)."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module constants)."""
    return message
