"""Period arithmetic of the shared filters (pure functions, no Streamlit run)."""
from datetime import date

from ui import filters


def test_period_bounds():
    a = date(2024, 6, 30)
    assert filters.period_bounds("year", a) == (date(2024, 1, 1), date(2024, 12, 31))
    assert filters.period_bounds("12m", a) == (date(2023, 7, 1), date(2024, 6, 30))
    assert filters.period_bounds("quarter", a, "2024-Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert filters.period_bounds("quarter", a, "2023-Q4") == (date(2023, 10, 1), date(2023, 12, 31))
    assert filters.period_bounds("quarter", a) == (date(2024, 4, 1), date(2024, 6, 30))
    assert filters.period_bounds("custom", a, None, date(2024, 3, 5), date(2024, 2, 1)) == (
        date(2024, 2, 1), date(2024, 3, 5))


def test_leap_day_shifts_to_28_february():
    assert filters.period_bounds("12m", date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))
    assert filters._minus_years(date(2024, 2, 29)) == date(2023, 2, 28)


def test_previous_period_is_the_registry_definition():
    """The filters use analytics.engine.insights.previous_period (one definition):
    the same days one year earlier, [F - 1 year, d - 1 year], d = min(T, A)."""
    a = date(2024, 6, 30)
    # 2024 running on 30 June -> 1 January..30 June 2023
    assert filters.previous_bounds(date(2024, 1, 1), date(2024, 12, 31), a) == (date(2023, 1, 1), date(2023, 6, 30))
    # the second quarter, over on 30 June -> the second quarter of 2023
    assert filters.previous_bounds(date(2024, 4, 1), date(2024, 6, 30), a) == (date(2023, 4, 1), date(2023, 6, 30))
    # 29 February shifts to 28 February
    assert filters.previous_bounds(date(2024, 2, 29), date(2024, 3, 10), a) == (date(2023, 2, 28), date(2023, 3, 10))


def test_quarter_options_newest_first():
    opts = filters.quarter_options(date(2024, 5, 1), years_back=2)
    assert opts[0] == "2024-Q2"
    assert opts[1] == "2024-Q1"
    assert opts[2] == "2023-Q4"
    assert len(opts) == 8
