"""The report's money rule, attack by attack: other donors are never named
(institutions by type only, unless they are the viewer's own funder), a
type given by fewer than t donors is hidden, and secondary suppression
keeps it from being worked back from the total, the trend's buckets, the
shares, the concentration index or the largest funder's share; costs of
fewer than t beneficiaries are hidden."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import report
from analytics.disclosure import suppression as s
from analytics.engine import query as engine

YEAR = engine.Query(dt.date(2024, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
# 28 duos in N and 2 in S, all realized in February 2024 and still running.
DUOS = [f"D{i},M{i},R1,{'N' if i <= 28 else 'S'},2024-02-01,2024-02-05,," for i in range(1, 31)]
BASE = dict(
    mentees="mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker\n" + "\n".join(
        f"M{i},{'N' if i <= 28 else 'S'},2024-01-02,2000-01-01,SY,true" for i in range(1, 31)),
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason\n" + "\n".join(DUOS),
    costs="month,branch,category,amount_eur\n" + "\n".join(
        [f"2024-{m:02d},N,staff,1000" for m in range(1, 13)] + [f"2024-{m:02d},S,staff,300" for m in range(1, 13)]),
)
CORPORATES = [f"2024-04-0{i},Bank{i},corporate,1000,N" for i in range(1, 6)]   # five donors, 5000
FUNDING_HEAD = "received_on,funder,funder_type,amount_eur,branch"


def _con(programme, *rows: str):
    return programme(**BASE, funding="\n".join([FUNDING_HEAD, *rows]))


def _mix(model) -> dict[str, tuple[str, float | None]]:
    table = next(t for t in model.funding if t.key == "funding_by_type")
    return {row[0]: (row[1], vals[1]) for row, vals in zip(table.rows, table.values)}


def _figure(model, key):
    return next(f for f in model.headline if f.key == key)


def test_other_donors_are_named_by_type_only_and_single_donor_types_hidden(programme):
    con = _con(programme, "2024-01-10,Acme,foundation,6000,N", "2024-01-05,City Hall,public,10000,",
               *CORPORATES, "2024-05-01,Jane Doe,individual,50,", "2024-05-02,John Roe,individual,70,")
    model = report.build(con, YEAR)
    text = report.model_text(model)
    for name in ("Acme", "City Hall", "Bank1", "Bank5", "Jane Doe", "John Roe"):
        assert name not in text
    mix = _mix(model)
    # corporate: 5 donors -> shown; foundation, public (1 donor) and individuals (2) hidden;
    # total 6000 + 10000 + 5000 + 50 + 70 = 21120, three hidden cells under one equation
    assert mix["Other donors: Corporate"] == ("€5,000.00", 5000)
    for kind in ("Foundation", "Public", "Individual donors"):
        assert mix[f"Other donors: {kind}"] == ("*", None)
    assert mix["Total"] == ("€21,120.00", 21120)
    assert _figure(model, "total_funding_eur").value == "€21,120.00"


def test_a_lone_hidden_type_cannot_be_worked_back_from_the_total(programme):
    # foundation (1 donor) hidden; corporate 5000 beside a total of 11000 would give it back,
    # so one of them is hidden too (secondary) and the headline repeats the total's state
    con = _con(programme, "2024-01-10,Acme,foundation,6000,N", *CORPORATES)
    model = report.build(con, YEAR)
    mix = _mix(model)
    assert mix["Other donors: Foundation"][1] is None
    assert mix["Other donors: Corporate"][1] is None or mix["Total"][1] is None
    assert _figure(model, "total_funding_eur").cell.hidden == (mix["Total"][1] is None)
    assert _figure(model, "funding_hhi").cell.reason == s.FROM_HIDDEN       # it would give the split back
    assert _figure(model, "largest_funder_share").cell.hidden               # Acme's 6000 / 11000


def test_the_viewer_sees_their_own_funder_by_name_and_the_rest_by_type(programme):
    con = _con(programme, "2024-01-10,Acme,foundation,6000,N", *CORPORATES)
    model = report.build(con, YEAR, funders=["Acme"])
    mix = _mix(model)
    # yours 6000 + corporate 5000 (5 donors) = 11000: nothing to hide
    assert mix["Acme (your funding)"] == ("€6,000.00", 6000)
    assert mix["Other donors: Corporate"] == ("€5,000.00", 5000) and mix["Total"][1] == 11000
    assert "Bank1" not in report.model_text(model)
    assert _figure(model, "largest_funder_share").cell.value == pytest.approx(6000 / 11000)


def test_the_viewer_cannot_subtract_their_own_money_to_find_another_donors(programme):
    # Acme knows its 6000: with the total shown it would know City Hall's 10000
    con = _con(programme, "2024-01-10,Acme,foundation,6000,N", "2024-01-05,City Hall,public,10000,")
    model = report.build(con, YEAR, funders=["Acme"])
    mix = _mix(model)
    assert mix["Acme (your funding)"][1] == 6000
    assert mix["Other donors: Public"][1] is None and mix["Total"][1] is None
    assert _figure(model, "total_funding_eur").cell.hidden
    table = next(t for t in model.funding if t.key == "funding_by_type")
    assert all(row[2] in ("*", "—") for row in table.rows)                 # no share gives the total back
    assert _figure(model, "funding_hhi").cell.hidden                        # 2 donors: HHI gives the split
    assert _figure(model, "largest_funder_share").cell.hidden               # City Hall's share
    trend = next(c for c in model.charts if c.key == "costs_funding_trend").table
    assert all(row[2] in ("*", "€0.00") for row in trend.rows)             # Q1: 16000, hidden


def test_a_bucket_with_few_donors_cannot_be_worked_back_from_the_total(programme):
    # quarters of 2024: Q1 Acme + City Hall (2 donors: hidden), Q2 five banks + two persons
    # (7 donors), Q3 and Q4 nothing. Total 21120 shown, so Q1 = total - Q2: Q2 is hidden too.
    con = _con(programme, "2024-01-10,Acme,foundation,6000,N", "2024-01-05,City Hall,public,10000,",
               *CORPORATES, "2024-05-01,Jane Doe,individual,50,", "2024-05-02,John Roe,individual,70,")
    model = report.build(con, YEAR)
    trend = next(c for c in model.charts if c.key == "costs_funding_trend").table
    in_period = {row[0]: row[2] for row in trend.rows if row[0].endswith("2024")}
    assert in_period == {"Q1 2024": "*", "Q2 2024": "*", "Q3 2024": "€0.00", "Q4 2024": "€0.00"}


def test_costs_of_a_small_group_are_hidden(programme):
    # branch S: 2 beneficiaries, costs 12 x 300 = 3600 -> hidden, and every ratio made of them
    con = _con(programme, *CORPORATES)
    model = report.build(con, engine.Query(dt.date(2024, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 12, 31), ("S",)))
    assert _figure(model, "total_costs_eur").cell.reason == s.FEW_PEOPLE
    for key in ("cost_per_beneficiary_eur", "cost_per_duo_eur"):
        assert _figure(model, key).cell.hidden
    trend = next(c for c in model.charts if c.key == "costs_funding_trend").table
    assert {row[1] for row in trend.rows if row[0].endswith("2024")} == {"*"}
    # the whole programme: 30 beneficiaries, costs 12 x 1300 = 15600 shown
    whole = report.build(con, YEAR)
    assert _figure(whole, "total_costs_eur").cell.value == 15600


def test_an_individual_viewer_binding_names_nobody(programme):
    con = _con(programme, "2024-05-01,Jane Doe,individual,50,", *CORPORATES)
    model = report.build(con, YEAR, funders=["Jane Doe"])
    assert "Jane Doe" not in report.model_text(model)
    assert not any("(your funding)" in row for row in _mix(model))
