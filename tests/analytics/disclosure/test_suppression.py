"""Small-cell suppression (handbook, "Funder output"): hand-worked values and
tables, and property tests over random tables.

The property tests check the result with two oracles that share no code with
the module: a reader doing subtraction line by line (repeatedly solving any
line with one unknown), and the null space of the hidden cells' equations
(a hidden cell is safe when some change of the hidden cells that keeps every
total moves it).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# ====================================================================== properties
def _hidden_positions(table: s.SuppressedTable) -> set[tuple[int, int]]:
    r = table.reasons.to_numpy()
    return {(i, j) for i in range(r.shape[0]) for j in range(r.shape[1]) if r[i, j] is not None}


def _equations(n_rows: int, n_cols: int, total_row: bool, total_col: bool):
    """The table's equations as lists of (i, j, coefficient)."""
    eqs = []
    ri, ci = (n_rows - 1 if total_row else None), (n_cols - 1 if total_col else None)
    if ci is not None:
        for i in range(n_rows):
            eqs.append([(i, j, 1) for j in range(n_cols) if j != ci] + [(i, ci, -1)])
    if ri is not None:
        for j in range(n_cols):
            eqs.append([(i, j, 1) for i in range(n_rows) if i != ri] + [(ri, j, -1)])
    return eqs


def _subtraction_reader(eqs, hidden: set) -> set:
    """What a reader works out by subtraction, line after line, until stuck."""
    unknown = set(hidden)
    solved = set()
    changed = True
    while changed:
        changed = False
        for eq in eqs:
            missing = [(i, j) for i, j, _ in eq if (i, j) in unknown]
            if len(missing) == 1:
                unknown.discard(missing[0])
                solved.add(missing[0])
                changed = True
    return solved


def _pinned_by_linear_algebra(eqs, hidden: set) -> set:
    """Hidden cells every null vector of the hidden cells' equations leaves at 0."""
    cells = sorted(hidden)
    if not cells:
        return set()
    index = {c: k for k, c in enumerate(cells)}
    rows = []
    for eq in eqs:
        row = np.zeros(len(cells))
        for i, j, coef in eq:
            if (i, j) in index:
                row[index[(i, j)]] += coef
        rows.append(row)
    matrix = np.array(rows) if rows else np.zeros((1, len(cells)))
    _, sing, vt = np.linalg.svd(matrix)
    rank = int((sing > 1e-9).sum())
    null = vt[rank:]
    return {c for c, k in index.items() if null.shape[0] == 0 or np.all(np.abs(null[:, k]) < 1e-9)}


@st.composite
def tables(draw, one_way: bool = False):
    n_rows = draw(st.integers(1, 5))
    n_cols = 1 if one_way else draw(st.integers(1, 4))
    cells = st.one_of(st.integers(0, 6), st.integers(0, 40))
    inner = pd.DataFrame([[draw(cells) for _ in range(n_cols)] for _ in range(n_rows)],
                         index=[f"r{i}" for i in range(n_rows)], columns=[f"c{j}" for j in range(n_cols)])
    if one_way:
        margins = "rows"
    else:
        margins = draw(st.sampled_from(["both", "rows", "cols", "none"]))
    threshold = draw(st.sampled_from([3, 5, 5, 5, 10]))
    return inner, margins, threshold


def _suppress(inner: pd.DataFrame, margins: str, threshold: int):
    rows, cols = margins in ("both", "rows"), margins in ("both", "cols")
    full = s.add_margins(inner, rows=rows, cols=cols) if margins != "none" else inner
    table = s.suppress_counts(full, threshold, total_row="Total" if rows else None,
                              total_col="Total" if cols else None)
    return full, table, rows, cols


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_property_no_small_count_is_visible(case):
    inner, margins, threshold = case
    full, table, _, _ = _suppress(inner, margins, threshold)
    shown = table.display(lambda v: str(int(v)))
    for r in full.index:
        for c in full.columns:
            v = full.at[r, c]
            if 1 <= v < threshold:
                assert shown.at[r, c] == f"<{threshold}"
            text = shown.at[r, c]
            if text not in (f"<{threshold}", s.HIDDEN):
                assert int(text) == v and not 1 <= int(text) < threshold


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_property_no_hidden_cell_recoverable_from_totals_2d(case):
    inner, margins, threshold = case
    full, table, rows, cols = _suppress(inner, margins, threshold)
    hidden = _hidden_positions(table)
    eqs = _equations(*full.shape, rows, cols)
    assert not _subtraction_reader(eqs, hidden)
    assert not _pinned_by_linear_algebra(eqs, hidden) if eqs else True


