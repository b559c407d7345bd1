"""Tests of the synthetic programme generator (analytics/sample/).

Three kinds of checks:

- determinism and shape: same seed -> byte-identical files, another seed ->
  other files, every header exactly the record format's columns;
- integrity of a small generated programme: ids unique, references resolve,
  values in their lists and ranges, the date orders the record format rejects
  never occur, nothing dated after the snapshot day;
- calibration of the bundled default-size sample in data/sample against the
  published DUO for a JOB figures the generator is tuned to.
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics import sample as generate
from analytics.cli import sample as generate_command

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample"
END = "2026-06-30"

# Column order of the record format (v1), copied from the spec on purpose:
# the test must fail if the generator drifts from the contract.
HEADERS = {
    "mentees": ["mentee_id", "branch", "applied_on", "interviewed_on", "decision", "withdrawn_on",
                "birth_date", "gender", "country_of_origin", "education_level",
                "registered_jobseeker", "sector_sought", "first_name"],
    "mentors": ["mentor_id", "branch", "applied_on", "interviewed_on", "birth_date", "gender",
                "former_sector", "work_status", "training_completed_on", "left_on", "first_name"],
    "staff": ["staff_id", "branch", "role", "fte", "started_on", "left_on"],
    "duos": ["duo_id", "mentee_id", "mentor_id", "coordinator_id", "branch", "matched_on",
             "first_meeting_on", "staff_at_first_meeting", "ended_on", "end_reason"],
    "meetings": ["meeting_id", "duo_id", "met_on", "hours", "mode"],
    "check_ins": ["check_in_id", "duo_id", "staff_id", "checked_on", "mentee_satisfaction",
                  "mentor_satisfaction", "concern", "note"],
    "outcomes": ["outcome_id", "duo_id", "stage", "recorded_on", "status", "contract", "sector"],
    "costs": ["month", "branch", "category", "amount_eur"],
    "funding": ["received_on", "funder", "funder_type", "amount_eur", "branch"],
    "targets": ["year", "branch", "indicator", "target"],
    "jobs": ["job_id", "mentee_id", "started_on", "ended_on", "contract", "hours_per_week"],  # v2
}

LISTS = {
    ("mentees", "decision"): ["eligible", "ineligible"],
    ("mentees", "gender"): ["F", "M", "X"],
    ("mentees", "education_level"): ["none", "primary", "secondary", "tertiary"],
    ("mentees", "registered_jobseeker"): ["true", "false"],
    ("mentors", "gender"): ["F", "M", "X"],
    ("mentors", "work_status"): ["early_retired", "retired", "employed", "other"],
    ("staff", "role"): ["coordinator", "manager", "other"],
    ("duos", "staff_at_first_meeting"): ["true", "false"],
    ("duos", "end_reason"): ["completed", "job_found", "mentee_withdrew", "mentor_withdrew",
                             "mismatch", "other"],
    ("meetings", "mode"): ["in_person", "phone", "video"],
    ("check_ins", "concern"): ["true", "false"],
    ("outcomes", "stage"): ["exit", "followup_3m", "followup_6m", "followup_12m"],
    ("outcomes", "status"): ["employed", "self_employed", "training", "internship", "volunteering",
                             "searching", "inactive", "unknown"],
    ("outcomes", "contract"): ["permanent", "fixed_term", "temp_agency", "none"],
    ("costs", "category"): ["staff", "training", "events", "overhead", "other"],
    ("funding", "funder_type"): ["public", "eu", "foundation", "corporate", "individual", "earned"],
}

# Event dates that may not lie after the snapshot day.
EVENT_DATES = [
    ("mentees", "applied_on"), ("mentees", "interviewed_on"), ("mentees", "withdrawn_on"),
    ("mentors", "applied_on"), ("mentors", "interviewed_on"), ("mentors", "training_completed_on"),
    ("mentors", "left_on"), ("staff", "started_on"), ("staff", "left_on"),
    ("duos", "matched_on"), ("duos", "first_meeting_on"), ("duos", "ended_on"),
    ("meetings", "met_on"), ("check_ins", "checked_on"), ("outcomes", "recorded_on"),
    ("funding", "received_on"),
]


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """The CSV files as text views (empty cell -> null), typed in the queries."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    for table, columns in HEADERS.items():
        cols = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
        con.execute(f"create view {table} as select * from read_csv('{folder / (table + '.csv')}', "
                    f"header=true, columns={{{cols}}}, quote='\"', delim=',')")
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate.generate_programme(out, seed=7, duos=300)
    return out


# ---------------------------------------------------------------- determinism

