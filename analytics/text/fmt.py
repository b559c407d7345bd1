"""The one place where numbers, rates, money and dates become text (Babel).

Every figure the interface shows goes through these functions, in the locale
of the session's language (``en``, ``fr_BE``, ``nl_BE``). A missing value
(``None``/NaN: "not available", e.g. a rate whose denominator is 0) is shown as
an em dash, never as 0.
"""
from __future__ import annotations

import copy
import math
from functools import lru_cache
from datetime import date, datetime
from numbers import Number

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern

from analytics.text.i18n import _, current_locale

MISSING = "—"


def is_missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return isinstance(x, float) and math.isnan(x)
    except TypeError:  # pragma: no cover
        return False


@lru_cache(maxsize=256)
def _pattern_cached(kind: str, decimals: int, locale_name: str) -> NumberPattern:
    return _pattern_uncached(kind, decimals, Locale.parse(locale_name))


def _pattern(kind: str, decimals: int, locale: Locale) -> NumberPattern:
    """A copy of the locale's pattern with ``decimals`` fraction digits (cached)."""
    return copy.copy(_pattern_cached(kind, decimals, str(locale)))


def _pattern_uncached(kind: str, decimals: int, locale: Locale) -> NumberPattern:
    if kind == "currency":
        base = locale.currency_formats["standard"]
    elif kind == "percent":
        base = locale.percent_formats[None]
    else:
        base = locale.decimal_formats[None]
    pattern = copy.copy(base)
    pattern.frac_prec = (decimals, decimals)
    return pattern


@lru_cache(maxsize=32)
def _parse(name: str) -> Locale:
    return Locale.parse(name)


def _loc(locale: Locale | str | None) -> Locale:
    if locale is None:
        return current_locale()
    return _parse(locale) if isinstance(locale, str) else locale


def number(x: object, decimals: int = 0, locale: Locale | str | None = None) -> str:
    """1234.5 -> '1,235' (en), '1 235' (fr_BE), '1.235' (nl_BE)."""
    if is_missing(x):
        return MISSING
    loc = _loc(locale)
    return _pattern("decimal", decimals, loc).apply(float(x), loc)


def decimal(x: object, max_decimals: int = 2, locale: Locale | str | None = None) -> str:
    """Up to ``max_decimals`` decimals, no trailing zeros: 1.75 -> '1.75', 2.0 -> '2'."""
    if is_missing(x):
        return MISSING
    loc = _loc(locale)
    pattern = _pattern("decimal", 0, loc)
    pattern.frac_prec = (0, max_decimals)
    return pattern.apply(float(x), loc)


def integer(x: object, locale: Locale | str | None = None) -> str:
    return number(x, 0, locale)


def percent(rate: object, decimals: int = 0, locale: Locale | str | None = None) -> str:
    """A rate in [0, 1] as a percentage: 0.4286 -> '43%' ('43 %' in fr_BE)."""
    if is_missing(rate):
        return MISSING
    loc = _loc(locale)
    return _pattern("percent", decimals, loc).apply(float(rate), loc)


def money(amount: object, decimals: int = 2, locale: Locale | str | None = None) -> str:
    """An amount in euros, to the cent unless told: '€1,234.50' (en),
    '1 234,50 €' (fr_BE), '€ 1.234,50' (nl_BE)."""
    if is_missing(amount):
        return MISSING
    loc = _loc(locale)
    return _pattern("currency", decimals, loc).apply(
        float(amount), loc, currency="EUR", currency_digits=False
    )


def day(d: object, style: str = "medium", locale: Locale | str | None = None) -> str:
    """A date: 'Jun 30, 2024' (en), '30 juin 2024' (fr_BE), '30 jun 2024' (nl_BE)."""
    if is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if isinstance(d, datetime):
        d = d.date()
    if hasattr(d, "date") and not isinstance(d, date):  # pandas Timestamp
        d = d.date()
    return _format_date(d, style, str(_loc(locale)))


@lru_cache(maxsize=4096)
def _format_date(d: date, style: str, locale_name: str) -> str:
    return format_date(d, style, locale=_parse(locale_name))


