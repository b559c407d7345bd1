"""Helpers shared by the engine tests (imported by name; fixtures are in conftest.py).

``make_con`` builds a data set as the data contract says (all ten tables
and dataset_tables, typed as docs/architecture.md lists), from CSV text
naming only the columns a test needs; an optional table not given is absent.
``load_folder`` does the same from a folder of CSV files (the worked example
tests/fixtures/tiny). ``records``/``approx_rows`` compare frames with rows
worked out by hand; ``H1``/``TINY_DEFAULT`` are two of tiny's queries;
``PEOPLE_HEADER``/``MENTORS`` are the small programmes' mentee header and
mentors (tests fed through the ``programme`` fixture).
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

from analytics.engine.query import Query


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
    "staff": "staff_id:varchar branch:varchar role:varchar fte:decimal(18,2) started_on:date left_on:date",
    "duos": "duo_id:varchar mentee_id:varchar mentor_id:varchar coordinator_id:varchar branch:varchar "
            "matched_on:date first_meeting_on:date staff_at_first_meeting:boolean ended_on:date "
            "end_reason:varchar",
    "meetings": "meeting_id:varchar duo_id:varchar met_on:date hours:decimal(18,2) mode:varchar",
    "check_ins": "check_in_id:varchar duo_id:varchar staff_id:varchar checked_on:date "
                 "mentee_satisfaction:integer mentor_satisfaction:integer concern:boolean note:varchar",
    "outcomes": "outcome_id:varchar duo_id:varchar stage:varchar recorded_on:date status:varchar "
                "contract:varchar sector:varchar",
    "costs": "month:month branch:varchar category:varchar amount_eur:decimal(18,2)",
    "funding": "received_on:date funder:varchar funder_type:varchar amount_eur:decimal(18,2) branch:varchar",
    "targets": "year:integer branch:varchar indicator:varchar target:decimal(18,4)",
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


# ------------------------------------------------------------------ small programmes
PEOPLE_HEADER = "mentee_id,branch,applied_on,interviewed_on,decision,birth_date,country_of_origin,registered_jobseeker"
MENTORS = """
    mentor_id,branch,applied_on,birth_date,training_completed_on
    R1,North,2023-01-01,1960-01-01,2024-01-10
    R2,North,2023-01-01,1960-01-01,
"""
