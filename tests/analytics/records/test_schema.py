"""The one declaration of the record format, checked against the contract
(/work/shared/spec/record-format.md, copied here by hand) and against the
generated docs/record-format.md."""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics.records import schema
from analytics.records.document import DOC_PATH, record_format_markdown, type_text

# Tables and columns as the record format lists them, in order, with the
# required flag ("when ended" counts as not required: the column may be absent).
SPEC = {
    "mentees": "mentee_id! branch! applied_on! interviewed_on decision withdrawn_on birth_date! gender "
               "country_of_origin! education_level registered_jobseeker! sector_sought first_name "
               "languages preferred_mentor_gender",
    "mentors": "mentor_id! branch! applied_on! interviewed_on birth_date! gender former_sector work_status "
               "training_completed_on left_on first_name languages",
    "staff": "staff_id! branch! role! fte! started_on! left_on",
    "duos": "duo_id! mentee_id! mentor_id! coordinator_id branch! matched_on! first_meeting_on "
            "staff_at_first_meeting ended_on end_reason",
    "meetings": "meeting_id! duo_id! met_on! hours! mode",
    "check_ins": "check_in_id! duo_id! staff_id checked_on! mentee_satisfaction mentor_satisfaction concern note",
    "outcomes": "outcome_id! duo_id! stage! recorded_on! status! contract sector",
    "costs": "month! branch! category! amount_eur!",
    "funding": "received_on! funder! funder_type! amount_eur! branch covers_from covers_to",
    "jobs": "job_id! mentee_id! started_on! ended_on contract hours_per_week",  # handbook v2
    "targets": "year! branch! indicator! target!",
}


def test_tables_and_columns_are_the_record_formats():
    assert [t.name for t in schema.TABLES] == list(SPEC)
    for table in schema.TABLES:
        expected = [(word.rstrip("!"), word.endswith("!")) for word in SPEC[table.name].split()]
        assert [(c.name, c.required) for c in table.columns] == expected, table.name
    assert schema.REQUIRED_TABLES == ("mentees", "mentors", "duos")


def test_lists_and_ranges():
    duos = schema.TABLES_BY_NAME["duos"]
    assert duos.column("end_reason").choices == (
        "completed", "job_found", "mentee_withdrew", "mentor_withdrew", "mismatch", "other")
    assert duos.column("end_reason").required_with == "ended_on"
    assert schema.TABLES_BY_NAME["mentees"].column("gender").choices == ("F", "M", "X")
    ranges = {
        ("staff", "fte"): "in (0, 1]",
        ("meetings", "hours"): "in (0, 12]",
        ("check_ins", "mentee_satisfaction"): "1–5",
        ("check_ins", "mentor_satisfaction"): "1–5",
        ("costs", "amount_eur"): "≥ 0",
        ("funding", "amount_eur"): "> 0",
        ("targets", "target"): "",
        ("jobs", "hours_per_week"): "in (0, 60]",
    }
    for (table, column), text in ranges.items():
        assert schema.TABLES_BY_NAME[table].column(column).range_text() == text
    assert type_text(schema.TABLES_BY_NAME["staff"].column("fte")) == "number in (0, 1], at most 2 decimals"
    assert type_text(schema.TABLES_BY_NAME["targets"].column("target")) == "number, at most 4 decimals"


