"""The dashboard's analytics beyond the handbook (analytics/insights.py), by hand.

Every expected value below is worked out by hand from the rows written next
to it (the working is in the comments); the worked example
tests/fixtures/tiny (working in its README) serves where its edges help.
Where a figure is a handbook key, the test also checks it agrees with the
engine. Tables are created here as the data contract says (all ten tables
and dataset_tables, typed as docs/architecture.md lists), from CSV text
naming only the columns a test needs; an optional table not given is absent.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import insights
from analytics.engine.query import Query
from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS

D = dt.date.fromisoformat
TINY = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "tiny"

# ------------------------------------------------------------------ building a data set
# The data contract (docs/architecture.md): one table per record-format table,
# always created, with the record format's column names and these types.
COLUMNS = {
    "mentees": "mentee_id:varchar branch:varchar applied_on:date interviewed_on:date decision:varchar "
               "withdrawn_on:date birth_date:date gender:varchar country_of_origin:country "
               "education_level:varchar registered_jobseeker:boolean sector_sought:varchar first_name:varchar",
    "mentors": "mentor_id:varchar branch:varchar applied_on:date interviewed_on:date birth_date:date "
               "gender:varchar former_sector:varchar work_status:varchar training_completed_on:date "
               "left_on:date first_name:varchar",
    "staff": "staff_id:varchar branch:varchar role:varchar fte:double started_on:date left_on:date",
    "duos": "duo_id:varchar mentee_id:varchar mentor_id:varchar coordinator_id:varchar branch:varchar "
            "matched_on:date first_meeting_on:date staff_at_first_meeting:boolean ended_on:date "
            "end_reason:varchar",
    "meetings": "meeting_id:varchar duo_id:varchar met_on:date hours:double mode:varchar",
    "check_ins": "check_in_id:varchar duo_id:varchar staff_id:varchar checked_on:date "
                 "mentee_satisfaction:integer mentor_satisfaction:integer concern:boolean note:varchar",
    "outcomes": "outcome_id:varchar duo_id:varchar stage:varchar recorded_on:date status:varchar "
                "contract:varchar sector:varchar",
    "costs": "month:month branch:varchar category:varchar amount_eur:double",
    "funding": "received_on:date funder:varchar funder_type:varchar amount_eur:double branch:varchar",
    "targets": "year:integer branch:varchar indicator:varchar target:double",
}
REQUIRED_TABLES = ("mentees", "mentors", "duos")
_SQL_TYPES = {"country": "varchar", "month": "date"}
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _cell(text: str, kind: str) -> str | None:
    """A CSV cell as DuckDB casts it to the column's type (None when empty)."""
    text = text.strip()
    if not text:
        return None
    if kind == "boolean":
        return str(_BOOLEANS[text.lower()]).lower()
    if kind == "month":
        return f"{text}-01"
    if kind == "country":
        return {"EL": "GR", "UK": "GB"}.get(text.upper(), text.upper())
    return text


def make_con(**tables: str) -> duckdb.DuckDBPyConnection:
    """An in-memory data set: ``make_con(duos="duo_id,...\\nD1,...", ...)``.

    The CSV header names the columns given (the others are empty). The
    required tables are always present; an optional table is present exactly
    when given (a header alone: present and empty).
    """
    con = duckdb.connect()
    con.execute("create table dataset_tables (table_name varchar, is_present boolean, rows_read bigint, "
                "rows_loaded bigint, rows_rejected bigint)")
    for table, spec in COLUMNS.items():
        columns = [c.split(":") for c in spec.split()]
        con.execute(f"create table {table} ("
                    + ", ".join(f"{name} {_SQL_TYPES.get(kind, kind)}" for name, kind in columns) + ")")
        text, rows = tables.get(table), []
        if text is not None:
            for record in csv.DictReader(io.StringIO(textwrap.dedent(text).strip() + "\n")):
                unknown = set(record) - {name for name, _ in columns}
                assert not unknown, f"{table}: no such column {unknown}"
                rows.append([_cell(record.get(name) or "", kind) for name, kind in columns])
        if rows:
            cells = pd.DataFrame(rows, columns=[name for name, _ in columns], dtype=object)  # noqa: F841
            casts = ", ".join(f"cast({name} as {_SQL_TYPES.get(kind, kind)})" for name, kind in columns)
            con.execute(f"insert into {table} select {casts} from cells")
        present = text is not None or table in REQUIRED_TABLES
        con.execute("insert into dataset_tables values (?, ?, ?, ?, 0)", [table, present, len(rows), len(rows)])
    return con


