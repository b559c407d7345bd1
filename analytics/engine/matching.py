"""The matching assistant: for every mentee waiting, the best free trained mentors.

Suggestions, never an assignment: each waiting mentee's list is ranked on its
own, so one mentor may be suggested to several mentees, and nothing is
recorded. Who counts is the handbook's: the mentees of ``mentees_waiting``
(``sql/matching/mart_waiting_mentees.sql``) and the mentors of the v2
handbook's ``free_trained_mentors`` (``mart_free_mentors.sql``), both on the
as-of date. The ranking is one set-based query (``ins_match_suggestions.sql``, no
Python loop over pairs) by rules a coordinator can read, each with a weight
(:class:`Weights`):

- ``same_sector``: the mentor's former sector is the sector the mentee seeks;
- ``common_language``: they list a language in common (the optional
  ``languages`` columns);
- ``preferred_gender``: the mentor's gender is the one the mentee asked for
  (the optional ``preferred_mentor_gender``);
- ``same_branch``: the mentor is of the mentee's branch (gives points only
  when the search is widened to every branch; a mentor of another branch is
  then said so).

Ties go to the smaller ``mentor_id`` (as text).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from analytics.engine.models import compose_for
from analytics.engine.query import Query, base_params, bound, default_as_of, run_sql

DEFAULT_TOP = 5


@dataclass(frozen=True)
class Weights:
    """Points a rule gives a (mentee, mentor) pair; a pair's score is their sum."""

    sector: float = 3.0
    language: float = 2.0
    preference: float = 1.0
    branch: float = 1.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, (int, float)) or value != value or value < 0:
                raise ValueError(f"the weight {name!r} is a number, at least 0, not {value!r}")

    def as_params(self) -> dict[str, float]:
        return {f"w_{name}": float(value) for name, value in asdict(self).items()}


class MatchingError(ValueError):
    """A matching query that cannot be answered as asked (a bad ``top``)."""


def _params(con: duckdb.DuckDBPyConnection, query: Query, top: int, widen: bool,
            weights: Weights) -> tuple[dt.date, dict[str, object]]:
    if not isinstance(top, int) or top < 1:
        raise MatchingError(f"the number of suggestions is a whole number, at least 1, not {top!r}")
    as_of = query.as_of or default_as_of(con)
    params = {**base_params(as_of), **weights.as_params(), "top": top, "widen": bool(widen),
              "branches": list(dict.fromkeys(query.branches))}
    return as_of, params


