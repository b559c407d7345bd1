"""The facts layer: figures read from the stored facts equal the ones
computed from the raw tables, and the as-of reading of the facts is exact in
the cases it handles apart (a duo known after a later-matched one, an outcome
superseded after the as-of date).

The facts (analytics/sql/facts) are built once per snapshot at import; a
database without them gets them as CTEs. Both paths must give the same
figures, so the first test runs each public query on both.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import insights, models
from analytics.records import schema
from analytics.engine.query import Query
from analytics.sample import generate_programme
from analytics.pipeline import open_source
from tests.analytics.engine.helpers import MENTORS, PEOPLE_HEADER

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory):
    """(con with stored facts, con with the raw tables only) on a generated programme."""
    folder = tmp_path_factory.mktemp("generated")
    generate_programme(folder, seed=7, duos=400)
    stored, result = open_source(data=folder)
    assert result.rejected_count == 0
    assert models.stored_facts(stored) == set(models.facts())
    raw = duckdb.connect()
    for name in [t.name for t in schema.TABLES] + ["dataset_tables"]:
        raw.register("incoming", stored.table(name).arrow())
        raw.execute(f"create table {name} as select * from incoming")
        raw.unregister("incoming")
    assert models.stored_facts(raw) == frozenset()
    return stored, raw


def _as_ofs(con) -> list[dt.date]:
    latest = engine.default_as_of(con)
    # the end of the data, and two dates in its history
    return [latest, latest - dt.timedelta(days=200), latest - dt.timedelta(days=500)]


QUERIES = {
    "indicators": lambda con, a: pd.DataFrame([engine.indicators(con, Query(a))]),
    "monthly_series_by_branch": lambda con, a: engine.indicator_series(
        con, Query(a, a - dt.timedelta(days=400), a), "month", by_branch=True),
    "at_risk": lambda con, a: engine.at_risk(con, Query(a)),
    "funnel": lambda con, a: insights.funnel(con, Query(a)),
    "waiting_list": lambda con, a: insights.waiting_list(con, Query(a)),
    "exit_outcomes": lambda con, a: insights.exit_outcomes(con, Query(a)),
    "survival": lambda con, a: insights.survival_curves(con, Query(a)),
    "followup_12m": lambda con, a: insights.followup_12m(con, Query(a, D("2015-01-01"), a)),
}


@pytest.mark.parametrize("name", QUERIES)
def test_stored_facts_and_raw_tables_give_the_same_figures(both_paths, name):
    stored, raw = both_paths
    for as_of in _as_ofs(stored):
        from_facts = QUERIES[name](stored, as_of)
        from_raw = QUERIES[name](raw, as_of)
        assert len(from_facts) > 0 or name == "waiting_list"
        pd.testing.assert_frame_equal(from_facts, from_raw, check_exact=False, rtol=1e-12)


def _mentees(*rows: str) -> str:
    return "\n".join([PEOPLE_HEADER, *rows])


def test_a_duo_known_late_is_not_the_first_match_before_it_is_known(programme):
    # D1 was matched 02-01 with R3, who applied only 03-15 (the import warns):
    # D1 is known from 03-15. D2 (R1, applied 2023) is known from its match, 03-01.
    con = programme(
        mentees=_mentees("M1,North,2024-01-01,2024-01-02,eligible,2000-01-01,SY,true"),
        mentors=MENTORS.rstrip() + "\n    R3,North,2024-03-15,1960-01-01,\n",
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on
            D1,M1,R3,North,2024-02-01
            D2,M1,R1,North,2024-03-01
        """,
    )
    january_to_mid_february = (D("2024-01-01"), D("2024-02-15"))
    # As of 02-15 no duo is known: M1 waits on d = 02-15.
    early = engine.indicators(con, Query(D("2024-02-15"), *january_to_mid_february))
    assert (early["mentees_waiting"], early["duos_matched"]) == (1, 0)
    # As of 03-10 only D2 is known: M1's first match is 03-01, after d = 02-15, so M1
    # still waits on 02-15; D2 is the first duo: 03-01 - 01-01 = 60 days.
    interim = engine.indicators(con, Query(D("2024-03-10"), *january_to_mid_february))
    assert interim["mentees_waiting"] == 1
    # On d = 03-10 itself M1 no longer waits: D2, matched 03-01, is known.
    interim_year = engine.indicators(con, Query(D("2024-03-10")))
    assert (interim_year["mentees_waiting"], interim_year["median_days_to_match"],
            interim_year["duos_matched"]) == (0, 60, 1)
    # As of 03-20 D1 is known too: the first match is 02-01 (31 days), before 02-15.
    late = engine.indicators(con, Query(D("2024-03-20"), *january_to_mid_february))
    assert (late["mentees_waiting"], late["duos_matched"]) == (0, 1)
    late_year = engine.indicators(con, Query(D("2024-03-20")))
    assert (late_year["median_days_to_match"], late_year["matched_within_30d_rate"]) == (31, 0.0)


