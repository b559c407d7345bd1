"""Small-cell suppression (handbook, "Funder output"): property tests over
random tables, and several splits of one total (hand-worked and by property).
Single values and hand-worked tables are in test_suppression_values.py.

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
