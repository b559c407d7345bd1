"""The tiles' change and target texts (ui.page): like-for-like changes, a change
that rounds to zero shown as unchanged, targets pro-rated to d for counts and
amounts only. Values worked by hand in each case."""
from __future__ import annotations

import pytest

from ui import page


@pytest.mark.parametrize("change, kind, unit, shown", [
    # a count: 533 against 535 -> 533/535 - 1 = -0.37 % -> rounds to "-0%" at whole percents
    (533 / 535 - 1, "relative", "count", "unchanged"),
    (0.14, "stock_growth", "count", "+14%"),
    # mentor satisfaction 4.02 against 4.04: -0.02 -> "-0.0 / 5" at one decimal -> unchanged
    (-0.02, "difference", "score", "unchanged"),
    (-0.2, "difference", "score", "-0.2 / 5"),
    # a rate: -0.0004 is -0.04 pts -> "0.0 pts" at one decimal -> unchanged; -0.002 -> -0.2 pts
    (-0.0004, "difference", "rate", "unchanged"),
    (-0.002, "difference", "rate", "-0.2 pts"),
    (None, "relative", "count", None),
])
def test_delta_is_unchanged_when_it_rounds_to_zero(change, kind, unit, shown):
    assert page._delta(None, None, change, kind, unit) == shown


def test_target_of_a_count_is_progress_against_the_target_to_date():
    # 533 duos by 30 June against 1,090 for the year: to date 1090 * 181/365 = 540.5 -> "541";
    # progress 533 / 540.5 = 98.6 % -> "99%"
    to_date = 1090 * 181 / 365
    assert page.target_text(533, 1090, to_date, "count", "duos_realized") == \
        "99% of the target to date 541 (full year 1,090)"


@pytest.mark.parametrize("key, unit, value, target, shown", [
    # a rate against its target itself: 49 % vs 72 % -> -23.0 pts
    ("positive_exit_rate", "rate", 0.49, 0.72, "Target 72% · -23.0 pts against target"),
    # a stock on d: not pro-rated, even when a to-date value is given
    ("active_duos", "count", 408, 450, "Target 450 · -42 against target"),
])
def test_target_of_a_rate_or_a_stock_is_not_pro_rated(key, unit, value, target, shown):
    assert page.target_text(value, target, target / 2, unit, key) == shown


def test_no_target_no_caption():
    assert page.target_text(3, None, None, "count", "duos_realized") is None


@pytest.mark.parametrize("last_day, grain, as_of, running", [
    # as of 30 June: the second quarter is over, the year and July are not
    ("2024-06-30", "quarter", "2024-06-30", False),
    ("2024-06-30", "year", "2024-06-30", True),
    ("2024-06-30", "month", "2024-06-30", False),
    ("2024-06-15", "month", "2024-06-15", True),
])
def test_a_bucket_still_running_is_said(last_day, grain, as_of, running):
    from datetime import date

    assert page._bucket_running(date.fromisoformat(last_day), grain, date.fromisoformat(as_of)) is running


def test_a_cohort_still_running_says_so(monkeypatch):
    from datetime import date

    from ui import filters

    monkeypatch.setattr(filters, "current", lambda: filters.Filters(
        date(2026, 6, 30), "year", date(2026, 1, 1), date(2026, 12, 31), (), ()))
    # 474 duos had a first meeting, 96 have ended: 378 still running
    text = page.cohort_in_progress({"funnel_realized": 474, "funnel_ended": 96})
    assert text.startswith("Still in progress on Jun 30, 2026: 378 of the 474 duos")
    assert page.cohort_in_progress({"funnel_realized": 96, "funnel_ended": 96}) is None
