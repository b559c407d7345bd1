"""The one translation function, ``_()``, and the languages Duo Impact speaks.

gettext catalogs live in ``locales/<lang>/LC_MESSAGES/messages.po`` (Babel's
extraction writes ``locales/messages.pot``; see ``locales/README.md``). The
compiled ``.mo`` is made from the ``.po`` with Babel the first time it is
needed when it is missing or older than its ``.po``, so no build step is
needed. A string without a translation falls back to English (the msgid).

It lives in the library, not in the interface, because the funder report and
the command line speak the same languages as the dashboard. Which language
the current call speaks is asked of a provider: the dashboard registers one
that reads the browser session (``ui.i18n``); scripts and tests use
:func:`use_language`.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Callable
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"

# Interface language -> Babel locale used for numbers, money and dates.
LANGUAGES: dict[str, str] = {"en": "en", "fr": "fr_BE", "nl": "nl_BE"}
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"

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


def _fallback_provider() -> str | None:
    return None


_language_provider: Callable[[], str | None] = _fallback_provider


def set_language_provider(provider: Callable[[], str | None]) -> None:
    """Let the interface say which language the current session speaks.

    The dashboard registers a provider that reads its session state; this
    library never imports streamlit itself. A provider that returns None
    falls back to the language set with :func:`use_language`.
    """
    global _language_provider
    _language_provider = provider


def current_language() -> str:
    return normalise_language(_language_provider()) or _fallback_language


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