def load_folder(folder: Path, without: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
    return make_con(**{p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.csv"))
                       if p.stem not in without})


@pytest.fixture(scope="module")
def tiny():
    return load_folder(TINY)


def test_tiny_loads_as_the_engine_expects(tiny):
    # guard for the helper: the engine reproduces the fixture's hand-worked figures
    got = engine.indicators(tiny, Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30")))
    assert got["duos_realized"] == 6 and got["mentees_waiting"] == 2
    assert got["positive_exit_rate"] == pytest.approx(2 / 3)
    assert got["total_costs_eur"] == 4000


H1 = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))           # tiny's h1_mid_year
TINY_DEFAULT = Query(D("2024-07-10"), D("2024-01-01"), D("2024-12-31"))  # tiny's default


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as tuples of plain values (NaN/NA -> None, Timestamps -> dates)."""
    out = []
    for row in frame[columns].itertuples(index=False):
        values = []
        for v in row:
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                values.append(None)
            elif isinstance(v, pd.Timestamp):
                values.append(v.date())
            elif hasattr(v, "item"):
                values.append(v.item())
            else:
                values.append(v)
        out.append(tuple(values))
    return out


def approx_rows(got: list[tuple], expected: list[tuple]) -> None:
    assert len(got) == len(expected), (got, expected)
    for g, e in zip(got, expected):
        assert len(g) == len(e)
        for gv, ev in zip(g, e):
            if isinstance(ev, float):
                assert gv == pytest.approx(ev, rel=1e-12, abs=1e-12), (g, e)
            else:
                assert gv == ev, (g, e)


# ------------------------------------------------------------------ growth: a programme worked by hand
# Branches N and S. Mentors (trained / left):
#   R1 N trained 01-10 | R2 N trained 02-01 | R3 S trained, left 2024-06-01 | R4 S untrained
#   R5 S trained 2024-07-02 | R6 S trained | R7 N trained | R8 S trained 03-01, no duo
#   R9 S trained | R10 N trained | R11, R12 N untrained | R13 S untrained
GROWTH = dict(
    mentees="""
        mentee_id,branch,applied_on,interviewed_on,decision,withdrawn_on,birth_date,country_of_origin,registered_jobseeker
        E1,N,2024-05-01,2024-05-03,eligible,,2000-01-01,SY,true
        E2,N,2024-06-10,2024-06-12,eligible,,2000-01-01,SY,true
        E3,S,2024-04-01,2024-04-02,eligible,2024-06-01,2000-01-01,SY,true
        E4,N,2024-03-01,2024-03-05,eligible,,2000-01-01,SY,true
        E5,S,2024-02-01,2024-02-03,ineligible,,2000-01-01,SY,true
        E6,S,2024-06-20,,,,2000-01-01,SY,true
        E7,S,2024-01-10,2024-01-12,eligible,2024-07-05,2000-01-01,SY,true
        E8,N,2024-02-10,2024-02-12,eligible,,2000-01-01,SY,true
        E9,S,2024-01-20,2024-01-22,eligible,,2000-01-01,SY,true
        MX1,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX2,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX3,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX4,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX5,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX6,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX7,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MY9,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MY10,S,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX10,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
        MX11,N,2023-12-01,2023-12-02,eligible,,2000-01-01,SY,true
    """,
    mentors="""
        mentor_id,branch,applied_on,birth_date,training_completed_on,left_on
        R1,N,2023-01-01,1960-01-01,2024-01-10,
        R2,N,2023-01-01,1960-01-01,2024-02-01,
        R3,S,2023-01-01,1960-01-01,2024-01-01,2024-06-01
        R4,S,2023-01-01,1960-01-01,,
        R5,S,2023-01-01,1960-01-01,2024-07-02,
        R6,S,2023-01-01,1960-01-01,2023-12-01,
        R7,N,2023-01-01,1960-01-01,2024-01-01,
        R8,S,2023-01-01,1960-01-01,2024-03-01,
        R9,S,2023-01-01,1960-01-01,2023-11-01,
        R10,N,2023-01-01,1960-01-01,2023-12-01,
        R11,N,2023-01-01,1960-01-01,,
        R12,N,2023-01-01,1960-01-01,,
        R13,S,2023-01-01,1960-01-01,,
    """,
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        X1,MX1,R1,N,2023-12-05,2023-12-10,2024-03-01,completed
        X2,MX2,R1,N,2024-04-01,2024-04-05,,
        X3,MX3,R2,N,2023-12-05,2023-12-12,2024-05-01,mismatch
        X4,MX4,R3,S,2023-12-10,2023-12-15,2024-02-01,mentee_withdrew
        X5,MX5,R6,S,2024-01-05,,2024-01-20,mentee_withdrew
        X6,MX6,R6,S,2024-02-01,2024-02-05,,
        X7,MX7,R7,N,2024-06-25,,,
        Y10,MY10,R9,S,2024-01-15,2024-01-20,2024-04-01,completed
        Y9,MY9,R9,S,2024-01-15,2024-01-22,,
        X10,MX10,R10,N,2023-12-20,2024-01-10,2024-02-15,completed
        X11,MX11,R10,N,2024-07-01,2024-07-03,,
        X12,E4,R11,N,2024-03-20,2024-03-25,2024-05-30,job_found
        X13,E8,R12,N,2024-03-01,,,
        X14,E9,R13,S,2024-02-01,2024-02-05,2024-04-10,mismatch
    """,
    outcomes="""
        outcome_id,duo_id,stage,recorded_on,status
        O1,X12,exit,2024-06-01,employed
        O2,X14,exit,2024-04-12,searching
    """,
)


@pytest.fixture(scope="module")
def growth():
    return make_con(**GROWTH)


GROWTH_H1 = Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"))


@pytest.mark.parametrize("branches, expected", [
    # Waiting on d = 06-30 (eligible, applied <= d, no duo matched <= d, not withdrawn on d):
    #   E1 N 05-01 -> 60; E2 N 06-10 -> 20; E7 S 01-10 (withdrawal 07-05 after A: read empty)
    #   -> 21+29+31+30+31+30 = 172; MX11 N 2023-12-01 (its duo X11 is matched 07-01, after A:
    #   ignored) -> 30+182 = 212. Not: E3 (withdrew 06-01), E4/E8/E9 (duos), E5 (ineligible),
    #   E6 (no decision), the other duo mentees (X5 never started but was matched: not waiting).
    #   All: 4, over 30: E1, E7, MX11 = 3, median (60+172)/2 = 116.
    # Free on d: R2 (X3 ended 05-01), R8 (no duo), R10 (X11 after A) = 3 (N: R2, R10; S: R8).
    #   Not: R1 (X2 open), R3 (left 06-01), R4/R11/R12/R13 (untrained), R5 (trained after A),
    #   R6 (X6 open), R7 (X7 matched 06-25, not started: open), R9 (Y9 open).
    # Re-engagement: first realized duo (earliest match, ties to the smaller id as text) ended <= d:
    #   R1 X1 (N) -> later X2 matched 04-01: yes; R2 X3 (N) no; R3 X4 (S) no; R9: Y10 and Y9 both
    #   matched 01-15, "Y10" < "Y9" -> first Y10 (S, ended 04-01), Y9 is later: yes; R10 X10 (N):
    #   X11 after A -> no; R11 X12 (N) no; R13 X14 (S) no. R6's only realized duo X6 is open; R7
    #   and R12 have none. -> 2/7; N: R1 of R1, R2, R10, R11 = 1/4; S: R9 of R3, R9, R13 = 1/3.
    ((), dict(mentees_waiting=4, mentees_waiting_over_30d=3, median_days_waiting=116,
              trained_mentors_free=3, mentors_first_duo_ended=7, mentors_reengaged=2)),
    (("N",), dict(mentees_waiting=3, mentees_waiting_over_30d=2, median_days_waiting=60,
                  trained_mentors_free=2, mentors_first_duo_ended=4, mentors_reengaged=1)),
    (("S",), dict(mentees_waiting=1, mentees_waiting_over_30d=1, median_days_waiting=172,
                  trained_mentors_free=1, mentors_first_duo_ended=3, mentors_reengaged=1)),
    # nothing is in `central` but costs and funding: empty denominators -> None
    (("central",), dict(mentees_waiting=0, mentees_waiting_over_30d=0, median_days_waiting=None,
                        trained_mentors_free=0, mentors_first_duo_ended=0, mentors_reengaged=0)),
])
def test_growth_extras(growth, branches, expected):
    q = Query(GROWTH_H1.as_of, GROWTH_H1.period_from, GROWTH_H1.period_to, branches)
    got = insights.growth_extras(growth, q)
    for key, value in expected.items():
        assert got[key] == value, key
    den, num = expected["mentors_first_duo_ended"], expected["mentors_reengaged"]
    assert got["mentor_reengagement_rate"] == (None if den == 0 else pytest.approx(num / den))
    # the waiting count is the handbook's
    assert got["mentees_waiting"] == engine.indicators(growth, q)["mentees_waiting"]
    assert isinstance(got["funnel"], pd.DataFrame)


def test_growth_extras_point_in_time(growth):
    # A = 2024-07-10, period to 07-31 -> d = 07-10: X11 (matched 07-01) now counts, so R10
    # re-engaged -> 3/7; R10 is busy with it and R5 (trained 07-02) is free -> R2, R5, R8 = 3.
    q = Query(D("2024-07-10"), D("2024-01-01"), D("2024-07-31"))
    got = insights.growth_extras(growth, q)
    assert (got["mentors_reengaged"], got["mentors_first_duo_ended"]) == (3, 7)
    assert got["trained_mentors_free"] == 3
    # Same A, period H1 -> d = 06-30: X11 is known but matched after d -> R10 not re-engaged.
    q = Query(D("2024-07-10"), D("2024-01-01"), D("2024-06-30"))
    assert insights.growth_extras(growth, q)["mentors_reengaged"] == 2


