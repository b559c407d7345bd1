"""The funder impact report's figures: small cells suppressed (threshold
configurable), the baseline as a labelled difference, the methodology from the
registry, language and formatting, and periods that are not whole months.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics.engine import query as engine
from analytics import report
from tests.analytics.report.helpers import H1, YEAR


# ====================================================================== suppression in the report
def test_small_counts_show_as_less_than_five(tiny):
    model = report.build(tiny, H1, lang="en")
    fig = {f.key: f for f in model.headline}
    assert fig["duos_realized"].value == "6"              # 6 ≥ 5: shown
    assert fig["beneficiaries_served"].value == "7"
    # three duos ended in H1: every rate over them is hidden, the count is "<5"
    assert fig["completion_rate"].value == "*" and "<5" in fig["completion_rate"].note
    assert fig["positive_exit_rate"].value == "*"
    assert fig["cost_per_positive_exit_eur"].value == "*"
    gender = next(t for t in model.breakdowns if t.key == "outcomes_by_gender")
    counts = [cell for row in gender.rows for cell in row[1:]]
    assert "<5" in counts
    for table in [*model.breakdowns, *(c.table for c in model.charts)]:
        for row in table.rows:
            for cell in row[1:]:
                assert not re.fullmatch(r"[1-4]", cell), f"{table.key}: small count {cell} shown"


def test_threshold_is_configurable(tiny):
    strict = {f.key: f for f in report.build(tiny, H1, threshold=10).headline}
    loose = {f.key: f for f in report.build(tiny, H1, threshold=2).headline}
    assert strict["duos_realized"].value == "<10"
    assert loose["duos_realized"].value == "6"
    assert strict["beneficiaries_served"].value == "<10" and loose["beneficiaries_served"].value == "7"
    assert "<10" in strict["completion_rate"].note


@pytest.mark.parametrize("bad", [0, 1, 2.5, "5", True])
def test_bad_threshold_is_refused(tiny, bad):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, threshold=bad)


def test_visible_figures_of_a_bigger_programme(bigger):
    model = report.build(bigger, YEAR, lang="en")
    fig = {f.key: f for f in model.headline}
    assert fig["duos_realized"].value == "30"
    assert fig["completion_rate"].value == "67%"
    assert fig["positive_exit_rate"].value == "60%"
    assert fig["job_exit_rate"].value == "40%" and fig["job_exit_rate"].iris_code == "PI3527"
    assert fig["cost_per_duo_eur"].value == "€400.00"  # money to the cent
    assert fig["cost_per_positive_exit_eur"].value == "€666.67"  # 12000 / 18 positive exits
    gender = next(t for t in model.breakdowns if t.key == "outcomes_by_gender")
    total = gender.rows[-1]
    assert total == ["All groups", "30", "18", "60%", "12", "40%"]
    rows = {row[0]: row for row in gender.rows}
    # X: 3 duos ended, nothing positive -> "<5" and its rates hidden
    assert rows["Non-binary or other"][1] == "<5" and rows["Non-binary or other"][3] == "*"
    for column in (1, 2, 4):  # a hidden count in a column with a visible total has company
        hidden = [row[column] for row in gender.rows[:-1] if row[column] in ("<5", "*")]
        assert len(hidden) != 1
    for row in gender.rows:
        for count_col, rate_col in ((2, 3), (4, 5)):
            if row[count_col] in ("<5", "*") or row[1] in ("<5", "*"):
                assert row[rate_col] in ("*", "—"), row


def test_every_chart_is_built_from_suppressed_values(bigger):
    model = report.build(bigger, YEAR, lang="en")
    trend = next(c for c in model.charts if c.key == "duos_realized_trend")
    assert trend.table.rows[0] == ["Q1 2024", "30"]
    plotted = list(trend.figure.data[0].y)
    assert plotted[0] == 30 and all(v in (None, 0) for v in plotted[1:])


def test_baseline_is_a_labelled_difference_not_an_effect(bigger):
    model = report.build(bigger, YEAR, lang="en",
                         baseline=report.Baseline("Control group job rate (regional study)", 0.30,
                                                  source="Regional employment office, 2023"))
    b = model.baseline
    assert b.programme == "40.0%" and b.baseline == "30.0%"
    assert b.difference == "+10.0 percentage points"
    assert "not an effect" in b.caution
    page = report.render_html(model)
    assert "Comparison with a baseline" in page and "Difference" in page
    assert "Control group job rate (regional study)" in page
    assert not re.search(r"\b(impact of|caused by|thanks to) the programme\b", page, re.I)


def test_baseline_of_a_hidden_figure_is_hidden(tiny):
    model = report.build(tiny, H1, baseline=report.Baseline("Control", 0.3))
    assert model.baseline.programme == "*" and model.baseline.difference == "*"


@pytest.mark.parametrize("baseline", [report.Baseline("x", 1.5), report.Baseline("x", 0.3, indicator="duos_realized")])
def test_bad_baseline_is_refused(tiny, baseline):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, baseline=baseline)


# ====================================================================== methodology, language
def test_methodology_comes_from_the_registry(tiny_model):
    from analytics.engine.registry import INDICATORS

    keys = {m.key for m in tiny_model.methodology}
    assert {"duos_realized", "job_exit_rate", "job_rate_12m", "cost_per_beneficiary_eur"} <= keys
    for m in tiny_model.methodology:
        assert m.definition == INDICATORS[m.key].definition
        assert m.iris_code == INDICATORS[m.key].iris_code
        assert m.period and m.as_of and m.coverage
    job = next(m for m in tiny_model.methodology if m.key == "job_exit_rate")
    assert job.iris_code == "PI3527" and "outcomes" in job.coverage
    served = next(m for m in tiny_model.methodology if m.key == "beneficiaries_served")
    assert served.iris_code == "PI4060"
    assert all(m.iris_code == "" for m in tiny_model.methodology
               if m.key not in ("job_exit_rate", "beneficiaries_served"))


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_html_language(tiny, lang):
    page = report.render_html(report.build(tiny, H1, lang=lang))
    assert f'<html lang="{lang}">' in page
    assert "Content-Security-Policy" in page
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', page)


def test_french_formatting(tiny):
    model = report.build(tiny, engine.Query(), lang="fr")
    fig = {f.key: f for f in model.headline}
    assert fig["total_costs_eur"].value == "4\u202f999,00\u00a0€"
    assert "juil. 2024" in dict(model.scope)[model.scope[1][0]]


def test_unknown_language_is_refused(tiny):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, lang="de")


def test_a_period_that_is_not_whole_months(tiny):
    """Periods cut mid-month use one bucket for the follow-up counts and no
    context buckets; the figures still agree with the engine."""
    q = engine.Query(dt.date(2024, 6, 30), dt.date(2024, 1, 15), dt.date(2024, 6, 20))
    model = report.build(tiny, q, threshold=2)
    fig = {f.key: f for f in model.headline}
    expected = engine.indicators(tiny, q)
    assert fig["duos_realized"].value == str(expected["duos_realized"])
    trend = next(c for c in model.charts if c.key == "duos_realized_trend")
    assert [row[0] for row in trend.table.rows] == ["Q1 2024", "Q2 2024"]
