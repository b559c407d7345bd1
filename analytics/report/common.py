"""What every part of the report shares: its error, its languages, and the
one way it translates and formats numbers.

Translation and number formatting come from the interface's gettext catalogs
(``locales/<lang>/LC_MESSAGES/messages.po``, see :mod:`analytics.text.i18n`)
and its Babel formatting (:mod:`analytics.text.fmt`), reached only through
:func:`gettext_for` and :func:`formatter_for`, so the report has no second
dictionary and writes numbers as the dashboard does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from analytics.disclosure.suppression import Cell
from analytics.text import fmt, i18n
from analytics.text.i18n import translations

LANGUAGES: tuple[str, ...] = ("en", "fr", "nl")
MISSING = "—"


class ReportError(ValueError):
    """The report cannot be made as asked (bad language, threshold, baseline…)."""


def N_(message: str) -> str:
    """Marks a module-level string for extraction; translated where used."""
    return message


def gettext_for(lang: str) -> Callable[[str], str]:
    """The gettext function of ``lang``: the project's one set of catalogs
    (locales/<lang>/LC_MESSAGES/messages.po, see ``analytics.text.i18n``); English is the
    msgid itself."""
    return translations(lang).gettext


@dataclass(frozen=True)
class Formatter:
    """Babel formatting in one locale (``analytics.text.fmt`` with an explicit locale)."""

    locale: str

    def number(self, x, decimals: int = 0) -> str:
        return fmt.number(x, decimals, locale=self.locale)

    def percent(self, x, decimals: int = 0) -> str:
        return fmt.percent(x, decimals, locale=self.locale)

    def money(self, x, decimals: int = 2) -> str:
        return fmt.money(x, decimals, locale=self.locale)

    def day(self, d, style: str = "medium") -> str:
        return fmt.day(d, style, locale=self.locale)

    def month(self, d) -> str:
        return fmt.month(d, locale=self.locale)

    def separators(self) -> str:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        return get_decimal_symbol(self.locale) + get_group_symbol(self.locale)

    # a suppressed cell as text
    def count(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.number(v, 0))

    def rate(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.percent(v, 0))

    def eur(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.money(v, 2))  # to the cent

    def index(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.number(v, 2))


def formatter_for(lang: str) -> Formatter:
    """Babel formatting in the locale of the report's language (``fr`` → ``fr_BE``…)."""
    return Formatter(i18n.LANGUAGES[lang])


# ---------------------------------------------------------------- branding
BRANDING_ENV = "DUO_IMPACT_BRANDING"
_COLOUR = __import__("re").compile(r"#[0-9A-Fa-f]{6}")
_LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
LOGO_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Branding:
    """A programme's name, logo and colours on its report (``docs/report.md``, "Branding").

    ``logo`` is a ``data:`` URL (the page loads nothing from the network);
    the colours are ``#rrggbb`` (checked: they go into the page's CSS)."""

    name: str = ""
    logo: str = ""
    primary: str = "#0b3d66"     # titles, figures
    accent: str = "#0072B2"      # rules, borders


DEFAULT_BRANDING = Branding()


def load_branding(path) -> Branding:
    """The branding settings file: JSON ``{"name": "…", "logo": "logo.png",
    "colours": {"primary": "#rrggbb", "accent": "#rrggbb"}}``, every key
    optional; a relative logo path is read beside the file. Raises
    :class:`ReportError` for a file that cannot be used."""
    import base64
    import json
    from pathlib import Path

    path = Path(path)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReportError(f"the branding file {path} cannot be read: {error}") from error
    if not isinstance(settings, dict):
        raise ReportError("the branding file holds one JSON object")
    unknown = set(settings) - {"name", "logo", "colours"}
    if unknown:
        raise ReportError(f"the branding file has unknown keys: {', '.join(sorted(unknown))}")
    name = settings.get("name", "")
    if not isinstance(name, str) or len(name) > 120:
        raise ReportError("the branding name is a text of at most 120 characters")
    colours = settings.get("colours", {}) or {}
    if not isinstance(colours, dict) or set(colours) - {"primary", "accent"}:
        raise ReportError('the branding colours are {"primary": "#rrggbb", "accent": "#rrggbb"}')
    for key, value in colours.items():
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise ReportError(f"the branding colour {key} must be #rrggbb, not {value!r}")
    logo = ""
    if settings.get("logo"):
        logo_path = Path(settings["logo"])
        if not logo_path.is_absolute():
            logo_path = path.parent / logo_path
        kind = _LOGO_TYPES.get(logo_path.suffix.lower())
        if kind is None:
            raise ReportError("the branding logo is a .png, .jpg or .svg file")
        try:
            data = logo_path.read_bytes()
        except OSError as error:
            raise ReportError(f"the branding logo {logo_path} cannot be read: {error}") from error
        if len(data) > LOGO_MAX_BYTES:
            raise ReportError(f"the branding logo is over {LOGO_MAX_BYTES // 1024} KB")
        logo = f"data:{kind};base64," + base64.b64encode(data).decode("ascii")
    return Branding(name=name.strip(), logo=logo, primary=colours.get("primary", DEFAULT_BRANDING.primary),
                    accent=colours.get("accent", DEFAULT_BRANDING.accent))


def branding_from_env() -> Branding | None:
    """The branding of ``$DUO_IMPACT_BRANDING`` (a settings file), or None when it is not set."""
    import os

    path = os.environ.get(BRANDING_ENV)
    return load_branding(path) if path else None