@pytest.mark.parametrize("branches, counts", [
    # cohort: applied in H1 2024 = E1..E9 (the duo mentees applied 2023-12-01)
    # interviewed: all but E6 -> 8; eligible: not E5 -> 7; matched: E4 (X12), E8 (X13), E9 (X14)
    # realized: E4, E9; ended: E4 (05-30), E9 (04-10); positive exit: E4 (O1 employed; E9 searching)
    ((), [9, 8, 7, 3, 2, 2, 1]),
    (("N",), [4, 4, 4, 2, 1, 1, 1]),   # E1, E2, E4, E8
    (("S",), [5, 4, 3, 1, 1, 1, 0]),   # E3, E5, E6, E7, E9
    (("central",), [0, 0, 0, 0, 0, 0, 0]),
])
def test_funnel(growth, branches, counts):
    q = Query(GROWTH_H1.as_of, GROWTH_H1.period_from, GROWTH_H1.period_to, branches)
    frame = insights.funnel(growth, q)
    assert frame["step"].tolist() == list(insights.FUNNEL_STEPS)
    assert frame["mentees"].tolist() == counts
    for step in insights.FUNNEL_STEPS:
        assert not INDICATORS[step].in_handbook
    if counts[0]:
        assert frame["share_of_applied"].tolist() == pytest.approx([c / counts[0] for c in counts])
        previous = [None] + [counts[i] / counts[i - 1] if counts[i - 1] else None for i in range(1, 7)]
        got = [None if pd.isna(v) else v for v in frame["share_of_previous"]]
        assert got[0] is None and got[1:] == pytest.approx(previous[1:])
    else:
        assert frame["share_of_applied"].isna().all() and frame["share_of_previous"].isna().all()
    if branches == ():
        # matched, as a share of the eligible: 3/7
        assert frame.loc[3, "share_of_previous"] == pytest.approx(3 / 7)


def test_funnel_without_outcomes():
    tables = {k: v for k, v in GROWTH.items() if k != "outcomes"}
    frame = insights.funnel(make_con(**tables), GROWTH_H1)
    assert frame["mentees"].tolist()[:6] == [9, 8, 7, 3, 2, 2]
    assert frame["mentees"].tolist()[6] is None or pd.isna(frame["mentees"].tolist()[6])


@pytest.mark.parametrize("query, expected", [
    # d = 06-30: longest wait first
    (GROWTH_H1, [("MX11", "N", 212, True), ("E7", "S", 172, True), ("E1", "N", 60, True),
                 ("E2", "N", 20, False)]),
    # period to 05-31, A 06-30 -> d = 05-31: E3 withdrew 06-01 > d: waiting, 04-01 -> 60;
    # E1 05-01 -> exactly 30: not over 30; E7 21+29+31+30+31 = 142; MX11 30+152 = 182; MX7's
    # duo X7 is matched 06-25, after d: MX7 waits too, 182 (ties by id as text: "MX11" < "MX7");
    # E2 applied after d.
    (Query(D("2024-06-30"), D("2024-01-01"), D("2024-05-31")),
     [("MX11", "N", 182, True), ("MX7", "N", 182, True), ("E7", "S", 142, True), ("E3", "S", 60, True),
      ("E1", "N", 30, False)]),
    (Query(D("2024-06-30"), D("2024-01-01"), D("2024-06-30"), ("S",)), [("E7", "S", 172, True)]),
])
def test_waiting_list(growth, query, expected):
    frame = insights.waiting_list(growth, query)
    assert list(frame.columns) == ["mentee_id", "branch", "applied_on", "interviewed_on", "days_waiting",
                                   "is_over_30_days"]
    assert records(frame, ["mentee_id", "branch", "days_waiting", "is_over_30_days"]) == expected
    assert len(frame) == engine.indicators(growth, query)["mentees_waiting"]
    # the extras summarise the same list
    extras = insights.growth_extras(growth, query)
    assert extras["mentees_waiting_over_30d"] == sum(e[3] for e in expected)
    assert extras["median_days_waiting"] == pytest.approx(frame["days_waiting"].median())


# ------------------------------------------------------------------ days to match
@pytest.mark.parametrize("branches, expected", [
    # tiny README, h1_mid_year: first duos matched in H1: D1 26, D2 30, D7 54, D11 123 (East),
    # D3 31, D6 30, D8 121 (West); D11 is ME15's first duo (a West mentee, East duo: East)
    ((), [("East", 26), ("East", 30), ("East", 54), ("East", 123), ("West", 30), ("West", 31),
          ("West", 121)]),
    (("West",), [("West", 30), ("West", 31), ("West", 121)]),
    (("central",), []),
])
def test_days_to_match_distribution(tiny, branches, expected):
    q = Query(H1.as_of, H1.period_from, H1.period_to, branches)
    frame = insights.days_to_match_distribution(tiny, q)
    assert records(frame, ["branch", "days_to_match"]) == expected
    assert frame["is_within_30d"].tolist() == [days <= 30 for _, days in expected]
    median = engine.indicators(tiny, q)["median_days_to_match"]
    assert (median is None and frame.empty) or frame["days_to_match"].median() == median


# ------------------------------------------------------------------ survival (hand check; lifelines in test_survival.py)
def test_survival_curves_tiny(tiny):
    # by branch, h1_mid_year (realized in H1; open duos censored at A = 06-30):
    #   East: D7 06-28..A 2 d -> week 0, c | D11 02-10..04-10 60 d -> 8, completed: c |
    #         D1 02-12..05-20 98 d -> 14, c | D2 03-10..A 112 d -> 16, c  -> survival 1 throughout
    #   West: D8 05-30..A 31 d -> 4, c | D3 04-05..06-10 66 d -> 9, mismatch: event -> 1 - 1/1 = 0
    frame = insights.survival_curves(tiny, H1, by="branch")
    assert list(frame.columns) == ["group", "week", "at_risk", "events", "censored", "survival"]
    approx_rows(records(frame, list(frame.columns)), [
        ("East", 0, 4, 0, 1, 1.0), ("East", 8, 3, 0, 1, 1.0), ("East", 14, 2, 0, 1, 1.0),
        ("East", 16, 1, 0, 1, 1.0),
        ("West", 0, 2, 0, 0, 1.0), ("West", 4, 2, 0, 1, 1.0), ("West", 9, 1, 1, 0, 0.0),
    ])
    # by cohort: every duo realized by d, by year of the first meeting.
    #   2023: D10 06-30..07-05 5 d -> week 0 event (mismatch); D9 06-15..06-25 10 d -> 1 event;
    #         D5 2023-12-20..A 11+182 = 193 d -> 27 censored
    #         S(0) = 1 - 1/3 = 2/3; S(1) = 2/3 * (1 - 1/2) = 1/3; S(27) = 1/3
    #   2024: D7 0 c, D8 4 c, D11 8 c, D3 9 event (at risk 3: D3, D1, D2) -> 2/3, D1 14 c, D2 16 c
    frame = insights.survival_curves(tiny, H1, by="cohort")
    approx_rows(records(frame, list(frame.columns)), [
        ("2023", 0, 3, 1, 0, 2 / 3), ("2023", 1, 2, 1, 0, 1 / 3), ("2023", 27, 1, 0, 1, 1 / 3),
        ("2024", 0, 6, 0, 1, 1.0), ("2024", 4, 5, 0, 1, 1.0), ("2024", 8, 4, 0, 1, 1.0),
        ("2024", 9, 3, 1, 0, 2 / 3), ("2024", 14, 2, 0, 1, 2 / 3), ("2024", 16, 1, 0, 1, 2 / 3),
    ])
    # East only, by cohort: 2023 D10 (East) only -> event at week 0 -> 0; 2024 as East above
    frame = insights.survival_curves(tiny, Query(H1.as_of, H1.period_from, H1.period_to, ("East",)), "cohort")
    assert records(frame, ["group", "week", "survival"])[0] == ("2023", 0, 0.0)
    assert insights.survival_curves(tiny, Query(H1.as_of, H1.period_from, H1.period_to, ("central",))).empty
    with pytest.raises(ValueError):
        insights.survival_curves(tiny, H1, by="gender")


