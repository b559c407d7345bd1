"""What a funder's grants covered, and what happened there: the raw figures
behind the funder's "Your funding" view (suppressed by
:mod:`analytics.report.your_funding` before anyone sees them).

Definitions (the handbook's conventions: the data as they stood on the as-of
date ``A``):

- **A grant** is a funding row of the named funders received by ``A``. It
  covers its branch (every branch, ``central`` included, when its branch is
  empty) from ``covers_from`` to ``covers_to``; an empty ``covers_from`` is 1
  January of the year of ``covers_to`` if given, else of ``received_on``; an
  empty ``covers_to`` is 31 December of the year of ``covers_from`` if given,
  else of ``received_on`` (``ins_funding_grants.sql``).
- **The window** runs from the earliest ``covers_from`` of the grants to the
  latest ``covers_to``, at most ``A``. **The scope** is what some grant
  covers: a realized duo by its branch and ``first_meeting_on`` (and its
  mentee), an ended duo by its branch and ``ended_on`` (positive when its
  exit outcome status is positive), a cost row by its branch and the first
  day of its ``month``. **The rest** is what the window holds outside the
  scope; **the programme** both (``ins_funding_scope.sql``).
- **The income** is the funding received by ``A`` in the calendar years in
  which the named funders gave: theirs, and the others' by ``funder_type``
  with the number of donors in each group; no other funder is named
  (``ins_funding_income.sql``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.engine import query as engine
from analytics.engine.models import compose_for

PARTS = ("scope", "rest", "programme")
COUNTS = ("duos_started", "mentees", "duos_ended", "positive_exits")


class FundingScopeError(ValueError):
    """The funders named are not in the data, or the data cannot say what grants covered."""


@dataclass(frozen=True)
class FundingScope:
    """The raw figures of one funder's view (nothing suppressed yet)."""

    as_of: dt.date
    funders: tuple[str, ...]
    grants: pd.DataFrame      # received_on, amount_eur, branch (None = every branch), covers_from, covers_to
    parts: pd.DataFrame       # index PARTS; COUNTS, costs_eur
    income: pd.DataFrame      # part (yours/others), funder_type ('' for yours), donors, amount_eur
    window_from: dt.date | None
    window_to: dt.date | None


def _run(con: duckdb.DuckDBPyConnection, final: str, as_of: dt.date, funders: tuple[str, ...]) -> pd.DataFrame:
    sql = compose_for(con, final)
    return engine.run_sql(con, sql, {**engine.base_params(as_of), "funders": list(funders)})


def _has_cover_columns(con: duckdb.DuckDBPyConnection) -> bool:
    names = {row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_name = 'funding'").fetchall()}
    return {"covers_from", "covers_to"} <= names


def funder_names(con: duckdb.DuckDBPyConnection, institutions_only: bool = False) -> list[str]:
    """Every funder the funding records name, sorted (for operators: binding
    users); ``institutions_only`` leaves out funders of type ``individual``
    (whose names are personal data)."""
    where = " and lower(funder_type) <> 'individual'" if institutions_only else ""
    return [row[0] for row in con.execute(
        f"select distinct funder from funding where funder is not null{where} order by funder").fetchall()]


def funding_scope(con: duckdb.DuckDBPyConnection, funders: tuple[str, ...] | list[str],
                  as_of: dt.date | None = None) -> FundingScope:
    """The grants of ``funders``, what they covered and the income around them."""
    funders = tuple(dict.fromkeys(f.strip() for f in funders))
    if not funders:
        raise FundingScopeError("a funder's view needs at least one funder")
    if not _has_cover_columns(con):
        raise FundingScopeError("this snapshot predates covers_from/covers_to: import the data again")
    known = set(funder_names(con))
    unknown = [f for f in funders if f not in known]
    if unknown:
        raise FundingScopeError(f"no funder named {', '.join(map(repr, unknown))} in the funding records")
    as_of = as_of or engine.default_as_of(con)
    grants = _run(con, "ins_funding_grants", as_of, funders)
    grants = grants.sort_values(["received_on", "covers_from"], ignore_index=True)
    for column in ("received_on", "covers_from", "covers_to"):
        grants[column] = pd.to_datetime(grants[column]).dt.date
    parts = _run(con, "ins_funding_scope", as_of, funders).set_index("part")
    income = _run(con, "ins_funding_income", as_of, funders)
    window_from = engine.clean_value(parts.at["programme", "window_from"])
    window_to = engine.clean_value(parts.at["programme", "window_to"])
    parts = parts.drop(columns=["window_from", "window_to", "part_order"], errors="ignore")
    for column in COUNTS:
        parts[column] = parts[column].astype(int)
    parts["costs_eur"] = parts["costs_eur"].astype(float)
    income["donors"] = income["donors"].astype(int)
    return FundingScope(as_of, funders, grants[["received_on", "amount_eur", "branch", "covers_from",
                                                 "covers_to"]], parts.reindex(list(PARTS)), income,
                        _date(window_from), _date(window_to))


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