def waiting_mentees(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The mentees waiting on the as-of date in the filter, longest waiting first,
    with the mentor counts that explain an empty list (ins_match_mentees.sql)."""
    _, params = _params(con, query, 1, False, Weights())
    return run_sql(con, compose_for(con, "ins_match_mentees"), params)


def free_mentors(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The free trained mentors on the as-of date (mart_free_mentors.sql), by
    their own branch in the filter, in mentor_id order."""
    _, params = _params(con, query, 1, False, Weights())
    frame = run_sql(con, compose_for(con, "mart_free_mentors"), params)
    if query.branches:
        frame = frame[frame["branch"].isin(query.branches)]
    return frame.sort_values("mentor_id", kind="stable").reset_index(drop=True)


def suggestions(con: duckdb.DuckDBPyConnection, query: Query, top: int = DEFAULT_TOP,
                widen: bool = False, weights: Weights = Weights()) -> pd.DataFrame:
    """One row per (waiting mentee, one of its ``top`` best free mentors), with
    the rules, the score and the rank (ins_match_suggestions.sql)."""
    _, params = _params(con, query, top, widen, weights)
    return run_sql(con, compose_for(con, "ins_match_suggestions"), params)


def reasons(row: dict, widen: bool = False) -> list[str]:
    """The reasons of one suggestion, in words the matching meeting reads
    (English; the dashboard words the same rules through its catalog)."""
    said = []
    if widen and row["same_branch"]:
        said.append(f"same branch: {row['mentor_branch']}")
    if row["same_sector"]:
        said.append(f"same sector: {row['sector']}")
    if len(row["common_languages"]):
        said.append("languages in common: " + ", ".join(row["common_languages"]))
    if row["preference_met"]:
        said.append(f"preferred mentor gender: {row['preferred_gender']}")
    if not row["same_branch"]:
        said.append(f"other branch: {row['mentor_branch']}")
    return said


# Why a waiting mentee has no suggestion: a code, and its English words.
EMPTY_REASONS = {
    "no_free_mentor": "no free trained mentor in any branch on the as-of date",
    "branch_without_mentors": "branch {branch} has no mentors",
    "no_free_mentor_in_branch": "no free trained mentor in branch {branch} on the as-of date",
}


def empty_reason_code(mentee: dict, widen: bool) -> str:
    """Why a waiting mentee (a row of :func:`waiting_mentees`) has no suggestion."""
    if mentee["all_free_mentors"] == 0:
        return "no_free_mentor"
    if not widen and mentee["branch_mentors"] == 0:
        return "branch_without_mentors"
    return "no_free_mentor_in_branch"


def empty_reason(mentee: dict, widen: bool) -> str:
    """:func:`empty_reason_code` in English words."""
    return EMPTY_REASONS[empty_reason_code(mentee, widen)].format(branch=mentee["branch"])


def matches(con: duckdb.DuckDBPyConnection, query: Query, top: int = DEFAULT_TOP,
            widen: bool = False, weights: Weights = Weights()) -> list[dict[str, object]]:
    """For every mentee counted by ``mentees_waiting`` on the as-of date (the
    filter by the mentee's branch), longest waiting first then ``mentee_id``:
    ``{"mentee_id", "branch", "waiting_days", "suggestions": [{"mentor_id",
    "score", "reasons"}]}``, at most ``top`` suggestions, best first; a mentee
    with none has ``"suggestions": []`` and a ``"reason"``. One statement
    (``ins_matches.sql``)."""
    _, params = _params(con, query, top, widen, weights)
    sql = compose_for(con, "ins_matches")
    cursor = con.execute(sql, bound(sql, params))
    names = [d[0] for d in cursor.description]
    result = []
    for values in cursor.fetchall():
        mentee = dict(zip(names, values))
        entry: dict[str, object] = {
            "mentee_id": mentee["mentee_id"], "branch": mentee["branch"],
            "waiting_days": int(mentee["waiting_days"]),
            "suggestions": [{"mentor_id": s["mentor_id"], "score": _number(s["score"]),
                             "reasons": reasons(s, widen)} for s in mentee["suggestions"]],
        }
        if not entry["suggestions"]:
            entry["reason"] = empty_reason(mentee, widen)
        result.append(entry)
    return result


def mentor_fits(con: duckdb.DuckDBPyConnection, query: Query, top: int = DEFAULT_TOP,
                widen: bool = False, weights: Weights = Weights()) -> pd.DataFrame:
    """For each free trained mentor in the filter, the waiting mentees whose
    ``top`` list names them: mentor_id, branch, mentees (best score first,
    then longest waiting), count. A mentor no list names has count 0."""
    mentors = free_mentors(con, Query(query.as_of) if widen else query)
    pairs = suggestions(con, query, top, widen, weights)
    pairs = pairs.sort_values(["mentor_id", "score", "waiting_days", "mentee_id"],
                              ascending=[True, False, False, True], kind="stable")
    listed = pairs.groupby("mentor_id", sort=True)["mentee_id"].agg(list)
    frame = mentors[["mentor_id", "branch", "former_sector"]].copy()
    frame["mentees"] = [listed.get(m, []) for m in frame["mentor_id"]]
    frame["count"] = [len(m) for m in frame["mentees"]]
    return frame


def _number(value: object) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else value
