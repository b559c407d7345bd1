"""Numbers at the edge: the one rounding rule of every figure, and its JSON text.

Inside the engine, money, hours, FTE and targets are exact decimals (the
record format's fixed-point types), and every sum of them is exact. A ratio
(a rate, a mean, cost per duo, caseload per FTE, the HHI, a share) is one
division of exact sums, a DOUBLE in SQL: the same data always gives the same
double, whatever the number of threads or the order of the rows. Each figure
is then rounded once, here, at the edge (the handbook's "Numbers and
rounding"):

- a count stays a whole number;
- an exact sum (money to the cent, hours to the hundredth: ``EXACT_SUMS``) is
  printed at its scale, as it is;
- every other figure — a ratio, cost ratios included — is rounded half-even
  to ``RATIO_PLACES`` (12) decimal places, from the exact value of its double.

``dumps`` writes such values as JSON numbers with their exact decimal text
(``json.dumps`` cannot print a Decimal), so the same figures always give the
same bytes. ``as_float`` gives the rounded value as the nearest float, for
the pages, which show money to the cent and ratios to the registry's digits.
"""
from __future__ import annotations

import json
import math
import re
import secrets
from decimal import ROUND_HALF_EVEN, Decimal

from analytics.records import schema

RATIO_PLACES = 12
_RATIO_QUANTUM = Decimal(1).scaleb(-RATIO_PLACES)

# The figures that are exact sums of record-format decimals, with their scale.
EXACT_SUMS: dict[str, int] = {
    "total_costs_eur": schema.MONEY_SCALE,
    "total_funding_eur": schema.MONEY_SCALE,
    "direct_costs_eur": schema.MONEY_SCALE,
    "central_costs_eur": schema.MONEY_SCALE,
    "amount_eur": schema.MONEY_SCALE,
    "hours_in_window": schema.HOURS_SCALE,
}


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA raises TypeError
    except TypeError:
        return True


def exact_sum(value: object, scale: int) -> Decimal:
    """An exact sum at its scale (a Decimal from SQL, or the float pandas made
    of it: its shortest text is the decimal, well within 15 digits)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return _plain(number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_EVEN))


def ratio(value: object) -> Decimal:
    """A ratio rounded half-even to RATIO_PLACES, from its exact value."""
    number = value if isinstance(value, Decimal) else Decimal(float(value))
    return _plain(number.quantize(_RATIO_QUANTUM, rounding=ROUND_HALF_EVEN))


def _plain(number: Decimal) -> Decimal:
    return abs(number) if number == 0 else number  # no -0


def edge(key: str, value: object) -> object:
    """`value` of the figure `key` rounded by the rule: None when missing, a
    whole number as int, an exact sum at its scale, any other number as a
    ratio (a Decimal either way); anything else as it is."""
    if hasattr(value, "item") and not isinstance(value, Decimal):
        value = value.item()  # numpy scalars
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if _missing(value):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if key in EXACT_SUMS:
            return exact_sum(value, EXACT_SUMS[key])
        return ratio(value)
    return value


def as_float(value: object) -> object:
    """A rounded Decimal as the nearest float (pages compute with floats)."""
    return float(value) if isinstance(value, Decimal) else value


def decimal_text(number: Decimal) -> str:
    """The JSON text of a Decimal: an exact sum with all the decimals of its
    scale (`4999.00`); a ratio (RATIO_PLACES decimals) without trailing zeros
    but with one decimal (`0.25`, `31.0`)."""
    text = format(number, "f")
    if number.as_tuple().exponent != -RATIO_PLACES or "." not in text:
        return text
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def dumps(document: object, **options: object) -> str:
    """``json.dumps`` that writes each Decimal as a JSON number with its exact
    text (decimal_text), so that the same figures always give the same bytes."""
    token = secrets.token_hex(8)
    texts: list[str] = []

    def mark(value: object) -> object:
        if isinstance(value, Decimal):
            texts.append(decimal_text(value))
            return f"\x00{token}:{len(texts) - 1}\x00"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [mark(v) for v in value]
        return value

    marker = re.compile(re.escape(json.dumps(f"\x00{token}:")[:-1]) + r"([0-9]+)\\u0000\"")
    return marker.sub(lambda found: texts[int(found.group(1))], json.dumps(mark(document), **options))
