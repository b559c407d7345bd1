"""Each attack docs/disclosure.md lists, tried on the "Your funding" view
(analytics.report.your_funding) of hand-made programmes: a reader who
subtracts line by line must learn no hidden cell."""
from __future__ import annotations

import itertools

import pytest

from analytics.disclosure import suppression as s
from analytics.report.your_funding import COLUMNS, funder_view
from tests.analytics.report.test_your_funding import A, PROGRAMME

PARTS = ("scope", "rest", "programme")

# FundA-like grants of different reach: all of N, S in March, both, every branch in spring.
GRANTS = {
    "n_year": "2024-01-10,Acme,foundation,6000,N,,",
    "s_march": "2024-02-01,Acme,foundation,1200,S,2024-03-01,2024-03-31",
    "everything_spring": "2024-01-10,Acme,foundation,9000,,2024-03-01,2024-06-30",
    "s_year": "2024-01-10,Acme,foundation,500,S,,",
}
OTHERS = ["2024-01-05,City Hall,public,10000,,,", "2024-04-01,Bank One,corporate,800,S,,",
          "2024-05-01,Jane Doe,individual,50,,,"]
CASES = [("n_year",), ("s_march",), ("n_year", "s_march"), ("everything_spring",), ("s_year",)]


def _view(programme, grants):
    funding = "received_on,funder,funder_type,amount_eur,branch,covers_from,covers_to\n" + "\n".join(
        [GRANTS[g] for g in grants] + OTHERS)
    return funder_view(programme(**{**PROGRAMME, "funding": funding}), ["Acme"], A)


def _subtract(known: dict, lines) -> dict:
    """The reader: solve any line with one unknown, again and again."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            unknown = [c for c in (*parts, total) if c not in known]
            if len(unknown) == 1:
                (c,) = unknown
                rest = sum(known[p] for p in parts if p != c)
                known[c] = known[total] - rest if c != total else rest
                changed = True
    return known


@pytest.mark.parametrize("grants", CASES, ids=["+".join(c) for c in CASES])
def test_no_hidden_part_comes_back_from_the_rest_or_the_programme(programme, grants):
    view = _view(programme, grants)
    if view.whole_below_threshold:
        # the whole window is below the threshold: every cell is withheld, nothing to subtract
        assert all(view.cell(p, c).hidden for p in PARTS for c in COLUMNS)
        return
    lines = [([(p, c) for p in ("scope", "rest")], ("programme", c)) for c in COLUMNS]
    known = {(p, c): view.cell(p, c).value for p in PARTS for c in COLUMNS if not view.cell(p, c).hidden}
    learned = _subtract(known, lines)
    assert set(learned) == set(known), "subtraction gave a hidden cell back"
    hidden = {(p, c) for p in PARTS for c in COLUMNS if view.cell(p, c).hidden}
    assert not s.recoverable(lines, hidden)


@pytest.mark.parametrize("grants", CASES, ids=["+".join(c) for c in CASES])
def test_no_zero_beside_a_hidden_count_and_no_ratio_beside_its_hidden_parts(programme, grants):
    view = _view(programme, grants)
    for p in PARTS:
        ended = view.cell(p, "duos_ended")
        if ended.reason == s.SMALL_COUNT:     # "ended <5, positive 0" would tell what they did
            assert view.cell(p, "positive_exits").hidden
        # cost ÷ duos beside a visible cost gives the duos back
        if view.cell(p, "duos_started").hidden or view.cell(p, "costs_eur").hidden:
            assert view.ratio(view.cost_per_duo, p).hidden
        if view.cell(p, "positive_exits").hidden or view.cell(p, "costs_eur").hidden:
            assert view.ratio(view.cost_per_positive_exit, p).hidden
        # a small group's money: costs of 1-4 duos are hidden
        raw_started = view.parts.values.at[p, "duos_started"]
        if view.cell(p, "duos_started").reason == s.SMALL_COUNT:
            assert view.cell(p, "costs_eur").hidden, raw_started


@pytest.mark.parametrize("grants", CASES, ids=["+".join(c) for c in CASES])
def test_no_single_donors_money_comes_back_from_the_income_total(programme, grants):
    view = _view(programme, grants)
    groups = list(view.income.values.index)
    parts = [(g, "amount_eur") for g in groups if g != "total"]
    lines = [(parts, ("total", "amount_eur"))]
    known = {(g, "amount_eur"): view.income.cell(g, "amount_eur").value for g in groups
             if not view.income.cell(g, "amount_eur").hidden}
    assert set(_subtract(known, lines)) == set(known)
    # one public donor, one corporate, individuals fewer than 5: none of their amounts is shown
    for g in ("public", "corporate", "individual"):
        if g in groups:
            assert view.income.cell(g, "amount_eur").hidden
    text = repr(view.cells())
    assert not any(name in text for name in ("City Hall", "Bank One", "Jane Doe"))

