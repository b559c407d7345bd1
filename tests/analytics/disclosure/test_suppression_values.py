"""Small-cell suppression (handbook, "Funder output"), worked by hand: single
values (counts, rates, statistics, the threshold), one- and two-way tables,
and personal data (individual donors, the columns never in funder output).
Property tests over random tables are in test_suppression_properties.py.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.disclosure import suppression as s


# ====================================================================== values
@pytest.mark.parametrize("n, threshold, value, mark", [
    (0, 5, 0, None),
    (1, 5, None, "<5"),
    (4, 5, None, "<5"),
    (5, 5, 5, None),
    (123, 5, 123, None),
    (9, 10, None, "<10"),
    (10, 10, 10, None),
    (2, 3, None, "<3"),
    (3, 3, 3, None),
])
def test_count(n, threshold, value, mark):
    cell = s.count(n, threshold)
    assert cell.value == value
    assert cell.mark == mark
    assert cell.hidden == (mark is not None)
    if mark:
        assert cell.reason == s.SMALL_COUNT


def test_count_missing_is_not_available_not_hidden():
    cell = s.count(None)
    assert cell.value is None and not cell.hidden and not cell.available


@pytest.mark.parametrize("num, den, threshold, reason, value", [
    (0, 0, 5, None, None),                      # no denominator: not available
    (0, 4, 5, s.SMALL_DENOMINATOR, None),
    (4, 4, 5, s.SMALL_DENOMINATOR, None),
    (0, 5, 5, None, 0.0),                       # 0 is shown, complement 5 is fine
    (5, 5, 5, None, 1.0),                       # complement 0 is fine
    (1, 10, 5, s.SMALL_NUMERATOR, None),
    (4, 20, 5, s.SMALL_NUMERATOR, None),
    (9, 10, 5, s.SMALL_COMPLEMENT, None),
    (16, 20, 5, s.SMALL_COMPLEMENT, None),
    (5, 10, 5, None, 0.5),
    (15, 20, 5, None, 0.75),
    (2, 10, 3, s.SMALL_NUMERATOR, None),        # threshold 3
    (3, 10, 3, None, 0.3),
    (3, 9, 10, s.SMALL_DENOMINATOR, None),      # threshold 10
])
def test_rate(num, den, threshold, reason, value):
    cell = s.rate(num, den, threshold)
    assert cell.reason == reason
    assert cell.value == value
    if reason:
        assert cell.mark == s.HIDDEN


def test_rate_with_unknown_numerator_fails_closed():
    assert s.rate(None, 20).hidden


def test_rate_rejects_impossible_numerator():
    with pytest.raises(ValueError):
        s.rate(6, 5)


@pytest.mark.parametrize("value, n, hidden", [
    (31.0, 4, True), (31.0, 5, False), (625.0, 100, False), (3.2, 0, True), (3.2, None, True),
])
def test_statistic(value, n, hidden):
    cell = s.statistic(value, n)
    assert cell.hidden is hidden
    assert cell.value == (None if hidden else value)
    if hidden:
        assert cell.reason == s.FEW_PEOPLE


def test_statistic_of_nothing_is_not_available():
    assert not s.statistic(None, 100).available


@pytest.mark.parametrize("bad", [0, -1, 2.5, "5"])
def test_threshold_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError):
        s.count(3, bad)


def test_threshold_is_configurable():
    assert s.count(7, threshold=10).mark == "<10"
    assert s.count(7, threshold=5).value == 7
    assert s.rate(7, 20, threshold=10).reason == s.SMALL_NUMERATOR


# ====================================================================== tables, hand-worked
def test_one_way_table_hides_the_next_smallest_cell():
    # F 3, M 10, X 0, total 13: F alone would be 13 − 10 − 0 = 3, so M (the
    # smallest non-zero visible cell of the line) is hidden too; 0 stays.
    counts = pd.Series({"F": 3, "M": 10, "X": 0, "Total": 13}, name="duos")
    table = s.suppress_series(counts, total="Total")
    assert list(table.display()["duos"]) == ["<5", "*", "0", "13"]
    assert dict(zip(table.flags()["row"], table.flags()["reason"])) == {"F": s.SMALL_COUNT, "M": s.SECONDARY}


def test_one_way_table_with_two_small_cells_needs_nothing_more():
    counts = pd.Series({"a": 2, "b": 3, "c": 20, "Total": 25}, name="n")
    table = s.suppress_series(counts, total="Total")
    assert list(table.display()["n"]) == ["<5", "<5", "20", "25"]
    assert table.hidden_count == 2


def test_one_way_table_whose_total_is_small():
    counts = pd.Series({"a": 1, "b": 2, "c": 0, "Total": 3}, name="n")
    table = s.suppress_series(counts, total="Total")
    assert list(table.display()["n"]) == ["<5", "<5", "0", "<5"]


def test_one_way_table_without_a_total_gets_primary_suppression_only():
    table = s.suppress_series(pd.Series({"a": 3, "b": 10}, name="n"))
    assert list(table.display()["n"]) == ["<5", "10"]


def test_two_way_table_hand_worked():
    # job / other positive / not positive by gender, with margins.
    #            job other none | Total
    #   F          3     6    9 |    18
    #   M         10     8   12 |    30
    #   X          7     2   20 |    29
    #   Total     20    16   41 |    77
    # Primary: F·job 3 and X·other 2. F·job is then recoverable from row F
    # and column job. No single cell protects it from both; the smallest
    # inner cell of its lines is F·other 6. Then X·job 7 closes the cycle
    # F·job – F·other – X·other – X·job: every line holds two hidden cells
    # and the four hidden cells can all move by ±k without changing a total.
    inner = pd.DataFrame({"job": [3, 10, 7], "other": [6, 8, 2], "none": [9, 12, 20]},
                         index=["F", "M", "X"])
    table = s.suppress_counts(s.add_margins(inner), total_row="Total", total_col="Total")
    expected = pd.DataFrame(
        [["<5", "*", "9", "18"], ["10", "8", "12", "30"], ["*", "<5", "20", "29"], ["20", "16", "41", "77"]],
        index=["F", "M", "X", "Total"], columns=["job", "other", "none", "Total"])
    pd.testing.assert_frame_equal(table.display(), expected, check_dtype=False)
    flags = {(r, c): why for r, c, why in table.flags().itertuples(index=False)}
    assert flags == {("F", "job"): s.SMALL_COUNT, ("F", "other"): s.SECONDARY,
                     ("X", "job"): s.SECONDARY, ("X", "other"): s.SMALL_COUNT}


def test_two_way_table_with_one_row_hides_the_matching_total():
    # a single row: the total row repeats it, so a hidden cell needs its total hidden too
    inner = pd.DataFrame({"yes": [3], "no": [12]}, index=["East"])
    table = s.suppress_counts(s.add_margins(inner), total_row="Total", total_col="Total")
    shown = table.display()
    assert shown.at["East", "yes"] == "<5" and shown.at["Total", "yes"] == "<5"
    hidden = {(r, c) for r, c, _ in table.flags().itertuples(index=False)}
    assert not s.recoverable(s.table_lines(table.values, total_row="Total", total_col="Total"), hidden)


def test_values_of_hidden_cells_are_gone_from_the_frame():
    inner = pd.DataFrame({"a": [3, 9], "b": [8, 6]}, index=["x", "y"])
    table = s.suppress_counts(s.add_margins(inner), total_row="Total", total_col="Total")
    assert table.values.isna().sum().sum() == table.hidden_count
    assert table.cell("x", "a").value is None and table.cell("x", "a").mark == "<5"


def test_derived_rate_is_hidden_when_a_cell_behind_it_is():
    inner = pd.DataFrame({"job": [3, 10, 7], "other": [6, 8, 2], "none": [9, 12, 20]},
                         index=["F", "M", "X"])
    table = s.suppress_counts(s.add_margins(inner), total_row="Total", total_col="Total")
    assert s.derived_rate(table, "M", ["job"], "Total").value == pytest.approx(10 / 30)
    assert s.derived_rate(table, "M", ["job", "other"], "Total").value == pytest.approx(18 / 30)
    assert s.derived_rate(table, "X", ["job"], "Total").reason == s.FROM_HIDDEN
    assert s.derived_rate(table, "Total", ["job", "other"], "Total").value == pytest.approx(36 / 77)


# ====================================================================== personal data
def test_individual_donors_are_grouped():
    funding = pd.DataFrame({
        "funder": ["FundA", "Jane Doe", "John Roe", "CityX", "FundA"],
        "funder_type": ["foundation", "individual", "Individual", "public", "foundation"],
        "amount_eur": [1000.0, 50.0, 70.0, 300.0, 500.0],
    })
    grouped = s.group_individual_donors(funding)
    assert list(grouped["funder"]) == ["FundA", "CityX", "individual donors"]
    assert list(grouped["amount_eur"]) == [1500.0, 300.0, 120.0]
    assert s.funder_label("Jane Doe", "individual") == "individual donors"
    assert s.funder_label("CityX", "public") == "CityX"


def test_never_in_funder_output_lists_the_personal_columns():
    flat = {c for cols in s.NEVER_IN_FUNDER_OUTPUT.values() for c in cols}
    assert {"first_name", "birth_date", "note", "mentee_id", "mentor_id", "duo_id", "funder"} <= flat
