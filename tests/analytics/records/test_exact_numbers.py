"""Numbers are exact decimals at the scale the record format states.

Money to the cent, hours and FTE to the hundredth, a target to four decimals:
stored as DECIMAL, summed exactly, and a number with more decimals than its
scale is rejected with its own reason (`too_many_decimals`), never rounded.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from analytics.engine import numbers
from analytics.engine import query as engine
from analytics.records import schema
from analytics.records.importer import open_dataset
from analytics.records.reading import cell_text

BASE = {
    "mentees": """
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker
        ME1,East,2024-01-10,2000-05-01,SY,true
    """,
    "mentors": """
        mentor_id,branch,applied_on,birth_date
        MR1,East,2023-06-01,1960-01-01
    """,
    "duos": """
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on
        D1,ME1,MR1,East,2024-02-05,2024-02-12
    """,
}


def write(folder: Path, separator: str = ",", **tables: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**BASE, **tables}.items():
        body = textwrap.dedent(text).strip() + "\n"
        if separator == ";" and name not in BASE:
            body = body.replace(",", ";").replace("|", ",")  # `|` stands for the decimal comma
        (folder / f"{name}.csv").write_text(body, encoding="utf-8")
    return folder


def costs(*amounts: str) -> str:
    return "month,branch,category,amount_eur\n" + "\n".join(f"2024-01,East,staff,{a}" for a in amounts)


def test_money_sums_are_exact_to_the_cent(tmp_path):
    # 0.1 + 0.2 is 0.30 exactly; ten times 0.10 is 1.00 (as binary floats:
    # 0.30000000000000004 and 0.9999999999999999). Total: 0.30 + 1.00 + 0.07 = 1.37.
    con, result = open_dataset(write(tmp_path / "p", costs=costs("0.1", "0.2", *["0.10"] * 10, "0.07")))
    assert not [i for i in result.issues if i.severity == "rejected"]
    assert con.execute("select typeof(amount_eur) from costs limit 1").fetchall()[0][0] == "DECIMAL(18,2)"
    sums = con.execute("select sum(amount_eur) filter (where rowid < 2), "
                       "sum(amount_eur) filter (where rowid between 2 and 11) from costs").fetchall()[0]
    assert sums == (Decimal("0.30"), Decimal("1.00"))
    figures = engine.indicators(con, engine.Query(as_of=dt.date(2024, 6, 30)), exact=True)
    assert figures["total_costs_eur"] == Decimal("1.37")
    # one realized duo: cost per duo = 1.37 / 1, a ratio printed with its decimals, money with its cents
    text = numbers.dumps(figures)
    assert '"total_costs_eur": 1.37,' in text and '"cost_per_duo_eur": 1.37,' in text


def test_money_prints_its_cents_and_ratios_round_half_even(tmp_path):
    # 1000 + 2000.5 = 3000.50: a money sum keeps its two decimals
    con, _ = open_dataset(write(tmp_path / "p", costs=costs("1000", "2000.5")))
    figures = engine.indicators(con, engine.Query(as_of=dt.date(2024, 6, 30)), exact=True)
    assert '"total_costs_eur": 3000.50' in numbers.dumps(figures)
    # half-even at the 12th decimal, from the exact value: ...125 -> ...12, ...135 -> ...14
    assert numbers.ratio(Decimal("0.0000000000125")) == Decimal("0.000000000012")
    assert numbers.ratio(Decimal("0.0000000000135")) == Decimal("0.000000000014")
    assert numbers.dumps({"r": numbers.edge("r", 1 / 3), "n": numbers.edge("n", 31.0)}) \
        == '{"r": 0.333333333333, "n": 31.0}'


TOO_MANY = [
    pytest.param("costs", costs("0.125"), "amount_eur", "0.125", "2", id="money-to-the-cent"),
    pytest.param("funding", "received_on,funder,funder_type,amount_eur\n2024-01-15,F,public,10.001",
                 "amount_eur", "10.001", "2", id="funding"),
    pytest.param("meetings", "meeting_id,duo_id,met_on,hours\nMT1,D1,2024-02-12,1.255",
                 "hours", "1.255", "2", id="hours"),
    pytest.param("staff", "staff_id,branch,role,fte,started_on\nST1,East,coordinator,0.333,2023-01-01",
                 "fte", "0.333", "2", id="fte"),
    pytest.param("targets", "year,branch,indicator,target\n2024,all,completion_rate,0.12345",
                 "target", "0.12345", "4", id="target"),
    pytest.param("costs", costs("1.2345e1"), "amount_eur", "1.2345e1", "2", id="exponent"),
]


@pytest.mark.parametrize("table, text, column, value, scale", TOO_MANY)
def test_too_many_decimals_are_rejected_with_their_reason(tmp_path, table, text, column, value, scale):
    _, result = open_dataset(write(tmp_path / "p", **{table: text}))
    (issue,) = [i for i in result.issues if i.severity == "rejected"]
    assert (issue.file_name, issue.row_number, issue.column_name, issue.value, issue.code) == \
        (f"{table}.csv", 2, column, value, "too_many_decimals")
    assert issue.reason == f"too many decimals: at most {scale} after the decimal mark"
    assert schema.TABLES_BY_NAME[table].column(column).scale == int(scale)


def test_a_decimal_comma_counts_its_decimals_too(tmp_path):
    # semicolon file, decimal comma: 12,345 has three decimals (rejected), 12,34 two (loaded)
    folder = write(tmp_path / "p", separator=";", costs=costs("12|345", "12|34"))
    con, result = open_dataset(folder)
    rejected = [(i.row_number, i.value, i.code) for i in result.issues if i.severity == "rejected"]
    assert rejected == [(2, "12,345", "too_many_decimals")]
    assert con.execute("select amount_eur from costs").fetchall() == [(Decimal("12.34"),)]


def test_trailing_zeros_exponents_and_huge_numbers(tmp_path):
    # 12.500 is 12.5 (zeros carry nothing); 1.5e1 is 15; 1e20 has 21 digits before the mark
    con, result = open_dataset(write(tmp_path / "p", costs=costs("12.500", "1.5e1", "1e20")))
    rejected = [(i.row_number, i.code, i.reason) for i in result.issues if i.severity == "rejected"]
    assert rejected == [(4, "too_many_digits", "out of range: at most 16 digits before the decimal mark")]
    assert con.execute("select amount_eur from costs").fetchall() == [(Decimal("12.50"),), (Decimal("15.00"),)]


def test_a_workbook_float_reads_as_the_spreadsheet_shows_it():
    # a cell computed as 0.1 + 0.2 holds 0.30000000000000004; the spreadsheet shows 0.3
    assert cell_text(0.1 + 0.2, "number") == "0.3"
    assert cell_text(0.1 + 0.2, "text") == "0.30000000000000004"
    assert cell_text(12.0, "number") == "12"
