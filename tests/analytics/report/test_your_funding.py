"""What a funder's grants covered ("Your funding"), worked by hand: the scope
(branches and days each grant covers), the parts table with its suppression,
the cost ratios, and the income with other donors by type only."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.disclosure import suppression as s
from analytics.engine.funding_scope import FundingScopeError, funding_scope
from analytics.report.your_funding import funder_view

D = dt.date.fromisoformat
A = D("2024-12-31")

# Branches N and S. Acme (foundation) gave 6000 for N (no covers_*: the
# calendar year 2024) and 1200 for S in March 2024 only.
N_DUOS = [f"N{i},M{i},R1,N,2024-0{i + 1}-01,2024-0{i + 1}-02" for i in range(1, 7)]      # Feb..Jul, scope
S_DUOS = ["S1,M11,R1,S,2024-03-05,2024-03-10", "S2,M12,R1,S,2024-03-15,2024-03-20"]      # March: scope
S_DUOS += [f"S{i},M{10 + i},R1,S,2024-0{i + 1}-05,2024-0{i + 1}-10" for i in range(3, 9)]  # Apr..Sep: rest
PROGRAMME = dict(
    mentees="mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker\n" + "\n".join(
        f"M{i},{'N' if i < 10 else 'S'},2024-01-02,2000-01-01,SY,true" for i in [*range(1, 7), *range(11, 19)]),
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason\n" + "\n".join(
        [f"{row},2024-09-01,completed" if row.startswith(("N1", "N2", "N3", "N4", "N5")) else f"{row},,"
         for row in N_DUOS]
        + [f"{row},2024-10-01,completed" if row.startswith(("S3", "S4")) else f"{row},," for row in S_DUOS]),
    outcomes="outcome_id,duo_id,stage,recorded_on,status\n" + "\n".join(
        [f"O{i},N{i},exit,2024-09-02,employed" for i in range(1, 6)]
        + ["O6,S3,exit,2024-10-02,employed", "O7,S4,exit,2024-10-02,searching"]),
    costs="month,branch,category,amount_eur\n" + "\n".join(
        [f"2024-{m:02d},N,staff,1000" for m in range(1, 13)]
        + [f"2024-{m:02d},S,staff,500" for m in range(3, 10)] + ["2024-01,central,overhead,2000"]),
    funding="""
        received_on,funder,funder_type,amount_eur,branch,covers_from,covers_to
        2024-01-10,Acme,foundation,6000,N,,
        2024-02-01,Acme,foundation,1200,S,2024-03-01,2024-03-31
        2024-01-05,City Hall,public,10000,,,
        2024-04-01,Bank One,corporate,800,S,,
        2024-04-02,Bank Two,corporate,900,N,,
        2024-04-03,Bank Three,corporate,1000,N,,
        2024-05-01,Jane Doe,individual,50,,,
        2024-05-02,John Roe,individual,70,,,
        2023-06-01,Old Fund,foundation,5000,,,
    """,
)


@pytest.fixture
def con(programme):
    return programme(**PROGRAMME)


def test_raw_scope_worked_by_hand(con):
    scope = funding_scope(con, ["Acme"], A)
    # grants: N for 2024 (empty covers_*), S for March
    assert [(g.branch, g.covers_from, g.covers_to) for g in scope.grants.itertuples()] == [
        ("N", D("2024-01-01"), D("2024-12-31")), ("S", D("2024-03-01"), D("2024-03-31"))]
    assert (scope.window_from, scope.window_to) == (D("2024-01-01"), A)
    # started: N1..N6 + S1, S2 in scope (8); S3..S8 rest (6). Ended: N1..N5 in N
    # (all employed); S3, S4 ended in S in October (rest; S3 employed).
    # Costs: N 12 x 1000 + S March 500 = 12500 in scope; S Apr..Sep 6 x 500 +
    # central 2000 (no grant covers every branch) = 5000 rest.
    rows = scope.parts.to_dict("index")
    assert rows["scope"] == dict(duos_started=8, mentees=8, duos_ended=5, positive_exits=5, costs_eur=12500)
    assert rows["rest"] == dict(duos_started=6, mentees=6, duos_ended=2, positive_exits=1, costs_eur=5000)
    assert rows["programme"] == dict(duos_started=14, mentees=14, duos_ended=7, positive_exits=6,
                                     costs_eur=17500)
    # income of 2024 (Old Fund gave in 2023: out): yours 7200; others by type only
    income = {(r.part, r.funder_type): (r.donors, r.amount_eur) for r in scope.income.itertuples()}
    assert income == {("yours", ""): (1, 7200), ("others", "corporate"): (3, 2700),
                      ("others", "individual"): (2, 120), ("others", "public"): (1, 10000)}


def test_suppressed_view_worked_by_hand(con):
    view = funder_view(con, ["Acme"], A)
    shown = {(p, c): view.cell(p, c) for p in ("scope", "rest", "programme")
             for c in ("duos_started", "mentees", "duos_ended", "positive_exits", "costs_eur")}
    # scope and duos/mentees/costs everywhere: visible
    for c, v in dict(duos_started=8, mentees=8, duos_ended=5, positive_exits=5, costs_eur=12500).items():
        assert shown[("scope", c)].value == v and not shown[("scope", c)].hidden
    assert [shown[(p, "duos_started")].value for p in ("rest", "programme")] == [6, 14]
    assert [shown[(p, "costs_eur")].value for p in ("rest", "programme")] == [5000, 17500]
    # rest ended 2 (<5) and its positive 1: hidden; programme ended 7 and positive 6 would
    # give them back by subtracting the scope's 5 and 5: hidden (secondary)
    assert shown[("rest", "duos_ended")].reason == s.SMALL_COUNT
    assert shown[("rest", "positive_exits")].hidden
    assert shown[("programme", "duos_ended")].reason == s.SECONDARY
    assert shown[("programme", "positive_exits")].reason == s.SECONDARY
    # cost per duo: 12500 / 8, 5000 / 6, 17500 / 14; per positive exit: 12500 / 5, hidden beside a hidden count
    assert view.cost_per_duo["scope"].value == pytest.approx(1562.5)
    assert view.cost_per_duo["rest"].value == pytest.approx(5000 / 6)
    assert view.cost_per_duo["programme"].value == pytest.approx(1250)
    assert view.cost_per_positive_exit["scope"].value == pytest.approx(2500)
    assert view.cost_per_positive_exit["rest"].reason == s.FROM_HIDDEN
    assert view.cost_per_positive_exit["programme"].reason == s.FROM_HIDDEN
    # income: 3 corporate donors (2700) shown; one public donor and two individuals hidden;
    # total 7200 + 2700 + 120 + 10000 = 20020 (two hidden cells: neither can be worked out)
    income = {g: view.income.cell(g, "amount_eur") for g in view.income.values.index}
    assert income["yours"].value == 7200 and income["corporate"].value == 2700
    assert income["public"].reason == s.FEW_PEOPLE and income["individual"].reason == s.FEW_PEOPLE
    assert income["total"].value == 20020
    assert view.income_share.value == pytest.approx(7200 / 20020)
    assert view.branches == ("N", "S")
    assert not view.whole_below_threshold


def test_no_other_funder_is_named(con):
    text = repr(funder_view(con, ["Acme"], A).cells())
    for name in ("City Hall", "Bank One", "Bank Two", "Bank Three", "Jane Doe", "John Roe", "Old Fund"):
        assert name not in text


def test_one_other_donor_of_a_type_is_protected_from_the_total(programme):
    # Only one other donor: total - yours would give its amount, so the total is hidden too.
    con = programme(**{**PROGRAMME, "funding": """
        received_on,funder,funder_type,amount_eur,branch
        2024-01-10,Acme,foundation,6000,N
        2024-01-05,City Hall,public,10000,
    """})
    view = funder_view(con, ["Acme"], A)
    assert view.income.cell("public", "amount_eur").reason == s.FEW_PEOPLE
    assert view.income.cell("total", "amount_eur").reason == s.SECONDARY
    assert view.income.cell("yours", "amount_eur").value == 6000
    assert view.income_share.hidden


def test_a_grant_for_every_branch_covers_central_costs_and_covers_to_alone(programme):
    # No branch, covers_to 2024-02-29 only: from 1 January 2024 (the year of covers_to), every branch.
    con = programme(**{**PROGRAMME, "funding": """
        received_on,funder,funder_type,amount_eur,branch,covers_from,covers_to
        2023-12-20,Acme,foundation,3000,,,2024-02-29
    """})
    scope = funding_scope(con, ["Acme"], A)
    assert [(g.covers_from, g.covers_to) for g in scope.grants.itertuples()] == [(D("2024-01-01"),
                                                                                 D("2024-02-29"))]
    # window Jan-Feb: started N1 (02-02) only; costs N Jan, Feb 2000 + central 2000 = 4000; nothing outside
    rows = scope.parts.to_dict("index")
    assert rows["scope"]["duos_started"] == 1 and rows["scope"]["costs_eur"] == 4000
    assert rows["rest"]["costs_eur"] == 0
    view = funder_view(con, ["Acme"], A)
    # 1 duo in the whole window: the view says so instead of figures
    assert view.whole_below_threshold
    assert all(c["hidden"] for c in view.cells() if not c["key"].startswith("your_funding.income"))


def test_unknown_funder_is_an_error(con):
    with pytest.raises(FundingScopeError):
        funding_scope(con, ["Nobody"], A)


def test_covers_to_before_covers_from_is_rejected(tmp_path):
    from analytics.records.importer import open_dataset
    from tests.conftest import write_programme

    folder = write_programme(tmp_path / "p", {**PROGRAMME, "funding": """
        received_on,funder,funder_type,amount_eur,branch,covers_from,covers_to
        2024-01-10,Acme,foundation,6000,N,2024-06-01,2024-05-31
    """})
    _, result = open_dataset(folder)
    assert [(i.file_name, i.severity) for i in result.issues if i.severity == "rejected"] == [
        ("funding.csv", "rejected")]
