"""The one formatter: numbers, rates, money and dates per locale (Babel)."""
from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_currency

from ui import fmt
from ui.i18n import use_language


@pytest.fixture(autouse=True)
def english():
    use_language("en")
    yield
    use_language("en")


@pytest.mark.parametrize("locale, expected", [
    ("en", "€1,234.50"),
    ("fr_BE", "1\u202f234,50\u00a0€"),
    ("nl_BE", "€\u00a01.234,50"),
])
def test_money_follows_the_locale(locale, expected):
    assert fmt.money(1234.5, 2, locale=locale) == expected
    assert fmt.money(1234.5, 2, locale=locale) == format_currency(1234.5, "EUR", locale=locale)


def test_euros_to_the_cent_and_rates():
    # money is shown to the cent (the handbook's "Numbers and rounding"); 571.4285714 -> 571.43
    assert fmt.money(571.4285714, locale="en") == "€571.43"
    assert fmt.money(571.4285714, locale="fr_BE") == "571,43\u00a0€"
    assert fmt.money(571.4285714, 0, locale="en") == "€571"
    assert fmt.percent(0.42857, locale="en") == "43%"
    assert fmt.percent(0.42857, 1, locale="fr_BE") == "42,9\u00a0%"
    assert fmt.number(1234.5, 1, locale="nl_BE") == "1.234,5"


def test_dates():
    d = date(2024, 6, 30)
    for locale in ("en", "fr_BE", "nl_BE"):
        assert fmt.day(d, locale=locale) == format_date(d, "medium", locale=locale)
    assert fmt.day("2024-06-30", locale="fr_BE") == "30 juin 2024"


def test_language_sets_the_locale():
    use_language("fr")
    assert fmt.money(1234.5, 2) == "1\u202f234,50\u00a0€"
    use_language("nl")
    assert fmt.money(1234.5, 2) == "€\u00a01.234,50"


def test_missing_is_a_dash_never_zero():
    assert fmt.value(None, "rate") == fmt.MISSING
    assert fmt.value(float("nan"), "eur") == fmt.MISSING
    assert fmt.change(None, 3, "count") is None
    assert fmt.change(3, None, "count") is None


def test_values_by_unit():
    assert fmt.value(7, "count") == "7"
    assert fmt.value(0.6666, "rate") == "67%"
    assert fmt.value(571.43, "eur") == "€571.43"
    assert fmt.value(31, "days") == "31 days"
    assert fmt.value(2.0, "growth") == "+200%"
    assert fmt.value(-0.25, "growth") == "-25%"
    assert fmt.value(0.58, "index") == "0.58"


def test_changes():
    assert fmt.change(0.5, 0.45, "rate") == "+5.0 pts"
    assert fmt.change(3, 5, "count") == "-2"       # ASCII minus: st.metric colours it red
    assert fmt.change(571.4, 600, "eur") == "-€28.60"  # 600 - 571.40
    assert fmt.change(4, 4, "count").startswith("±")