def test_same_seed_gives_byte_identical_files(small, tmp_path):
    generate.generate_programme(tmp_path, seed=7, duos=300)
    for table in HEADERS:
        assert (tmp_path / f"{table}.csv").read_bytes() == (small / f"{table}.csv").read_bytes(), table


def test_another_seed_gives_other_files(small, tmp_path):
    generate.generate_programme(tmp_path, seed=8, duos=300)
    differing = [t for t in HEADERS
                 if (tmp_path / f"{t}.csv").read_bytes() != (small / f"{t}.csv").read_bytes()]
    assert {"mentees", "mentors", "duos", "meetings", "check_ins", "outcomes"} <= set(differing)


def test_every_header_is_the_record_format(small):
    for table, columns in HEADERS.items():
        raw = (small / f"{table}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        header = raw.split(b"\n", 1)[0].decode("utf-8")
        assert header.split(",") == columns, table


def test_returned_counts_are_the_rows_written(tmp_path):
    counts = generate.generate_programme(tmp_path, seed=3, duos=200)
    assert set(counts) == set(HEADERS)
    for table, n in counts.items():
        lines = (tmp_path / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) - 1 == n, table
    assert counts["duos"] == 200


# ---------------------------------------------------------------- integrity

def integrity_problems(folder: Path) -> list[str]:
    """Everything the record format would reject, plus the snapshot rule."""
    con = connect(folder)
    problems: list[str] = []

    def none(what: str, sql: str) -> None:
        n = scalar(con, f"select count(*) from ({sql})")
        if n:
            problems.append(f"{what}: {n}")

    keys = {"mentees": "mentee_id", "mentors": "mentor_id", "staff": "staff_id", "duos": "duo_id",
            "meetings": "meeting_id", "check_ins": "check_in_id", "outcomes": "outcome_id"}
    for table, key in keys.items():
        none(f"{table}.{key} empty or repeated",
             f"select {key} from {table} group by {key} having count(*) > 1 or {key} is null")
    required = {
        "mentees": ["branch", "applied_on", "birth_date", "country_of_origin", "registered_jobseeker"],
        "mentors": ["branch", "applied_on", "birth_date"],
        "staff": ["branch", "role", "fte", "started_on"],
        "duos": ["mentee_id", "mentor_id", "branch", "matched_on"],
        "meetings": ["duo_id", "met_on", "hours"],
        "check_ins": ["duo_id", "checked_on"],
        "outcomes": ["duo_id", "stage", "recorded_on", "status"],
        "costs": ["month", "branch", "category", "amount_eur"],
        "funding": ["received_on", "funder", "funder_type", "amount_eur"],
        "targets": ["year", "branch", "indicator", "target"],
    }
    for table, columns in required.items():
        for c in columns:
            none(f"{table}.{c} missing", f"select 1 from {table} where {c} is null")
    for (table, column), allowed in LISTS.items():
        values = ", ".join(f"'{v}'" for v in allowed)
        none(f"{table}.{column} outside its list",
             f"select 1 from {table} where {column} is not null and {column} not in ({values})")
    # types and ranges (try_cast: an unparseable value would come back null)
    for table, column in EVENT_DATES + [("mentees", "birth_date"), ("mentors", "birth_date")]:
        none(f"{table}.{column} not an ISO date",
             f"select 1 from {table} where {column} is not null and "
             f"(try_strptime({column}, '%Y-%m-%d') is null or length({column}) <> 10)")
        none(f"{table}.{column} after {END}",
             f"select 1 from {table} where {column}::date > DATE '{END}'"
             if (table, column) in EVENT_DATES else "select 1 where false")
    none("costs.month not YYYY-MM or after the end",
         f"select 1 from costs where try_strptime(month || '-01', '%Y-%m-%d') is null "
         f"or length(month) <> 7 or month > '{END[:7]}'")
    none("hours outside (0, 12]", "select 1 from meetings where try_cast(hours as double) is null "
         "or hours::double <= 0 or hours::double > 12")
    none("fte outside (0, 1]", "select 1 from staff where try_cast(fte as double) is null "
         "or fte::double <= 0 or fte::double > 1")
    for c in ["mentee_satisfaction", "mentor_satisfaction"]:
        none(f"{c} not an integer 1-5", f"select 1 from check_ins where {c} is not null and "
             f"(try_cast({c} as integer) is null or {c}::integer not between 1 and 5 or {c} like '%.%')")
    none("cost amount negative or unparseable",
         "select 1 from costs where try_cast(amount_eur as double) is null or amount_eur::double < 0")
    none("funding amount not positive",
         "select 1 from funding where try_cast(amount_eur as double) is null or amount_eur::double <= 0")
    none("numbers with a thousands separator or exponent",
         "select 1 from (select amount_eur a from costs union all select amount_eur from funding "
         "union all select target from targets union all select hours from meetings) "
         "where not regexp_full_match(a, '-?[0-9]+(\\.[0-9]+)?')")
    none("target year not an integer", "select 1 from targets where try_cast(year as integer) is null")
    none("country not upper-case alpha-2",
         "select 1 from mentees where not regexp_full_match(country_of_origin, '[A-Z]{2}')")
    # date orders the record format rejects
    none("first_meeting_on before matched_on",
         "select 1 from duos where first_meeting_on::date < matched_on::date")
    none("ended_on before first_meeting_on",
         "select 1 from duos where ended_on::date < first_meeting_on::date")
    none("ended_on before matched_on",
         "select 1 from duos where ended_on::date < matched_on::date")
    none("ended_on without end_reason", "select 1 from duos where ended_on is not null and end_reason is null")
    none("end_reason without ended_on", "select 1 from duos where ended_on is null and end_reason is not null")
    # references
    for child, column, parent, key in [
        ("duos", "mentee_id", "mentees", "mentee_id"), ("duos", "mentor_id", "mentors", "mentor_id"),
        ("duos", "coordinator_id", "staff", "staff_id"), ("meetings", "duo_id", "duos", "duo_id"),
        ("check_ins", "duo_id", "duos", "duo_id"), ("check_ins", "staff_id", "staff", "staff_id"),
        ("outcomes", "duo_id", "duos", "duo_id"),
    ]:
        none(f"{child}.{column} -> {parent} unresolved",
             f"select 1 from {child} c where c.{column} is not null and not exists "
             f"(select 1 from {parent} p where p.{key} = c.{column})")
    # the order warnings too: a realistic programme should not produce them
    none("matched before the mentee applied",
         "select 1 from duos d join mentees m using (mentee_id) where d.matched_on::date < m.applied_on::date")
    none("matched before the mentor applied",
         "select 1 from duos d join mentors m using (mentor_id) where d.matched_on::date < m.applied_on::date")
    none("meeting outside its duo",
         "select 1 from meetings x join duos d using (duo_id) where d.first_meeting_on is null "
         "or x.met_on::date < d.first_meeting_on::date or x.met_on::date > coalesce(d.ended_on::date, DATE '2100-01-01')")
    none("check-in before the match or after the end",
         "select 1 from check_ins x join duos d using (duo_id) where x.checked_on::date < d.matched_on::date "
         "or x.checked_on::date > coalesce(d.ended_on::date, DATE '2100-01-01')")
    none("outcome of a duo not ended", "select 1 from outcomes o join duos d using (duo_id) "
         "where d.ended_on is null or o.recorded_on::date < d.ended_on::date - 15")
    none("staff left before starting", "select 1 from staff where left_on::date < started_on::date")
    none("coordinator not employed on the match day",
         "select 1 from duos d join staff s on s.staff_id = d.coordinator_id where "
         "d.matched_on::date < s.started_on::date or d.matched_on::date >= coalesce(s.left_on::date, DATE '2100-01-01')")
    none("mentor busy with two duos at once",
         "select 1 from duos a join duos b on a.mentor_id = b.mentor_id and a.duo_id < b.duo_id "
         "where b.matched_on::date <= coalesce(a.ended_on::date, DATE '2100-01-01') "
         "and a.matched_on::date <= coalesce(b.ended_on::date, DATE '2100-01-01')")
    none("mentor under 46 or over 75 at application",
         "select 1 from mentors where date_diff('day', birth_date::date, applied_on::date) / 365.25 not between 46 and 75")
    return problems


def test_small_programme_has_no_rejectable_row(small):
    assert integrity_problems(small) == []


def test_small_programme_scales_people_and_money(small):
    con = connect(small)
    assert scalar(con, "select count(*) from duos") == 300
    assert scalar(con, "select count(distinct branch) from duos") == 4
    assert scalar(con, "select count(*) from staff where role = 'manager'") >= 4
    assert scalar(con, "select count(*) from costs where branch = 'central'") > 0


# ---------------------------------------------------------------- calibration

@pytest.fixture(scope="module")
def sample() -> duckdb.DuckDBPyConnection:
    if not (SAMPLE / "duos.csv").exists():
        pytest.skip("data/sample not generated")
    con = connect(SAMPLE)
    con.execute("""create table d as select duo_id, mentor_id, matched_on::date m,
        first_meeting_on::date f, ended_on::date e, end_reason r from duos""")
    return con


def realized_by(con, iso: str) -> int:
    return scalar(con, f"select count(*) from d where f <= DATE '{iso}'")


def test_sample_realized_duos_follow_the_published_curve(sample):
    assert abs(realized_by(sample, "2015-12-31") - 335) <= 40
    assert abs(realized_by(sample, "2019-12-31") - 2400) <= 250
    assert abs(realized_by(sample, "2023-12-31") - 6000) <= 500
    # then roughly a thousand a year
    per_year = realized_by(sample, "2025-12-31") - realized_by(sample, "2024-12-31")
    assert 800 <= per_year <= 1200


def test_sample_early_closure_share(sample):
    share = scalar(sample, """select count_if(e - f < 90 and r not in ('completed', 'job_found'))
        / count(*) from d where f is not null and e is not null""")
    assert 0.20 <= share <= 0.38


def test_sample_mentor_re_engagement(sample):
    share = scalar(sample, "select count_if(n >= 2) / count(*) from (select mentor_id, count(*) n from d group by 1)")
    assert abs(share - 0.82) <= 0.05


def test_sample_has_open_duos_without_recent_meeting(sample):
    stalled = scalar(sample, f"""
        select count(*) from d left join (select duo_id, max(met_on::date) last_met from meetings group by 1) x
        using (duo_id)
        where e is null and f is not null and greatest(f, coalesce(last_met, f)) < DATE '{END}' - 21""")
    assert stalled >= 5
    open_duos = scalar(sample, "select count(*) from d where e is null")
    assert stalled < open_duos / 5  # most open duos are healthy


def test_sample_has_nothing_after_the_snapshot_day(sample):
    for table, column in EVENT_DATES:
        assert scalar(sample, f"select count(*) from {table} where {column}::date > DATE '{END}'") == 0, column
    assert scalar(sample, f"select count(*) from costs where month > '{END[:7]}'") == 0


def caseload(con, iso: str) -> float:
    x = f"DATE '{iso}'"
    active = scalar(con, f"select count(*) from d where f <= {x} and (e is null or e > {x})")
    fte = scalar(con, f"""select sum(fte::double) from staff where role = 'coordinator'
        and started_on::date <= {x} and (left_on is null or left_on::date > {x})""")
    return active / fte


def test_sample_caseload_peaks_in_the_2019_growth_spurt(sample):
    peak = caseload(sample, "2019-06-30")
    assert peak > caseload(sample, "2017-06-30")
    assert peak > caseload(sample, "2022-06-30")


def test_sample_passes_the_integrity_checks():
    if not (SAMPLE / "duos.csv").exists():
        pytest.skip("data/sample not generated")
    assert integrity_problems(SAMPLE) == []


def test_sample_is_what_the_default_command_writes(tmp_path):
    """The bundled sample must be reproducible from the code (default seed and size)."""
    if not (SAMPLE / "duos.csv").exists():
        pytest.skip("data/sample not generated")
    generate.generate_programme(tmp_path)
    for table in HEADERS:
        assert (tmp_path / f"{table}.csv").read_bytes() == (SAMPLE / f"{table}.csv").read_bytes(), table


def test_sample_loads_without_rejections():
    importer = pytest.importorskip("analytics.records.importer")
    if not (SAMPLE / "duos.csv").exists():
        pytest.skip("data/sample not generated")
    result = importer.validate_source(SAMPLE)
    assert result.rejected_count == 0


# ---------------------------------------------------------------- command and scale

def test_command_line_registration(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    generate_command.register(sub)
    args = parser.parse_args(["generate", "--out", str(tmp_path), "--seed", "5", "--duos", "150"])
    assert args.handler(args) == 0
    assert "duos: 150 rows" in capsys.readouterr().out
    assert (tmp_path / "duos.csv").exists()


def test_scaling_is_roughly_linear(tmp_path):
    small_counts = generate.generate_programme(tmp_path / "a", seed=11, duos=2000)
    big_counts = generate.generate_programme(tmp_path / "b", seed=11, duos=20000)
    for table in ["mentees", "mentors", "duos", "meetings", "check_ins", "outcomes"]:
        ratio = big_counts[table] / small_counts[table]
        assert 8.0 <= ratio <= 12.0, (table, ratio)
    # money grows a little less than linearly at small sizes: every branch keeps
    # at least one coordinator, and grants are per funder, not per duo
    cost = {k: scalar(connect(tmp_path / k), "select sum(amount_eur::double) from costs") for k in "ab"}
    assert 6.0 <= cost["b"] / cost["a"] <= 12.0
    gifts = {k: scalar(connect(tmp_path / k), "select count(*) from funding where funder_type = 'individual'")
             for k in "ab"}
    assert 6.0 <= gifts["b"] / gifts["a"] <= 12.0


def test_default_size_follows_the_curve():
    # ~8,500 duos by the snapshot day, as the published curve extrapolates
    assert 8000 <= generate.DEFAULT_DUOS <= 9200
    assert dt.date.fromisoformat(generate.END_DATE) == dt.date(2026, 6, 30)
