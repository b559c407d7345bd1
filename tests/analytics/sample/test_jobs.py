"""The generator's jobs table (analytics/sample/jobs.py): spells in work after the
programme for some mentees, deterministic, loaded whole by the record format's
checks, nothing dated after the snapshot day."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import sample as generate
from analytics.records.importer import open_dataset

END = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("jobs")
    counts = generate.generate_programme(out, seed=7, duos=300)
    con, result = open_dataset(out)
    return counts, con, result


def test_jobs_load_whole_and_follow_the_programme(small):
    counts, con, result = small
    assert counts["jobs"] > 0 and result.counts["jobs"] == (counts["jobs"], counts["jobs"], 0)
    # every spell is a mentee's whose realized duo had ended, and starts no earlier than 20 days
    # before that end (the job that ended the duo)
    orphans = con.execute("""
        select count(*) from jobs
        where not exists (select 1 from duos where duos.mentee_id = jobs.mentee_id
                          and duos.first_meeting_on is not null and duos.ended_on <= jobs.started_on + 20)
    """).fetchone()[0]
    assert orphans == 0
    latest_start, open_spells, later_ends = con.execute(
        "select max(started_on), count(*) filter (where ended_on is null), "
        "count(*) filter (where ended_on > date '2026-06-30') from jobs").fetchone()
    assert latest_start <= END and open_spells > 0 and later_ends == 0
    contracts = {r[0] for r in con.execute("select distinct contract from jobs").fetchall()}
    assert contracts <= {"permanent", "fixed_term", "temp_agency", "none"}


def test_the_engine_reads_them(small):
    from analytics.engine import query as engine

    _counts, con, _result = small
    got = engine.indicators(con, engine.Query(END, dt.date(2026, 1, 1), END))
    assert got["worked_90d_rate_12m"] is not None and 0 <= got["worked_90d_rate_12m"] <= 1