# ------------------------------------------------------------------ exit outcomes
def test_exit_outcomes(tiny):
    # h1_mid_year: realized duos ended in H1: D1 (O1 employed, fixed_term), D3 (O2/O3 same
    # day -> largest id O3 searching, no contract), D11 (O6 internship, no contract)
    frame = insights.exit_outcomes(tiny, H1)
    assert list(frame.columns) == ["exit_status", "contract", "is_positive", "is_job", "duos", "share"]
    approx_rows(records(frame, list(frame.columns)), [
        ("employed", "fixed_term", True, True, 1, 1 / 3),
        ("internship", "not_recorded", True, False, 1, 1 / 3),
        ("searching", "not_recorded", False, False, 1, 1 / 3),
    ])
    # default (A 07-10, 2024): + D7 (ended 07-08, job_found) without an exit outcome
    frame = insights.exit_outcomes(tiny, TINY_DEFAULT)
    assert records(frame, ["exit_status", "contract", "duos"])[-1] == ("no_exit_outcome", "not_recorded", 1)
    assert frame["share"].sum() == pytest.approx(1)
    # the positive share is the handbook's positive_exit_rate (2/4)
    assert frame.loc[frame["is_positive"], "share"].sum() == pytest.approx(
        engine.indicators(tiny, TINY_DEFAULT)["positive_exit_rate"])
    # West: D3 only
    west = Query(H1.as_of, H1.period_from, H1.period_to, ("West",))
    assert records(insights.exit_outcomes(tiny, west), ["exit_status", "duos", "share"]) == [("searching", 1, 1.0)]


def test_exit_outcomes_without_outcomes_table():
    con = load_folder(TINY, without=("outcomes",))
    assert insights.exit_outcomes(con, H1).empty


# ------------------------------------------------------------------ 12-month follow-up
def test_followup_12m(tiny):
    # default (A = 2024-07-10, 2024 by quarter; Q4 starts after A: left out).
    # marks: D9 ended 2023-06-25 -> 2024-06-24 (Q2), D10 2023-07-05 -> 2024-07-04 (Q3, <= A)
    #   Q1: none due -> rates None; Q2: D9, followed up (O4/O5 same day -> O5 employed): 1, 1, 1
    #   Q3: D10, no follow-up: 1, 0, 0 -> coverage 0, job rate None (no follow-up)
    frame = insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter")
    assert list(frame.columns) == ["period_from", "period_to", "duos_due_12m", "duos_followed_up_12m",
                                   "duos_in_job_12m", "followup_12m_coverage", "job_rate_12m"]
    assert records(frame, list(frame.columns)) == [
        (D("2024-01-01"), D("2024-03-31"), 0, 0, 0, None, None),
        (D("2024-04-01"), D("2024-06-30"), 1, 1, 1, 1.0, 1.0),
        (D("2024-07-01"), D("2024-09-30"), 1, 0, 0, 0.0, None),
    ]
    # one bucket for the year: the handbook's figures for the query
    year = insights.followup_12m(tiny, TINY_DEFAULT, grain="year")
    handbook = engine.indicators(tiny, TINY_DEFAULT)
    assert year.loc[0, "followup_12m_coverage"] == handbook["followup_12m_coverage"] == 0.5
    assert year.loc[0, "duos_followed_up_12m"] / year.loc[0, "duos_due_12m"] == 0.5
    # without outcomes: the counts of outcomes and the rates are unknown
    con = load_folder(TINY, without=("outcomes",))
    frame = insights.followup_12m(con, TINY_DEFAULT, grain="year")
    assert frame.loc[0, "duos_due_12m"] == 2
    assert frame[["duos_followed_up_12m", "followup_12m_coverage", "job_rate_12m"]].isna().all().all()


def test_funding_mix_takes_the_series_a_page_already_has(tiny):
    quarterly = engine.indicator_series(tiny, H1, "quarter")
    given = insights.funding_mix(tiny, H1, grain="quarter", series=quarterly)
    pd.testing.assert_frame_equal(given, insights.funding_mix(tiny, H1, grain="quarter"))
    with pytest.raises(ValueError, match="not the engine's series"):
        insights.funding_mix(tiny, H1, grain="quarter", series=engine.indicator_series(tiny, H1, "month"))