def month(d: object, locale: Locale | str | None = None) -> str:
    """'Jun 2024' / 'juin 2024' / 'jun 2024'."""
    if is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if hasattr(d, "date") and not isinstance(d, date):
        d = d.date()
    return format_date(d, "MMM yyyy", locale=_loc(locale))


def date_range(start: object, end: object, locale: Locale | str | None = None) -> str:
    return _("{start} – {end}").format(start=day(start, locale=locale), end=day(end, locale=locale))


# ---------------------------------------------------------------- by unit
# Units of analytics.engine.registry's indicators. Unknown units fall back to a plain
# number with two decimals.

# The digits each unit is shown with (the handbook's "Numbers and rounding"
# prints this table): money to the cent, a rate as a whole percentage.
UNIT_DIGITS = {"count": 0, "rate": 0, "ratio": 1, "days": 0, "hours": 1, "score": 1, "eur": 2, "index": 2}


def value(x: object, unit: str | None, locale: Locale | str | None = None) -> str:
    """An indicator value formatted for its registry unit."""
    if is_missing(x):
        return MISSING
    u = (unit or "").lower()
    if u == "growth":
        return signed_percent(x, locale)
    if u in {"count", "people", "duos", "mentees", "mentors", "integer"}:
        return integer(x, locale)
    if u in {"rate", "share", "percent", "proportion"}:
        return percent(x, UNIT_DIGITS["rate"], locale)
    if u in {"eur", "euro", "euros", "money"}:
        return money(x, UNIT_DIGITS["eur"], locale)
    if u in {"days", "day"}:
        return _("{n} days").format(n=number(x, UNIT_DIGITS["days"], locale))
    if u in {"hours", "hours_per_week", "hours/week"}:
        return _("{n} h/week").format(n=number(x, UNIT_DIGITS["hours"], locale))
    if u in {"score", "satisfaction", "mean_1_5"}:
        return _("{n} / 5").format(n=number(x, UNIT_DIGITS["score"], locale))
    if u in {"ratio", "duos_per_fte", "index", "hhi"}:
        return number(x, UNIT_DIGITS["index" if u in {"index", "hhi"} else "ratio"], locale)
    if isinstance(x, Number):
        return number(x, 0 if float(x).is_integer() else 2, locale)
    return str(x)


def is_rate(unit: str | None) -> bool:
    return (unit or "").lower() in {"rate", "share", "percent", "proportion"}


def change(current: object, previous: object, unit: str | None,
           locale: Locale | str | None = None) -> str | None:
    """The change from ``previous`` to ``current`` as shown beside a tile.

    Rates change in percentage points ('+4.2 pts'); other figures by their
    difference in their own unit ('+12', '-€35'). ``None`` when either side is
    missing (no comparison is better than a wrong one).
    """
    if is_missing(current) or is_missing(previous):
        return None
    diff = float(current) - float(previous)
    loc = _loc(locale)
    # ASCII minus: st.metric colours a delta by its leading "-". A change that
    # rounds to zero where it is shown is "±0", not "-0".
    if is_rate(unit) or (unit or "").lower() == "growth":
        text = number(abs(diff) * 100, 1, loc)
        sign = _sign(diff, text)
        return _("{sign}{n} pts").format(sign=sign, n=text)
    text = value(abs(diff), unit, loc)
    # the sign is read from the number alone: a score's "/ 5" is not a digit of the change
    digits = number(abs(diff), 1, loc) if (unit or "").lower() in {"score", "satisfaction", "mean_1_5"} else text
    return _sign(diff, digits) + text


def _sign(diff: float, shown: str) -> str:
    if diff == 0 or not any(c in "123456789" for c in shown):
        return "±"
    return "+" if diff > 0 else "-"


def signed_percent(ratio: object, locale: Locale | str | None = None) -> str:
    """A relative change (growth rate): 0.25 -> '+25%'."""
    if is_missing(ratio):
        return MISSING
    r = float(ratio)
    text = percent(abs(r), 0, locale)
    return _sign(r, text) + text