@settings(max_examples=200, deadline=None)
@given(tables(one_way=True))
def test_property_no_hidden_cell_recoverable_from_totals_1d(case):
    inner, _, threshold = case
    counts = inner.iloc[:, 0]
    full = pd.concat([counts, pd.Series({"Total": counts.sum()})]).rename("n")
    table = s.suppress_series(full, threshold, total="Total")
    hidden = _hidden_positions(table)
    eqs = _equations(len(full), 1, True, False)
    assert not _subtraction_reader(eqs, hidden)
    assert not _pinned_by_linear_algebra(eqs, hidden)
    # a line with a hidden cell holds at least two
    assert len(hidden) != 1


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.sampled_from([3, 5, 10]))
def test_property_a_shown_rate_never_gives_a_small_count_back(a, b, threshold):
    num, den = min(a, b), max(a, b)
    cell = s.rate(num, den, threshold)
    if cell.value is not None:
        assert den >= threshold
        assert not 1 <= num < threshold
        assert not 1 <= den - num < threshold
        assert math.isclose(cell.value, num / den)


# ====================================================================== several splits of one total
def test_keep_prefers_cells_not_published_elsewhere():
    counts = pd.Series({"F": 3, "M": 7, "X": 8, "Total": 18}, name="n")
    plain = s.suppress_series(counts, total="Total")
    assert plain.flags().set_index("row")["reason"].to_dict() == {"F": s.SMALL_COUNT, "M": s.SECONDARY}
    kept = s.suppress_counts(counts.to_frame(), total_row="Total", keep={("M", "n")})
    assert kept.flags().set_index("row")["reason"].to_dict() == {"F": s.SMALL_COUNT, "X": s.SECONDARY}


def test_hide_carries_a_cell_hidden_elsewhere():
    # the headline hid "not positive" (secondary); the breakdown's total row must too
    frame = pd.DataFrame({"positive": [6, 5, 11], "not_positive": [6, 7, 13], "duos": [12, 12, 24]},
                         index=["F", "M", "Total"])
    table = s.suppress_counts(frame, total_row="Total", partitions=[(["positive", "not_positive"], "duos")],
                              hide={("Total", "not_positive"): s.SECONDARY})
    assert table.is_hidden("Total", "not_positive")
    hidden = {(r, c) for r, c, _ in table.flags().itertuples(index=False)}
    assert len(hidden) >= 2
    assert not s.recoverable(s.table_lines(frame, total_row="Total",
                                           partitions=[(["positive", "not_positive"], "duos")]), hidden)


def test_two_rates_over_one_denominator_hand_worked():
    # positive 12 of 20 (complement 8), job 17 of 20 (complement 3): the job
    # complement is small, so job (17) must go too or the denominator; 17 is
    # the smaller visible cell of its line.
    frame = pd.DataFrame({"positive": [12], "not_positive": [8], "job": [17], "not_job": [3], "duos": [20]},
                         index=["all"])
    table = s.suppress_counts(frame, partitions=[(["positive", "not_positive"], "duos"),
                                                 (["job", "not_job"], "duos")])
    assert table.flags().set_index("column")["reason"].to_dict() == {"job": s.SECONDARY,
                                                                      "not_job": s.SMALL_COUNT}
    assert s.derived_rate(table, "all", ["positive"], "duos").value == pytest.approx(0.6)
    assert s.derived_rate(table, "all", ["job"], "duos").hidden


@st.composite
def outcome_tables(draw):
    n = draw(st.integers(1, 5))
    rows = []
    for _ in range(n):
        duos = draw(st.integers(0, 30))
        positive = draw(st.integers(0, duos))
        job = draw(st.integers(0, positive))
        rows.append([positive, duos - positive, job, duos - job, duos])
    frame = pd.DataFrame(rows, index=[f"g{i}" for i in range(n)],
                         columns=["positive", "not_positive", "job", "not_job", "duos"])
    frame.loc["Total"] = frame.sum()
    return frame, draw(st.sampled_from([3, 5, 10]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outcome_tables())
def test_property_two_splits_with_totals_leave_nothing_recoverable(case):
    frame, threshold = case
    table = s.suppress_counts(frame, threshold, total_row="Total",
                              partitions=[(["positive", "not_positive"], "duos"), (["job", "not_job"], "duos")])
    n_rows = len(frame)
    col = {c: j for j, c in enumerate(frame.columns)}
    eqs = []  # written out by hand, independently of table_lines
    for i in range(n_rows):
        for a, b in (("positive", "not_positive"), ("job", "not_job")):
            eqs.append([(i, col[a], 1), (i, col[b], 1), (i, col["duos"], -1)])
    for j in range(len(frame.columns)):
        eqs.append([(i, j, 1) for i in range(n_rows - 1)] + [(n_rows - 1, j, -1)])
    hidden = _hidden_positions(table)
    assert not _subtraction_reader(eqs, hidden)
    assert not _pinned_by_linear_algebra(eqs, hidden)
    shown = table.display(lambda v: str(int(v)))
    for r in frame.index:
        for c in frame.columns:
            if shown.at[r, c] not in (f"<{threshold}", s.HIDDEN):
                assert not 1 <= int(shown.at[r, c]) < threshold
