"""The warm step: after an import the default views are answered from the
snapshot's persisted results, with the same figures as computed."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import results
from analytics.pipeline import open_source, open_store
from analytics.pipeline.warm import default_views
from analytics.records.importer import validate_source
from analytics.store import erasure
from tests.conftest import TINY


def same(a, b) -> None:
    """Equal values, DataFrames equal with their dtypes, inside tuples and dataclasses."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            same(a[k], b[k])
    elif dataclasses.is_dataclass(a):
        same(dataclasses.asdict(a), dataclasses.asdict(b))
    else:
        assert a == b or (a != a and b != b), (a, b)   # NaN == NaN here


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    path = tmp_path_factory.mktemp("warm") / "store"
    store = open_store(path, warm=True)
    store.import_result(validate_source(TINY))
    return store


@pytest.fixture(scope="module")
def cold():
    con, _ = open_source(data=TINY)       # an in-memory load: no persisted result at all
    return con


@pytest.mark.parametrize("name,view", default_views(), ids=[name for name, _ in default_views()])
def test_each_default_view_comes_from_the_snapshot_with_the_computed_figures(warmed, cold, name, view):
    con = warmed.connect()
    assert results.stored_count(con) > 0
    q = engine.resolve(con, engine.Query())
    before_hits, before_misses = results.hits, results.misses
    stored = view(con, q)
    assert results.hits > before_hits, f"{name}: no statement answered from the persisted results"
    assert results.misses == before_misses, f"{name}: a statement was computed"
    with results.bypass():
        computed = view(con, q)
    same(stored, computed)
    same(stored, view(cold, q))


def test_the_figures_are_the_worked_example(warmed):
    # 11 duos in tests/fixtures/tiny/duos.csv, all but D4 with a first meeting:
    # on the default as-of date (the latest event) 10 are realized to date
    con = warmed.connect()
    before = results.hits
    assert engine.indicators(con, engine.Query())["duos_realized_cumulative"] == 10
    assert results.hits == before + 1


def test_another_query_is_computed_not_served(warmed):
    # the key is the SQL and every bound parameter: another as-of date misses
    con = warmed.connect()
    q = engine.resolve(con, engine.Query())
    before_hits, before_misses = results.hits, results.misses
    other = engine.Query(q.as_of.replace(day=1), q.period_from, q.period_to)
    engine.indicators(con, other)
    assert results.hits == before_hits and results.misses == before_misses + 1


def test_a_failing_view_never_fails_the_import(tmp_path):
    def broken(con, q):
        raise RuntimeError("boom")

    store = open_store(tmp_path / "store", warm_extra=(("broken", broken),), warm=True)
    store.import_result(validate_source(TINY))
    assert store.warmed["broken"] == -1.0
    assert store.warmed["indicators"] >= 0
    assert results.stored_count(store.connect()) > 0


def test_the_warm_step_can_be_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("DUO_IMPACT_WARM", "0")
    store = open_store(tmp_path / "store")
    store.import_result(validate_source(TINY))
    assert store.warmed == {} and results.stored_count(store.connect()) == 0


def test_an_erasure_warms_the_redacted_copy_from_its_own_data(tmp_path):
    store = open_store(tmp_path / "store", warm=True)
    store.import_result(validate_source(TINY))
    before = engine.indicators(store.connect(), engine.Query())
    erasure.forget(store, "mentee", "ME3")   # ME3 had D3 (realized) and D4 (not)
    con = store.connect()
    assert results.stored_count(con) > 0
    hits = results.hits
    after = engine.indicators(con, engine.Query())
    assert results.hits == hits + 1
    with results.bypass():
        assert after == engine.indicators(con, engine.Query())
    assert after["duos_realized_cumulative"] == before["duos_realized_cumulative"] - 1
