"""The matching assistant (analytics.engine.matching) on a hand-made programme.

As of 2024-06-30. East has four free trained mentors (MR1, MR2, MR3, MR7),
and four that are not free: MR4 trained after the as-of date, MR5 in a duo
matched but not started, MR6 left, MR10 in a duo whose end is after the
as-of date (read as open). MR7's duo ended before: free again. West has one
free mentor (MR8), North none at all.

Waiting on 2024-06-30 (eligible, applied, no duo, not withdrawn): ME1 and ME3
(applied 2024-05-01: 60 days; ME1 first by id), ME2 (29 days), ME11 (West,
20 days), ME7 (North, 10 days). Not waiting: ME4 (matched), ME5 (withdrew),
ME6 (ineligible), ME8 (applied after the as-of date), ME9 and ME10 (a duo).
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.engine import matching
from analytics.engine.matching import Weights
from analytics.engine.query import Query

AS_OF = dt.date(2024, 6, 30)

MENTORS = """
    mentor_id,branch,applied_on,birth_date,gender,former_sector,training_completed_on,left_on,languages
    MR1,East,2023-01-01,1960-01-01,M,construction,2023-02-01,,ar;fr
    MR2,East,2023-01-01,1960-01-01,F,retail,2023-02-01,,fr
    MR3,East,2023-01-01,1960-01-01,F,Construction ,2023-02-01,,nl
    MR4,East,2023-01-01,1960-01-01,F,construction,2024-07-10,,ar
    MR5,East,2023-01-01,1960-01-01,F,construction,2023-02-01,,ar
    MR6,East,2023-01-01,1960-01-01,F,construction,2023-02-01,2024-06-15,ar
    MR7,East,2023-01-01,1960-01-01,M,health,2023-02-01,,
    MR8,West,2023-01-01,1960-01-01,M,construction,2023-02-01,,ar
    MR10,East,2023-01-01,1960-01-01,F,construction,2023-02-01,,ar
"""
MENTEES = """
    mentee_id,branch,applied_on,interviewed_on,decision,withdrawn_on,birth_date,country_of_origin,registered_jobseeker,sector_sought,languages,preferred_mentor_gender
    ME1,East,2024-05-01,2024-05-05,eligible,,2000-01-01,SY,true,construction,ar,F
    ME2,East,2024-06-01,2024-06-05,eligible,,2000-01-01,SY,true,retail,fr,
    ME3,East,2024-05-01,2024-05-05,eligible,,2000-01-01,SY,true,,,
    ME4,East,2024-04-01,2024-04-05,eligible,,2000-01-01,SY,true,construction,ar,
    ME5,East,2024-03-01,2024-03-05,eligible,2024-06-10,2000-01-01,SY,true,,,
    ME6,East,2024-03-01,2024-03-05,ineligible,,2000-01-01,SY,true,,,
    ME7,North,2024-06-20,2024-06-22,eligible,,2000-01-01,SY,true,,,
    ME8,East,2024-07-05,,,,2000-01-01,SY,true,,,
    ME9,East,2023-06-01,2023-06-05,eligible,,2000-01-01,SY,true,,,
    ME10,East,2023-06-01,2023-06-05,eligible,,2000-01-01,SY,true,,,
    ME11,West,2024-06-10,2024-06-12,eligible,,2000-01-01,SY,true,construction,,
"""
DUOS = """
    duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
    D1,ME4,MR5,East,2024-06-01,,,
    D2,ME9,MR7,East,2023-07-01,2023-07-08,2024-05-01,completed
    D3,ME10,MR10,East,2023-07-01,2023-07-08,2024-07-05,completed
