"""CSV downloads are safe against formula injection."""
import io

import pandas as pd
import pytest

from ui.export import safe_csv


def test_formula_like_cells_are_neutralised():
    frame = pd.DataFrame({"duo": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "D1"],
                          "score": [1, 2, -3, 4, 5, 6]})
    text = safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back["duo"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "D1"]
    assert back["score"].tolist() == ["1", "2", "-3", "4", "5", "6"]   # numbers stay numbers


def test_header_cells_too():
    text = safe_csv(pd.DataFrame({"=cmd": ["a"]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=cmd"


@pytest.mark.parametrize("dtype", ["string", "category", object])
def test_text_cells_of_every_text_dtype(dtype):
    # pandas' `string` dtype (pandas 3's default for text) and categoricals are text too:
    # each formula-like cell gets the apostrophe, the plain one and the missing one do not.
    frame = pd.DataFrame({"note": pd.Series(["=1+1", "-x", "ok", None], dtype=dtype),
                          "amount": pd.Series([-1.5, 2.0, 3.0, 4.0], dtype="Float64")})
    lines = safe_csv(frame).decode("utf-8-sig").splitlines()
    assert lines == ["note,amount", "'=1+1,-1.5", "'-x,2.0", "ok,3.0", ",4.0"]


def test_numbers_and_dates_stay_as_they_are():
    frame = pd.DataFrame({"n": pd.Series([-3, 4], dtype="Int64"), "on": pd.to_datetime(["2026-01-02", None]),
                          "flag": [True, False]})
    assert safe_csv(frame).decode("utf-8-sig").splitlines() == ["n,on,flag", "-3,2026-01-02,True", "4,,False"]


def test_money_and_hours_columns_are_written_to_the_hundredth():
    """0.1 + 0.2 in binary is 0.30000000000000004; the CSV says 0.30 (half-even at the cent)."""
    import pandas as pd

    from ui.export import safe_csv

    frame = pd.DataFrame({"amount_eur": [0.1 + 0.2, 2.675], "hours_in_window": [1.005, None], "n": [1, 2]})
    text = safe_csv(frame).decode("utf-8-sig")
    # the shortest text of each float, then half-even: 2.675 -> 2.68, 1.005 -> 1.00
    assert text.splitlines() == ["amount_eur,hours_in_window,n", "0.30,1.00,1", "2.68,,2"]


def test_a_download_keeps_the_snapshot_it_was_made_from(tmp_path, monkeypatch):
    """ui.connection.keep_snapshot (the on_click of the dashboard's downloads)
    marks the current snapshot kept, so a later import does not prune it."""
    from analytics.pipeline import open_store
    from analytics.records.importer import validate_source
    from tests.conftest import TINY
    from ui import connection

    monkeypatch.setenv("DUO_IMPACT_DB", str(tmp_path / "store"))
    store = open_store(tmp_path / "store")
    store.import_result(validate_source(TINY))
    first = store.current_token()
    connection.keep_snapshot()
    assert store.kept() == {first}
    for _ in range(2):                     # two later imports: the first snapshot stays
        store.import_result(validate_source(TINY))
    assert (tmp_path / "store" / first).is_file()