def test_references_keys_and_rules_name_real_columns():
    for table in schema.TABLES:
        if table.key:
            assert table.column(table.key).required
        for column in table.references:
            parent = schema.TABLES_BY_NAME[column.references]
            assert parent.key and schema.TABLES.index(parent) < schema.TABLES.index(table)
    references = {(t.name, c.name): (c.references, c.required) for t in schema.TABLES for c in t.references}
    assert references == {
        ("duos", "mentee_id"): ("mentees", True), ("duos", "mentor_id"): ("mentors", True),
        ("duos", "coordinator_id"): ("staff", False), ("meetings", "duo_id"): ("duos", True),
        ("check_ins", "duo_id"): ("duos", True), ("check_ins", "staff_id"): ("staff", False),
        ("outcomes", "duo_id"): ("duos", True), ("jobs", "mentee_id"): ("mentees", True)}
    for rule in schema.DATE_ORDERS:
        table = schema.TABLES_BY_NAME[rule.table]
        assert table.column(rule.later).type == "date"
        source = schema.TABLES_BY_NAME[table.column(rule.via).references] if rule.via else table
        assert source.column(rule.earlier).type == "date"
    for rule in schema.PROGRAMME_RULES:
        schema.TABLES_BY_NAME[rule.table].column(rule.column)
    assert [(r.table, r.later, r.earlier, r.rejects) for r in schema.DATE_ORDERS if r.rejects] == [
        ("duos", "first_meeting_on", "matched_on", True), ("duos", "ended_on", "first_meeting_on", True),
        ("duos", "ended_on", "matched_on", True), ("jobs", "ended_on", "started_on", True),
        ("funding", "covers_to", "covers_from", True)]


def test_country_codes_are_iso_3166_alpha_2_plus_kosovo():
    from babel import Locale

    # CLDR's territories minus its non-ISO and reserved entries = ISO 3166-1 alpha-2 + XK.
    not_iso = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
    cldr = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()} - not_iso
    assert set(schema.COUNTRY_CODES) == cldr
    assert len(schema.COUNTRY_CODES) == 250 and {"XK", "NA", "GR", "GB"} <= schema.COUNTRY_CODES
    assert "EL" not in schema.COUNTRY_CODES and "UK" not in schema.COUNTRY_CODES
    assert schema.COUNTRY_ALIASES == {"EL": "GR", "UK": "GB"}


def test_eu27():
    assert sorted(schema.EU27) == sorted(
        "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
    assert set(schema.EU27) <= schema.COUNTRY_CODES


def test_types_follow_the_architecture():
    assert schema.DUCKDB_TYPES == {
        "text": "VARCHAR", "choice": "VARCHAR", "country": "VARCHAR", "date": "DATE", "month": "DATE",
        "bool": "BOOLEAN", "number": "DECIMAL", "integer": "INTEGER", "languages": "VARCHAR"}
    assert schema.TABLES_BY_NAME["costs"].column("month").duckdb_type == "DATE"
    # numbers are fixed-point at their declared scale, never DOUBLE
    scales = {(t.name, c.name): c.duckdb_type for t in schema.TABLES for c in t.columns if c.type == "number"}
    assert scales == {("staff", "fte"): "DECIMAL(18,2)", ("meetings", "hours"): "DECIMAL(18,2)",
                      ("costs", "amount_eur"): "DECIMAL(18,2)", ("funding", "amount_eur"): "DECIMAL(18,2)",
                      ("targets", "target"): "DECIMAL(18,4)", ("jobs", "hours_per_week"): "DECIMAL(18,2)"}
    assert schema.TABLES_BY_NAME["targets"].column("year").duckdb_type == "INTEGER"


def test_a_column_declares_its_type_consistently():
    with pytest.raises(ValueError):
        schema.Column("x", "decimal")
    with pytest.raises(ValueError):  # a number declares its scale
        schema.Column("x", "number")
    with pytest.raises(ValueError):  # and only a number has one
        schema.Column("x", "integer", scale=2)
    with pytest.raises(ValueError):
        schema.Column("x", "text", choices=("a",))


def test_docs_record_format_is_the_generated_text():
    assert DOC_PATH == Path(__file__).resolve().parents[3] / "docs" / "record-format.md"
    assert DOC_PATH.read_text(encoding="utf-8") == record_format_markdown(), (
        "docs/record-format.md is stale: run python -m analytics.records.document")


def test_generated_doc_lists_every_column_and_list_value():
    text = record_format_markdown()
    for table in schema.TABLES:
        assert f"### {table.name} — {table.title}" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text
            for choice in column.choices:
                assert f"`{choice}`" in text
    for heading in ("### Exporting from a spreadsheet", "## What happens to bad input",
                    "## Commands and exit codes"):
        assert heading in text
