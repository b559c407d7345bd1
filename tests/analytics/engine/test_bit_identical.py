"""The same data give the same bytes: whatever the row order of the input
files, whatever the number of DuckDB threads.

A small generated programme (analytics.sample, 300 duos: thousands of
meetings, cost and funding rows, whose DOUBLE sums used to change in the last
digits with the order the threads finished) is imported once; its
`indicators` and `at-risk` JSON (as the command line prints them:
numbers.dumps of the exact figures) are the reference. The generated data
have no duplicate keys, so a shuffled copy holds the same records.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.engine import insights, numbers
from analytics.engine import query as engine
from analytics.records import connections
from analytics.records.importer import open_dataset
from analytics.sample import generate_programme

QUERIES = (
    engine.Query(),  # the handbook's defaults: the calendar year of the latest event
    engine.Query(branches=("Brussels",)),
)


def outputs(con) -> bytes:
    """indicators and at-risk JSON for each query, and a cost series as CSV: one byte string."""
    parts = []
    for query in QUERIES:
        parts.append(numbers.dumps(engine.indicators(con, query, exact=True), indent=1))
        parts.append(numbers.dumps(engine.at_risk_list(con, query, exact=True), indent=1))
    parts.append(insights.cost_series(con, engine.Query(), grain="quarter").to_csv(index=False))
    return "\n".join(parts).encode("utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "programme"
    generate_programme(folder, seed=11, duos=300)
    return folder


@pytest.fixture(scope="module")
def reference(generated) -> bytes:
    con, result = open_dataset(generated)
    assert not [i for i in result.issues if i.severity == "rejected"]
    return outputs(con)


def shuffled_copy(source: Path, target: Path, rng: random.Random) -> Path:
    """Every CSV file of `source` with its records in another order (header first)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        rng.shuffle(rows)
        with open(target / path.name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return target


def test_the_reference_holds_money_and_ratios(reference):
    # the bytes carry exact money (two decimals) and rounded ratios: nothing like 0.30000000000000004
    text = reference.decode("utf-8")
    assert '"total_costs_eur": ' in text and '"funding_hhi": ' in text
    for line in text.splitlines():
        if '"total_costs_eur": ' in line or '"total_funding_eur": ' in line:
            digits = line.split(": ")[1].rstrip(",")
            assert digits == "null" or len(digits.split(".")[1]) == 2, line
        if '"funding_hhi": ' in line:
            digits = line.split(": ")[1].rstrip(",")
            assert len(digits.split(".")[1]) <= numbers.RATIO_PLACES, line


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_shuffling_every_input_file_changes_no_byte(generated, reference, tmp_path, seed):
    folder = shuffled_copy(generated, tmp_path / f"shuffled-{seed}", random.Random(seed))
    # a shuffle of thousands of rows moves some: the files really are in another order
    assert (folder / "meetings.csv").read_bytes() != (generated / "meetings.csv").read_bytes()
    con, _result = open_dataset(folder)
    assert outputs(con) == reference


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_any_number_of_threads_gives_the_same_bytes(generated, reference, monkeypatch, threads):
    monkeypatch.setenv(connections.THREADS_SETTING, str(threads))
    con, _result = open_dataset(generated)
    assert con.execute("select current_setting('threads')").fetchall()[0][0] == threads
    assert outputs(con) == reference


def test_the_thread_setting_is_read_and_checked(monkeypatch):
    monkeypatch.delenv(connections.THREADS_SETTING, raising=False)
    assert connections.threads() is None
    monkeypatch.setenv(connections.THREADS_SETTING, "3")
    con = connections.connect()
    assert con.execute("select current_setting('threads')").fetchall()[0][0] == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(connections.THREADS_SETTING, bad)
        with pytest.raises(ValueError, match="DUO_IMPACT_THREADS"):
            connections.threads()
