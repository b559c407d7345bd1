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
