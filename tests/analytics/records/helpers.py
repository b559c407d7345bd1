"""Helpers shared by the importer and store tests (imported by name).

``BASE`` is a small programme that loads whole; ``write_tables`` writes it
(or another base) with some tables replaced or left out; ``issues_of`` and
``table_rows`` read back what the importer reported and loaded.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from analytics.records.importer import Issue


FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
TINY = FIXTURES / "tiny"
IMPORT_FIXTURES = FIXTURES / "import"

# A small programme that loads whole: two mentees, one mentor, two duos.
BASE = {
    "mentees": """
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        ME1,East,2024-01-10,2000-05-01,SY,true
        ME2,East,2024-02-01,1999-01-01,AF,true
    """,
    "mentors": """
        mentor_id,branch,applied_on,birth_date
        MR1,East,2023-06-01,1960-01-01
    """,
    "duos": """
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason
        D1,ME1,MR1,East,2024-02-05,2024-02-12,2024-05-20,completed
        D2,ME2,MR1,East,2024-03-02,,,
    """,
}


def write_tables(folder: Path, tables: dict[str, str | None], base: dict[str, str] | None = None) -> Path:
    """Write `<table>.csv` files from dedented CSV text; None leaves a table out."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = dict(BASE if base is None else base)
    merged.update(tables)
    for name, text in merged.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def issues_of(result, severity: str | None = None) -> list[Issue]:
    return [i for i in result.issues if severity is None or i.severity == severity]


def table_rows(con, table: str) -> list[tuple]:
    return con.execute(f'SELECT * FROM "{table}"').fetchall()
