"""Growth over time for funders (analytics.report.funder_series): every view
a funder may choose (year, grain, branch) is a cell of one table suppressed
together; a reader subtracting consecutive points, months from their quarter,
or branches from the programme learns no hidden cell."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.disclosure import suppression as s
from analytics.report import funder_series as fs


@pytest.fixture(scope="module")
def series():
    from analytics.records.importer import open_dataset
    from tests.conftest import TINY

    con, _ = open_dataset(TINY)
    return fs.funder_series(con)


def _cell(series, who, grain, period, measure):
    return series.table.cell((who, grain, period), measure)


def test_exposed_agrees_with_the_rank_test():
    # x + y = T, y + z = U, T, U visible; hide x, y: both pinned? no (y free) -> with z visible, yes
    lines = [([("a", "x"), ("a", "y")], ("a", "T")), ([("a", "y"), ("a", "z")], ("a", "U"))]
    for hidden in ({("a", "x"), ("a", "y")}, {("a", "x"), ("a", "y"), ("a", "z")}, {("a", "x")}):
        assert fs.exposed(lines, hidden) == s.recoverable(lines, hidden)


def test_no_hidden_cell_is_pinned_down_by_any_equation(series):
    hidden = {(r, c) for r in series.table.values.index for c in series.table.values.columns
              if series.table.is_hidden(r, c)}
    assert hidden, "tiny is small: cells are hidden"
    # the equations the views publish, rebuilt from the raw values here (months -> quarters,
    # consecutive cumulative points, branches -> programme), checked with the null-space test
    assert not fs.exposed(_lines(series), hidden)


def _lines(series):
    raw = series.raw
    lines = []
    whos = {k[0] for k in raw}
    months = sorted({k[2] for k in raw if k[1] == "month"})
    quarters = sorted({k[2] for k in raw if k[1] == "quarter"})
    for who in whos:
        for q in quarters:
            parts = [m for m in months if m.year == q.year and q.month <= m.month < q.month + 3]
            for k in fs.FLOWS:
                lines.append(([((who, "month", m), k) for m in parts], ((who, "quarter", q), k)))
        for i, m in enumerate(months[1:], start=1):
            lines.append(([((who, "month", months[i - 1]), "duos_realized_cumulative"),
                           ((who, "month", m), "duos_realized")], ((who, "month", m), "duos_realized_cumulative")))
    for key in [k for k in raw if k[0] == fs.PROGRAMME and k[1] == "month"]:
        for k in fs.MEASURES:
            lines.append(([((b, "month", key[2]), k) for b in whos if b != fs.PROGRAMME], (key, k)))
    return lines


def test_two_consecutive_cumulative_points_never_give_a_hidden_month_back(series):
    months = sorted({r[2] for r in series.table.values.index if r[1] == "month"})
    for who in (fs.PROGRAMME, *series.branches):
        for before, now in zip(months, months[1:]):
            a = _cell(series, who, "month", before, "duos_realized_cumulative")
            b = _cell(series, who, "month", now, "duos_realized_cumulative")
            if not a.hidden and not b.hidden:
                assert not _cell(series, who, "month", now, "duos_realized").hidden


def test_programme_minus_the_other_branches_never_gives_a_hidden_branch_back(series):
    for (who, grain, period) in series.table.values.index:
        if who != fs.PROGRAMME:
            continue
        for k in fs.FLOWS:
            cells = [_cell(series, b, grain, period, k) for b in (*series.branches, fs.OTHER)]
            total = _cell(series, who, grain, period, k)
            hidden = [c for c in cells if c.hidden] + ([total] if total.hidden else [])
            assert len(hidden) != 1, (grain, period, k)


def test_a_quarter_minus_its_other_months_never_gives_a_hidden_month_back(series):
    for (who, grain, period) in series.table.values.index:
        if grain != "quarter":
            continue
        months = [dt.date(period.year, period.month + i, 1) for i in range(3)]
        months = [m for m in months if (who, "month", m) in series.table.values.index]
        for k in fs.FLOWS:
            cells = [_cell(series, who, "month", m, k) for m in months] + [_cell(series, who, grain, period, k)]
            assert sum(c.hidden for c in cells) != 1


def test_points_of_a_stock_are_its_last_months_cell(series):
    quarter_points = series.points("active_duos", "quarter", 2024)
    assert [f for f, _ in quarter_points] == [dt.date(2024, 1, 1), dt.date(2024, 4, 1), dt.date(2024, 7, 1)]
    # Q1's point is March's cell; Q3's is July's (the as-of date, 2024-07-10, is in July)
    assert quarter_points[0][1] == _cell(series, fs.PROGRAMME, "month", dt.date(2024, 3, 1), "active_duos")
    assert quarter_points[2][1] == _cell(series, fs.PROGRAMME, "month", dt.date(2024, 7, 1), "active_duos")
