"""The Data page: upload -> validation report -> confirm -> import; a bad file
is rejected with its report and changes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# reruns go through app.py, as on a real server (tests/conftest.py: navigation_app)
pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
TIMEOUT = 120


def _files(folder: Path, replace: dict[str, bytes] | None = None) -> list[tuple[str, bytes, str]]:
    out = [(p.name, p.read_bytes(), "text/csv") for p in sorted(folder.glob("*.csv"))]
    replace = replace or {}
    out = [(n, replace.get(n, b), m) for n, b, m in out]
    return out


@pytest.fixture
def data_page(tmp_path, monkeypatch):
    """The Data page as a manager, on a fresh store holding the tiny fixture."""
    from analytics.importer import validate_source
    from analytics.store import Store

    store = tmp_path / "store"
    Store(store).import_result(validate_source(TINY))
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))   # the tiny fixture is "the sample": demo mode
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    return at, Store(store)


def _token(store) -> str:
    return str(store.current_token() if hasattr(store, "current_token") else store.current())


def test_upload_check_confirm_import(data_page):
    at, store = data_page
    before = _token(store)
    at.file_uploader(key="data_uploads").set_value(_files(TINY)).run()
    at.button(key="data_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Validation report" in h.value for h in at.subheader)
    assert _token(store) == before, "checking changes nothing"
    at.button(key="data_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Imported" in s.value for s in at.success)
    assert _token(store) != before, "the import switched the store to a new snapshot"


def test_rows_with_errors_are_listed_in_the_report(data_page):
    at, store = data_page
    duos = (TINY / "duos.csv").read_bytes() + b"D99,ME1,MR1,ST1,East,not-a-date,,,,\n"
    at.file_uploader(key="data_uploads").set_value(_files(TINY, {"duos.csv": duos})).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    rejected = [m for m in at.metric if m.label.startswith("Rejected")]
    assert rejected and rejected[0].value == "1"
    frames = [d.value for d in at.dataframe]
    assert any("D99" in frame.to_string() or "not-a-date" in frame.to_string() for frame in frames)


def test_a_file_that_cannot_be_imported_is_refused_with_its_reason(data_page):
    at, store = data_page
    before = _token(store)
    bad = b"duo_id,mentee_id\nD1,ME1\n"        # duos.csv without its required columns
    at.file_uploader(key="data_uploads").set_value(_files(TINY, {"duos.csv": bad})).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert any("cannot be imported" in e.value for e in at.error)
    assert "data_confirm" not in [b.key for b in at.button]
    assert _token(store) == before