@pytest.mark.parametrize("as_of, coverage, positive, job", [
    ("2024-04-03", 0.0, 0.0, 0.0),   # ended 04-01, nothing recorded yet
    ("2024-04-30", 1.0, 0.0, 0.0),   # O1 (searching) is the latest on 04-30
    ("2024-05-10", 1.0, 1.0, 1.0),   # O2 (employed) recorded on the day supersedes it
])
def test_an_exit_outcome_superseded_later_counts_until_then(programme, as_of, coverage, positive, job):
    con = programme(
        mentees=_mentees("M1,North,2024-01-01,2024-01-02,eligible,2000-01-01,SY,true"),
        mentors=MENTORS,
        duos="""
            duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
            D1,M1,R1,North,2024-01-05,2024-01-10,2024-04-01,completed
        """,
        outcomes="""
            outcome_id,duo_id,stage,recorded_on,status
            O1,D1,exit,2024-04-05,searching
            O2,D1,exit,2024-05-10,employed
        """,
    )
    got = engine.indicators(con, Query(D(as_of), D("2024-04-01"), D("2024-04-30")))
    assert (got["exit_outcome_coverage"], got["positive_exit_rate"], got["job_exit_rate"]) == (coverage, positive, job)


def test_facts_are_rebuilt_without_a_forgotten_person(tmp_path):
    """An erasure rewrites the snapshot: the facts must not keep the person."""
    from analytics.store import erasure as privacy  # forget
    from analytics.records.importer import validate_source
    from analytics.pipeline import open_store
    from tests.conftest import TINY

    store = open_store(tmp_path / "store")
    store.import_result(validate_source(TINY))
    with store.connect() as con:
        mentee_id, duo_id = con.execute("select mentee_id, duo_id from duos order by duo_id limit 1").fetchone()
    privacy.forget(store, "mentee", mentee_id)
    with store.connect() as con:
        assert models.stored_facts(con) == set(models.facts())
        assert con.execute("select count(*) from fct_duos where duo_id = ?", [duo_id]).fetchone()[0] == 0
        assert con.execute("select count(*) from fct_mentees where mentee_id = ?", [mentee_id]).fetchone()[0] == 0
        assert con.execute("select count(*) from fct_check_ins where duo_id = ?", [duo_id]).fetchone()[0] == 0


def test_facts_built_by_other_sql_are_not_used(tmp_path):
    """A snapshot whose facts came from another version of the fact models is
    read through the CTEs (same figures), not through its stale tables."""
    from tests.conftest import TINY

    con, _ = open_source(data=TINY)
    assert models.stored_facts(con) == set(models.facts())
    expected = engine.indicators(con, Query())
    # what an older version would have left: other SQL, and a table that no
    # longer fits (a query reading it would fail)
    con.execute(f"update {models.FACTS_DIGEST_TABLE} set digest = 'from another version'")
    con.execute("create or replace table fct_duos as select duo_id from duos")
    assert models.stored_facts(con) == frozenset()
    assert engine.indicators(con, Query()) == expected