def test_followup_12m_takes_the_series_a_page_already_has(tiny):
    quarterly = engine.indicator_series(tiny, TINY_DEFAULT, "quarter")
    given = insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter", series=quarterly)
    pd.testing.assert_frame_equal(given, insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter"))
    # a series of another grain does not fit the buckets: refused, not misaligned
    yearly = engine.indicator_series(tiny, TINY_DEFAULT, "year")
    with pytest.raises(ValueError, match="not the engine's series"):
        insights.followup_12m(tiny, TINY_DEFAULT, grain="quarter", series=yearly)


# ------------------------------------------------------------------ headline per person
# Mentor R1 (N) for every duo. A = 2025-12-31, period 2024.
PERSON = dict(
    mentees="""
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        P1,N,2023-08-01,2000-01-01,SY,true
        P2,N,2023-08-01,2000-01-01,SY,true
        P3,N,2023-08-01,2000-01-01,SY,true
        P4,S,2023-08-01,2000-01-01,SY,true
        P5,N,2023-08-01,2000-01-01,SY,true
        P6,N,2023-08-01,2000-01-01,SY,true
        P7,N,2023-08-01,2000-01-01,SY,true
    """,
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        Q1a,P1,R1,N,2023-08-25,2023-09-01,2024-01-15,completed
        Q1b,P1,R1,N,2024-01-25,2024-02-01,2024-06-30,completed
        Q2a,P2,R1,N,2023-09-01,2023-09-05,2024-03-10,job_found
        Q2b,P2,R1,N,2024-04-25,2024-05-01,,
        Q3,P3,R1,N,2023-09-01,2023-09-05,2024-12-31,completed
        Q4,P4,R1,S,2023-09-01,2023-09-05,2024-08-01,mismatch
        Q5,P5,R1,N,2023-09-01,2023-09-05,2023-12-31,completed
        Q6a,P6,R1,N,2023-08-25,2023-09-01,2023-10-01,mismatch
        Q6b,P6,R1,N,2023-11-01,2023-11-05,2024-02-01,completed
        Q7a,P7,R1,N,2023-09-01,2023-09-05,2024-04-01,completed
        Q7b,P7,R1,S,2023-09-01,2023-09-06,2024-04-01,completed
    """,
    outcomes="""
        outcome_id,duo_id,stage,recorded_on,status
        U1,Q1a,exit,2024-01-16,employed
        U2,Q1b,exit,2024-07-01,searching
        U3,Q1b,followup_6m,2025-01-05,training
        U4,Q2a,exit,2024-03-11,employed
        U5,Q3,followup_12m,2025-12-31,searching
        U6,Q6a,followup_12m,2024-10-05,employed
        U7,Q5,exit,2024-01-02,employed
    """,
)
# Last duo (latest end among realized duos; ties to the larger id), window [last end, +365]
# with each outcome measured on its duo's end + 0 / 91 / 182 / 365 by stage:
#   P1: last Q1b (06-30), window to 2025-06-30. U1 (Q1a exit, measured 2024-01-15): outside;
#       U2 (Q1b exit, 06-30): in, searching; U3 (6 months: 06-30 + 182 = 12-29): in, training
#       -> covered, positive. Mark 2025-06-30.
#   P2: Q2b realized and open -> no last duo yet: out.
#   P3: Q3 ended 2024-12-31, mark 2025-12-31 = A: in; U5 12-month searching -> covered only.
#   P4: Q4 (S) ended 08-01, no outcome -> in, not covered. Mark 2025-08-01.
#   P5: Q5 ended 2023-12-31: outside the period.
#   P6: last Q6b (02-01), window to 2025-01-31; U6 is Q6a's 12-month follow-up, measured
#       2023-10-01 + 365 = 2024-09-30: in, employed -> covered, positive. Mark 2025-01-31.
#   P7: Q7a (N) and Q7b (S) both end 04-01 -> last is "Q7b": branch S. Not covered. Mark 2025-04-01.
PERSON_YEAR = Query(D("2025-12-31"), D("2024-01-01"), D("2024-12-31"))


@pytest.mark.parametrize("query, expected", [
    # all: P1, P3, P4, P6, P7 = 5; with an outcome P1, P3, P6 = 3; positive P1, P6 = 2
    (PERSON_YEAR, (5, 3, 2, 2 / 5, 3 / 5)),
    # N (by the last duo's branch): P1, P3, P6; S: P4, P7
    (Query(PERSON_YEAR.as_of, PERSON_YEAR.period_from, PERSON_YEAR.period_to, ("N",)), (3, 3, 2, 2 / 3, 1.0)),
    (Query(PERSON_YEAR.as_of, PERSON_YEAR.period_from, PERSON_YEAR.period_to, ("S",)), (2, 0, 0, 0.0, 0.0)),
    # A = 2025-06-30: marks on or before A: P1 (06-30, exactly), P6 (01-31), P7 (04-01);
    # U3 (recorded 2025-01-05) is known -> P1 and P6 positive: 3, 2, 2
    (Query(D("2025-06-30"), D("2024-01-01"), D("2024-12-31")), (3, 2, 2, 2 / 3, 2 / 3)),
    # nobody's mark has passed: empty denominator -> None
    (Query(D("2024-12-31"), D("2024-01-01"), D("2024-12-31")), (0, 0, 0, None, None)),
])
def test_person_headline(query, expected):
    got = insights.person_headline(make_con(**PERSON), query)
    keys = ("mentees", "mentees_with_outcome", "mentees_positive", "person_positive_rate_12m",
            "person_outcome_coverage_12m")
    assert tuple(got) == keys
    for key, value in zip(keys, expected):
        assert got[key] == (value if value is None else pytest.approx(value)), key
    for key in keys[3:]:
        assert not INDICATORS[key].in_handbook


def test_person_headline_tiny_counts_a_late_12_month_follow_up(tiny):
    # 2023 as of 2024-07-10: ME13 (D9 ended 2023-06-25, mark 2024-06-24) and ME14 (D10 ended
    # 07-05, mark 2024-07-04). D9's 12-month follow-ups O4/O5 were recorded 2024-06-26, two
    # days after the mark, but measure the 12-month mark -> ME13 covered and positive (O5
    # employed); ME14 has nothing -> 1/2, 1/2.
    got = insights.person_headline(tiny, Query(D("2024-07-10"), D("2023-01-01"), D("2023-12-31")))
    assert (got["mentees"], got["mentees_with_outcome"], got["mentees_positive"]) == (2, 1, 1)
    con = load_folder(TINY, without=("outcomes",))
    got = insights.person_headline(con, Query(D("2024-07-10"), D("2023-01-01"), D("2023-12-31")))
    assert got["mentees"] == 2 and got["person_positive_rate_12m"] is None
    assert got["person_outcome_coverage_12m"] is None


# ------------------------------------------------------------------ breakdowns
@pytest.mark.parametrize("by, expected", [
    # h1_mid_year ended realized duos: D1 ME1 (F, secondary, SY) employed;
    # D3 ME3 (M, tertiary, UA) searching; D11 ME15 (M, no education, ER) internship
    ("gender", [("F", 1, 1, 1, 1.0, 1, 1.0), ("M", 2, 2, 1, 0.5, 0, 0.0)]),
    ("education_level", [("secondary", 1, 1, 1, 1.0, 1, 1.0), ("tertiary", 1, 1, 0, 0.0, 0, 0.0),
                         ("not_recorded", 1, 1, 1, 1.0, 0, 0.0)]),
    ("region", [("Middle East", 1, 1, 1, 1.0, 1, 1.0), ("Sub-Saharan Africa", 1, 1, 1, 1.0, 0, 0.0),
                ("Europe (non-EU)", 1, 1, 0, 0.0, 0, 0.0)]),
])
def test_outcome_breakdown(tiny, by, expected):
    frame = insights.outcome_breakdown(tiny, H1, by=by)
    columns = ["group", "duos", "exit_outcomes", "positive_exits", "positive_exit_rate", "jobs", "job_exit_rate"]
    assert list(frame.columns) == columns
    assert records(frame, columns) == expected
    # not suppressed: counts of 1 are there; the totals are the handbook's population
    assert frame["duos"].sum() == 3
    assert frame["positive_exits"].sum() / frame["duos"].sum() == pytest.approx(
        engine.indicators(tiny, H1)["positive_exit_rate"])


def test_outcome_breakdown_edges(tiny):
    # without the outcomes table the duos are known, the outcomes are not
    con = load_folder(TINY, without=("outcomes",))
    frame = insights.outcome_breakdown(con, H1, by="gender")
    assert frame["duos"].tolist() == [1, 2]
    assert frame[["exit_outcomes", "positive_exits", "positive_exit_rate", "jobs"]].isna().all().all()
    # a filter with no duo ended: no rows
    q = Query(H1.as_of, H1.period_from, H1.period_to, ("central",))
    assert insights.outcome_breakdown(tiny, q, by="region").empty
    with pytest.raises(ValueError):
        insights.outcome_breakdown(tiny, H1, by="age")


@pytest.mark.parametrize("country, region", [
    ("gr", "EU"), ("BE", "EU"), ("MA", "Maghreb"), ("DZ", "Maghreb"), ("SY", "Middle East"),
    ("EG", "Middle East"), ("ER", "Sub-Saharan Africa"), ("TR", "Europe (non-EU)"),
    ("XK", "Europe (non-EU)"), ("GB", "Europe (non-EU)"), ("AF", "Asia"), ("BR", "Americas"),
    ("AU", "Other"), ("", "Other"), (None, "Other"),
])
def test_region_of(country, region):
    assert insights.region_of(country) == region
    assert region in insights.REGIONS


def test_region_lists_do_not_overlap():
    seen: dict[str, str] = {}
    for region, codes in insights.REGION_COUNTRIES.items():
        for code in codes:
            assert code not in seen, (code, seen.get(code), region)
            assert code not in insights.eu_country_codes(), code
            seen[code] = region


# ------------------------------------------------------------------ costs
# Branches N and S, A = 2024-03-31, Q1 2024 by month.
#   costs: Jan N 1000, Jan central 300, Feb central 600, Feb S 200, Mar central 90
#   duos realized: Jan N C1, C2 (mentees K1, K2), S C3 (K3); Feb none; Mar S C4 (K4)
#   C1 ended 03-15 with an exit outcome employed -> N positive exit in March
COSTS = dict(
    mentees="""
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        K1,N,2023-12-01,2000-01-01,SY,true
        K2,N,2023-12-01,2000-01-01,SY,true
        K3,S,2023-12-01,2000-01-01,SY,true
        K4,S,2023-12-01,2000-01-01,SY,true
    """,
    mentors="mentor_id,branch,applied_on,birth_date\nR1,N,2023-01-01,1960-01-01",
    duos="""
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        C1,K1,R1,N,2024-01-02,2024-01-05,2024-03-15,job_found
        C2,K2,R1,N,2024-01-02,2024-01-20,,
        C3,K3,R1,S,2024-01-02,2024-01-25,,
        C4,K4,R1,S,2024-03-01,2024-03-03,,
    """,
    outcomes="outcome_id,duo_id,stage,recorded_on,status\nO1,C1,exit,2024-03-16,employed",
    costs="""
        month,branch,category,amount_eur
        2024-01,N,staff,1000
        2024-01,central,overhead,300
        2024-02,central,overhead,600
        2024-02,S,staff,200
        2024-03,central,overhead,90
    """,
)
Q1_2024 = Query(D("2024-03-31"), D("2024-01-01"), D("2024-03-31"))
JAN, FEB, MAR = (D("2024-01-01"), D("2024-01-31")), (D("2024-02-01"), D("2024-02-29")), \
    (D("2024-03-01"), D("2024-03-31"))
COST_COLUMNS = ["period_from", "period_to", "branch", "direct_costs_eur", "allocated_central_eur",
                "total_costs_eur", "duos_realized", "beneficiaries_served", "positive_exits",
                "cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur"]


@pytest.mark.parametrize("branches, allocate, expected", [
    # Not allocated: central is a row of its own.
    #   beneficiaries: Jan N K1, K2 / S K3; Feb same; Mar N K1 (ended 03-15), K2 / S K3, K4
    ((), False, [
        (*JAN, "N", 1000.0, 0.0, 1000.0, 2, 2, 0, 500.0, 500.0, None),
        (*JAN, "S", 0.0, 0.0, 0.0, 1, 1, 0, 0.0, 0.0, None),
        (*JAN, "central", 300.0, 0.0, 300.0, 0, 0, 0, None, None, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "S", 200.0, 0.0, 200.0, 0, 1, 0, 200.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
        (*MAR, "S", 0.0, 0.0, 0.0, 1, 2, 0, 0.0, 0.0, None),
        (*MAR, "central", 90.0, 0.0, 90.0, 0, 0, 0, None, None, None),
    ]),
    # Allocated by duos realized: Jan 300 -> N 2/3 = 200, S 1/3 = 100 (N 1200 / 2 duos = 600;
    # S 100 / 1 = 100); Feb: no duo realized anywhere -> central 600 stays its own row;
    # Mar 90 -> S (the only duo, C4): 90 / 1 duo = 90, / 2 beneficiaries = 45.
    ((), True, [
        (*JAN, "N", 1000.0, 200.0, 1200.0, 2, 2, 0, 600.0, 600.0, None),
        (*JAN, "S", 0.0, 100.0, 100.0, 1, 1, 0, 100.0, 100.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "S", 200.0, 0.0, 200.0, 0, 1, 0, 200.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
        (*MAR, "S", 0.0, 90.0, 90.0, 1, 2, 0, 45.0, 90.0, None),
    ]),
    # N + central, allocated: N's share is counted over every branch (S's duos still count),
    # S's share is outside the filter.
    (("N", "central"), True, [
        (*JAN, "N", 1000.0, 200.0, 1200.0, 2, 2, 0, 600.0, 600.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*FEB, "central", 600.0, 0.0, 600.0, 0, 0, 0, None, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
    ]),
    # N alone: central costs are outside the filter (handbook), so nothing is allocated.
    (("N",), True, [
        (*JAN, "N", 1000.0, 0.0, 1000.0, 2, 2, 0, 500.0, 500.0, None),
        (*FEB, "N", 0.0, 0.0, 0.0, 0, 2, 0, 0.0, None, None),
        (*MAR, "N", 0.0, 0.0, 0.0, 0, 2, 1, 0.0, None, 0.0),
    ]),
])
def test_cost_series(branches, allocate, expected):
    con = make_con(**COSTS)
    q = Query(Q1_2024.as_of, Q1_2024.period_from, Q1_2024.period_to, branches)
    frame = insights.cost_series(con, q, grain="month", allocate_central=allocate)
    assert list(frame.columns) == COST_COLUMNS
    approx_rows(records(frame, COST_COLUMNS), expected)
    if not branches:
        # every euro is somewhere: the monthly totals are the handbook's total_costs_eur
        series = engine.indicator_series(con, q, grain="month")
        assert frame.groupby("period_from")["total_costs_eur"].sum().tolist() == \
            series["total_costs_eur"].tolist() == [1300.0, 800.0, 90.0]


def test_cost_series_tiny_quarters(tiny):
    # h1_mid_year by quarter (README working): Q1 East 2000 (Jan), central 500 (Feb); Q2 West
    # 1500 (Jun). Duos realized Q1: East D1, D2, D11; Q2: East D7, West D3, D8.
    # Allocated: Q1 central 500 all to East (3 of 3 duos) -> East 2500 / 3 duos.
    frame = insights.cost_series(tiny, H1, grain="quarter", allocate_central=True)
    assert records(frame, ["branch", "total_costs_eur", "duos_realized"]) == [
        ("East", 2500.0, 3), ("West", 0.0, 0), ("East", 0.0, 1), ("West", 1500.0, 2)]
    assert frame.loc[0, "cost_per_duo_eur"] == pytest.approx(2500 / 3)
    # per-branch duos realized and positive exits add up to the handbook's
    handbook = engine.indicators(tiny, H1)
    assert frame["duos_realized"].sum() == handbook["duos_realized"] == 6
    assert frame["positive_exits"].sum() == 2 and frame["total_costs_eur"].sum() == handbook["total_costs_eur"]


def test_cost_series_absent_tables():
    tables = {k: v for k, v in COSTS.items() if k not in ("costs", "outcomes")}
    frame = insights.cost_series(make_con(**tables), Q1_2024, grain="quarter", allocate_central=True)
    assert frame["duos_realized"].sum() == 4
    cost_columns = ["direct_costs_eur", "allocated_central_eur", "total_costs_eur", "positive_exits",
                    "cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur"]
    assert frame[cost_columns].isna().all().all()


# ------------------------------------------------------------------ funding
def test_funding_mix(tiny):
    # h1_mid_year by quarter: Q1 FundA (foundation) 6000 + CityX (public, no branch) 3000:
    #   shares 2/3, 1/3; HHI (2/3)^2 + (1/3)^2 = 5/9; largest 2/3. Q2: FundA 1000 -> 1, 1, 1.
    #   (EUF 07-02 is after A.)
    frame = insights.funding_mix(tiny, H1, grain="quarter")
    columns = ["period_from", "period_to", "funder_type", "amount_eur", "share", "total_funding_eur",
               "funding_hhi", "largest_funder_share"]
    assert list(frame.columns) == columns
    approx_rows(records(frame, columns), [
        (D("2024-01-01"), D("2024-03-31"), "foundation", 6000.0, 2 / 3, 9000.0, 5 / 9, 2 / 3),
        (D("2024-01-01"), D("2024-03-31"), "public", 3000.0, 1 / 3, 9000.0, 5 / 9, 2 / 3),
        (D("2024-04-01"), D("2024-06-30"), "foundation", 1000.0, 1.0, 1000.0, 1.0, 1.0),
    ])
    # default, one year: foundation 7000, eu 5000, public 3000 of 15000; HHI over funders
    # (FundA 7000, EUF 5000, CityX 3000) = (49 + 25 + 9) / 225 = 83/225
    frame = insights.funding_mix(tiny, TINY_DEFAULT, grain="year")
    approx_rows(records(frame, ["funder_type", "share", "funding_hhi"]), [
        ("eu", 1 / 3, 83 / 225), ("foundation", 7 / 15, 83 / 225), ("public", 0.2, 83 / 225)])
    # West: CityX has no branch and the filter does not name central -> Q2 FundA only
    west = Query(H1.as_of, H1.period_from, H1.period_to, ("West",))
    assert records(insights.funding_mix(tiny, west, grain="quarter"), ["funder_type", "amount_eur"]) == [
        ("foundation", 1000.0)]
    # East + central: CityX counts
    east = Query(H1.as_of, H1.period_from, H1.period_to, ("East", "central"))
    assert insights.funding_mix(tiny, east, grain="year")["amount_eur"].tolist() == [6000.0, 3000.0]
    assert insights.funding_mix(load_folder(TINY, without=("funding",)), H1).empty


# ------------------------------------------------------------------ follow-up worklist
WORKLIST_COLUMNS = ["duo_id", "branch", "coordinator_id", "task", "due_on", "days_overdue"]


def test_followup_worklist(tiny):
    # A = 2024-06-30, horizon 30 -> due on or before 07-30. Ended realized duos: D1 (05-20, exit
    # O1; 3 months due 08-19: later), D3 (06-10, exit O2/O3; 3 months 09-09), D11 (04-10, exit
    # O6; 3 months 04-10 + 91 = 07-10: due in 10 days), D9 (2023-06-25: no exit -> 366 + 5 = 371
    # days overdue; 3 months 09-24 -> 280; 6 months 12-24 -> 189; 12 months recorded (O4/O5)),
    # D10 (2023-07-05: no exit -> 361; 3 months 10-04 -> 270; 6 months 2024-01-03 -> 179;
    # 12 months 2024-07-04 -> due in 4 days). D7 ends 07-08, after A: still open.
    frame = insights.followup_worklist(tiny, H1)
    assert list(frame.columns) == WORKLIST_COLUMNS + ["ended_on"]
    assert records(frame, WORKLIST_COLUMNS) == [
        ("D9", "West", "ST2", "exit_outcome", D("2023-06-25"), 371),
        ("D10", "East", "ST1", "exit_outcome", D("2023-07-05"), 361),
        ("D9", "West", "ST2", "followup_3m", D("2023-09-24"), 280),
        ("D10", "East", "ST1", "followup_3m", D("2023-10-04"), 270),
        ("D9", "West", "ST2", "followup_6m", D("2023-12-24"), 189),
        ("D10", "East", "ST1", "followup_6m", D("2024-01-03"), 179),
        ("D10", "East", "ST1", "followup_12m", D("2024-07-04"), -4),
        ("D11", "East", "ST1", "followup_3m", D("2024-07-10"), -10),
    ]
    # East only
    east = Query(H1.as_of, H1.period_from, H1.period_to, ("East",))
    assert insights.followup_worklist(tiny, east)["duo_id"].tolist() == ["D10"] * 4 + ["D11"]
    # no horizon: only what is due by A; at most 200 days overdue
    got = insights.followup_worklist(tiny, H1, horizon_days=0, max_overdue_days=200)
    assert records(got, ["duo_id", "task", "days_overdue"]) == [
        ("D9", "followup_6m", 189), ("D10", "followup_6m", 179)]
    # without outcomes, no task fires (as an at-risk rule that needs an absent table)
    assert insights.followup_worklist(load_folder(TINY, without=("outcomes",)), H1).empty


# ------------------------------------------------------------------ timeline
def test_duo_timeline(tiny):
    # D2 as of 06-30: matched 03-02, first meeting 03-10 with MT06 (1 h), check-ins C2 and C3
    # on 05-17 (by id), meetings MT08 06-03 and MT07 06-05 (by date, not by id)
    frame = insights.duo_timeline(tiny, "D2", D("2024-06-30"))
    assert records(frame, ["event_on", "event", "event_id", "hours"]) == [
        (D("2024-03-02"), "matched", "D2", None),
        (D("2024-03-10"), "first_meeting", "D2", None),
        (D("2024-03-10"), "meeting", "MT06", 1.0),
        (D("2024-05-17"), "check_in", "C2", None),
        (D("2024-05-17"), "check_in", "C3", None),
        (D("2024-06-03"), "meeting", "MT08", 0.5),
        (D("2024-06-05"), "meeting", "MT07", 1.5),
    ]
    assert records(frame.iloc[3:5], ["mentee_satisfaction", "mentor_satisfaction", "concern", "staff_id"]) == [
        (2, 4, None, "ST1"), (5, 5, False, "ST1")]
    assert frame["note"].isna().all()          # no notes unless asked
    notes = insights.duo_timeline(tiny, "D2", D("2024-06-30"), include_notes=True)["note"].tolist()
    assert notes[3:5] == ["first call", "second call same day"]
    # D7 as of 06-30: C6 (07-01), MT16 (07-10) and the end (07-08) are not known yet
    assert insights.duo_timeline(tiny, "D7", D("2024-06-30"))["event"].tolist() == [
        "matched", "first_meeting", "meeting"]
    frame = insights.duo_timeline(tiny, "D7", D("2024-07-10"))
    assert records(frame, ["event_on", "event", "end_reason"])[-3:] == [
        (D("2024-07-01"), "check_in", None), (D("2024-07-08"), "ended", "job_found"),
        (D("2024-07-10"), "meeting", None)]
    # D3: the tie O2/O3 both shown, as outcomes; the default as-of date is 2024-07-10
    frame = insights.duo_timeline(tiny, "D3")
    assert records(frame[frame["event"] == "outcome"], ["event_id", "stage", "status"]) == [
        ("O2", "exit", "training"), ("O3", "exit", "searching")]
    assert insights.duo_timeline(tiny, "D8", D("2024-05-01")).empty   # matched 05-20
    assert insights.duo_timeline(tiny, "nope").empty


# ------------------------------------------------------------------ quality under growth
def test_quality_under_growth(tiny):
    frame = insights.quality_under_growth(tiny, H1, grain="quarter")
    assert list(frame.columns) == ["period_from", "period_to", "duos_realized", "active_duos",
                                   *insights.QUALITY_KEYS]
    # Q1: realized D1, D2, D11; active on 03-31: D1, D2, D5, D11 -> 4; first duos matched in Q1:
    # D1 26, D2 30, D11 123, D3? no (04-01) -> median 30. Q2: D3, D7, D8; active on 06-30: 4.
    assert frame["duos_realized"].tolist() == [3, 3]
    assert frame["active_duos"].tolist() == [4, 4]
    assert frame["median_days_to_match"].tolist() == [30, 42.5]   # Q2: D3 31, D6 30, D7 54, D8 121
    series = engine.indicator_series(tiny, H1, grain="quarter")
    pd.testing.assert_frame_equal(frame, series[frame.columns.tolist()])
    by_branch = insights.quality_under_growth(tiny, H1, grain="quarter", by_branch=True)
    assert by_branch["branch"].tolist() == ["East", "West", "East", "West"]


# ------------------------------------------------------------------ coordinators
@pytest.mark.parametrize("branches, expected", [
    # d = 06-30: in post ST1 (East), ST3 (West, started on d); ST2 left on d (not in post) but
    # coordinates D4 (open, not started) and D5 (active). ST1: D2, D7 active; ST3: D8.
    ((), [("ST1", "East", True, 2, 2), ("ST2", "West", False, 1, 2), ("ST3", "West", True, 1, 1)]),
    (("East",), [("ST1", "East", True, 2, 2)]),
    (("West",), [("ST2", "West", False, 1, 2), ("ST3", "West", True, 1, 1)]),
    (("central",), []),
])
def test_coordinators(tiny, branches, expected):
    q = Query(H1.as_of, H1.period_from, H1.period_to, branches)
    frame = insights.coordinators(tiny, q)
    assert records(frame, ["coordinator_id", "branch", "is_in_post", "active_duos", "open_duos"]) == expected
    if expected:
        # the caseload of the coordinators in post is the handbook's active duos (no orphan duo here)
        assert frame["active_duos"].sum() == engine.indicators(tiny, q)["active_duos"]


def test_coordinators_without_staff():
    con = load_folder(TINY, without=("staff", "check_ins"))
    assert insights.coordinators(con, H1).empty


# ------------------------------------------------------------------ registry
def test_registry_entries_for_figures_beyond_the_handbook():
    keys = ("change_vs_previous_period", "mentees_waiting_over_30d", "median_days_waiting",
            "trained_mentors_free", "mentor_reengagement_rate", *insights.FUNNEL_STEPS, "duo_survival",
            "person_positive_rate_12m", "person_outcome_coverage_12m", "allocated_central_eur",
            "funding_share_by_type")
    for key in keys:
        entry = INDICATORS[key]
        assert not entry.in_handbook and key not in HANDBOOK_KEYS
        assert len(entry.definition) > 60, key
    # the handbook's keys are untouched and first
    assert list(INDICATORS)[:len(HANDBOOK_KEYS)] == list(HANDBOOK_KEYS)


def test_every_function_on_an_empty_programme():
    # required tables only, no rows: counts 0, rates/medians None, frames empty
    con = make_con()
    q = Query(D("2024-06-30"))
    extras = insights.growth_extras(con, q)
    assert extras["mentees_waiting"] == 0 and extras["mentor_reengagement_rate"] is None
    assert extras["median_days_waiting"] is None
    assert extras["funnel"]["mentees"].tolist()[:6] == [0] * 6
    assert insights.person_headline(con, q)["person_positive_rate_12m"] is None
    for frame in (insights.waiting_list(con, q), insights.days_to_match_distribution(con, q),
                  insights.survival_curves(con, q), insights.exit_outcomes(con, q),
                  insights.outcome_breakdown(con, q), insights.funding_mix(con, q),
                  insights.followup_worklist(con, q), insights.coordinators(con, q),
                  insights.duo_timeline(con, "D1", D("2024-06-30"))):
        assert frame.empty
    # 2024 by quarter as of 06-30: Q1, Q2 (Q3 and Q4 start after A); the only branch is central
    assert insights.cost_series(con, q, grain="quarter")["branch"].tolist() == ["central", "central"]
    assert len(insights.quality_under_growth(con, q, grain="quarter")) == 2


# ------------------------------------------------------------------ the real importer
@pytest.mark.parametrize("query", [H1, TINY_DEFAULT], ids=["h1_mid_year", "default"])
def test_same_results_through_the_importer(tiny, query):
    # The loader above follows the data contract; the project's importer is the real path.
    # Both must give the same figures on the worked example.
    importer = pytest.importorskip("analytics.records.importer")
    con, result = importer.open_dataset(TINY)
    assert result.rejected_count == 0
    calls = [
        lambda c: insights.waiting_list(c, query), lambda c: insights.days_to_match_distribution(c, query),
        lambda c: insights.survival_curves(c, query, "cohort"), lambda c: insights.exit_outcomes(c, query),
        lambda c: insights.outcome_breakdown(c, query, "region"),
        lambda c: insights.cost_series(c, query, "quarter", True),
        lambda c: insights.funding_mix(c, query, "quarter"), lambda c: insights.followup_worklist(c, query),
        lambda c: insights.coordinators(c, query), lambda c: insights.funnel(c, query),
        lambda c: insights.duo_timeline(c, "D2", query.as_of, include_notes=True),
    ]
    for call in calls:
        pd.testing.assert_frame_equal(call(con).reset_index(drop=True), call(tiny).reset_index(drop=True),
                                      check_dtype=False)
    assert insights.person_headline(con, query) == insights.person_headline(tiny, query)
    mine, theirs = insights.growth_extras(tiny, query), insights.growth_extras(con, query)
    assert {k: v for k, v in mine.items() if k != "funnel"} == {k: v for k, v in theirs.items() if k != "funnel"}