"""


@pytest.fixture
def con(programme):
    return programme(mentors=MENTORS, mentees=MENTEES, duos=DUOS)


def ids(rows, key="mentor_id"):
    return [row[key] for row in rows]


def test_free_mentors_and_waiting_mentees_are_the_handbooks(con):
    free = matching.free_mentors(con, Query(AS_OF))
    assert list(free["mentor_id"]) == ["MR1", "MR2", "MR3", "MR7", "MR8"]
    waiting = matching.waiting_mentees(con, Query(AS_OF))
    # 2024-06-30 − 2024-05-01 = 60; − 2024-06-01 = 29; − 06-10 = 20; − 06-20 = 10
    assert list(zip(waiting["mentee_id"], waiting["waiting_days"])) == [
        ("ME1", 60), ("ME3", 60), ("ME2", 29), ("ME11", 20), ("ME7", 10)]


def test_suggestions_are_ranked_by_the_rules_then_mentor_id(con):
    result = matching.matches(con, Query(AS_OF), top=3)
    assert ids(result, "mentee_id") == ["ME1", "ME3", "ME2", "ME11", "ME7"]
    by_id = {m["mentee_id"]: m for m in result}
    # ME1 (construction, ar, wants F) with the default weights 3/2/1:
    # MR1 3 + 2 (ar) = 5; MR3 3 (sector, case and blanks ignored) + 1 (F) = 4;
    # MR2 1 (F); MR7 0. Top 3: MR1, MR3, MR2.
    assert by_id["ME1"]["suggestions"] == [
        {"mentor_id": "MR1", "score": 5,
         "reasons": ["same sector: construction", "languages in common: ar"]},
        {"mentor_id": "MR3", "score": 4,
         "reasons": ["same sector: Construction", "preferred mentor gender: F"]},
        {"mentor_id": "MR2", "score": 1, "reasons": ["preferred mentor gender: F"]},
    ]
    # ME2 (retail, fr): MR2 3 + 2 = 5, MR1 2 (fr), then MR3 and MR7 at 0: MR3 by id.
    assert [(s["mentor_id"], s["score"]) for s in by_id["ME2"]["suggestions"]] == [
        ("MR2", 5), ("MR1", 2), ("MR3", 0)]
    # ME3 states nothing: every score 0, by mentor_id. One mentor in several lists.
    assert ids(by_id["ME3"]["suggestions"]) == ["MR1", "MR2", "MR3"]
    # ME11 (West, construction): West's only free mentor MR8, 3 points.
    assert by_id["ME11"]["suggestions"] == [
        {"mentor_id": "MR8", "score": 3, "reasons": ["same sector: construction"]}]
    # North has no mentors at all.
    assert by_id["ME7"]["suggestions"] == []
    assert by_id["ME7"]["reason"] == "branch North has no mentors"
    assert all("reason" not in m for m in result if m["mentee_id"] != "ME7")


def test_top_defaults_to_five_and_the_weights_can_be_changed(con):
    assert ids(matching.matches(con, Query(AS_OF))[1]["suggestions"]) == ["MR1", "MR2", "MR3", "MR7"]
    # Only the preference counts: ME1 gets MR2 and MR3 (F, 5 each, by id), then MR1, MR7.
    only_preference = Weights(sector=0, language=0, preference=5)
    first = matching.matches(con, Query(AS_OF), weights=only_preference)[0]
    assert [(s["mentor_id"], s["score"]) for s in first["suggestions"]] == [
        ("MR2", 5), ("MR3", 5), ("MR1", 0), ("MR7", 0)]
    with pytest.raises(ValueError):
        Weights(sector=-1)
    with pytest.raises(matching.MatchingError):
        matching.matches(con, Query(AS_OF), top=0)


def test_widened_to_every_branch(con):
    result = {m["mentee_id"]: m for m in matching.matches(con, Query(AS_OF), widen=True)}
    # ME7 (North) now gets every free mentor, all at 0 (no rule, no branch point), by id.
    assert [(s["mentor_id"], s["score"]) for s in result["ME7"]["suggestions"]] == [
        ("MR1", 0), ("MR2", 0), ("MR3", 0), ("MR7", 0), ("MR8", 0)]
    assert result["ME7"]["suggestions"][0]["reasons"] == ["other branch: East"]
    # ME11 (West, construction): MR8 3 + 1 (same branch) = 4; MR1 and MR3 3; MR2, MR7 0.
    assert [(s["mentor_id"], s["score"]) for s in result["ME11"]["suggestions"]] == [
        ("MR8", 4), ("MR1", 3), ("MR3", 3), ("MR2", 0), ("MR7", 0)]
    assert result["ME11"]["suggestions"][0]["reasons"] == ["same branch: West", "same sector: construction"]


def test_the_branch_filter_keeps_mentees_by_their_branch(con):
    result = matching.matches(con, Query(AS_OF, branches=("West",)))
    assert ids(result, "mentee_id") == ["ME11"]


def test_each_free_mentor_with_the_mentees_they_fit(con):
    fits = matching.mentor_fits(con, Query(AS_OF), top=2)
    # top 2: ME1 MR1, MR3; ME3 MR1, MR2; ME2 MR2, MR1; ME11 MR8.
    # MR1: ME1 (5), ME2 (2), ME3 (0); MR2: ME2 (5), ME3 (0); MR3: ME1; MR7: none.
    assert dict(zip(fits["mentor_id"], fits["mentees"])) == {
        "MR1": ["ME1", "ME2", "ME3"], "MR2": ["ME2", "ME3"], "MR3": ["ME1"], "MR7": [], "MR8": ["ME11"]}


@pytest.mark.parametrize("west_trained, reason", [
    ("2023-02-01", "no free trained mentor in branch East on the as-of date"),
    ("", "no free trained mentor in any branch on the as-of date"),
])
def test_a_mentee_without_suggestions_says_why(programme, west_trained, reason):
    con = programme(
        mentors=f"""
            mentor_id,branch,applied_on,birth_date,training_completed_on
            MR1,East,2023-01-01,1960-01-01,
            MR2,West,2023-01-01,1960-01-01,{west_trained}
        """,
        mentees="""
            mentee_id,branch,applied_on,decision,birth_date,country_of_origin,registered_jobseeker
            ME1,East,2024-06-01,eligible,2000-01-01,SY,true
        """,
        duos="duo_id,mentee_id,mentor_id,branch,matched_on")
    (mentee,) = matching.matches(con, Query(AS_OF))
    assert mentee == {"mentee_id": "ME1", "branch": "East", "waiting_days": 29,
                      "suggestions": [], "reason": reason}


@pytest.mark.parametrize("weights, top, widen", [
    (Weights(), 1, False), (Weights(), 3, True), (Weights(sector=1, language=1, preference=1, branch=0), 2, True),
    (Weights(sector=0, language=0, preference=0, branch=0), 4, False), (Weights(language=7), 9, True),
])
def test_the_profile_shortcut_ranks_as_every_pair_would(con, weights, top, widen):
    # the SQL scores profiles of mentors, not every pair: rank every pair here instead
    mentees = matching.waiting_mentees(con, Query(AS_OF))
    free = matching.free_mentors(con, Query(AS_OF))
    raw = {r[0]: r[1:] for r in con.execute(
        "select mentee_id, lower(sector_sought), string_split(coalesce(languages, ''), ';'), "
        "preferred_mentor_gender from mentees").fetchall()}
    expected = {}
    for mentee in mentees.to_dict(orient="records"):
        sector, languages, preferred = raw[mentee["mentee_id"]]
        scored = []
        for mentor in free.to_dict(orient="records"):
            if not widen and mentor["branch"] != mentee["branch"]:
                continue
            score = (weights.sector * (sector is not None and sector == mentor["sector_key"])
                     + weights.language * bool(set(languages) & set(mentor["language_list"]) - {""})
                     + weights.preference * (preferred is not None and preferred == mentor["gender"])
                     + weights.branch * (widen and mentor["branch"] == mentee["branch"]))
            scored.append((-score, mentor["mentor_id"]))
        expected[mentee["mentee_id"]] = [(m, -s) for s, m in sorted(scored)[:top]]
    got = {m["mentee_id"]: [(s["mentor_id"], s["score"]) for s in m["suggestions"]]
           for m in matching.matches(con, Query(AS_OF), top=top, widen=widen, weights=weights)}
    assert got == expected


@pytest.mark.parametrize("as_of", ["2024-03-01", "2024-06-30", "2024-12-31"])
def test_the_matching_pool_is_the_handbooks_free_trained_mentors(as_of):
    """The free-mentor rule is written in the matching mart (mart_free_mentors),
    the handbook's key (indicators.sql) and the growth page (ins_growth_extras):
    all three count the same mentors, on a generated programme at three dates."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from analytics import engine
    from analytics.engine import insights, matching
    from analytics.pipeline import open_source
    from analytics.sample import generate_programme

    with tempfile.TemporaryDirectory() as folder:
        generate_programme(Path(folder), seed=11, duos=300)
        con, _result = open_source(data=Path(folder))
        day = dt.date.fromisoformat(as_of)
        query = engine.Query(as_of=day, period_from=dt.date(day.year, 1, 1), period_to=day)
        pool = len(matching.free_mentors(con, query))
        assert pool == engine.indicators(con, query)["free_trained_mentors"]
        assert pool == insights.growth_extras(con, query)["free_trained_mentors"]
        assert pool > 0
