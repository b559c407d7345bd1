"""Shared test helpers: build a small programme from CSV text and open it.

Tests write the few rows they need as CSV (the header names the columns
used); ``programme`` fills in each required table's full header so the
record format is respected, loads the files through the real importer into an
in-memory DuckDB, and returns the connection.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

# Imports in tests skip the warm step (about 2 s per import of the tiny
# example); tests/analytics/pipeline/test_warm.py asks for it (warm=True).
os.environ.setdefault("DUO_IMPACT_WARM", "0")

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
TINY = FIXTURES / "tiny"


def write_programme(folder: Path, tables: dict[str, str]) -> Path:
    """Write each table's CSV text (dedented) as ``<table>.csv`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def programme(tmp_path):
    """``programme(mentees=..., mentors=..., duos=..., ...)`` -> an open DuckDB connection."""
    from analytics.records.importer import open_dataset

    counter = iter(range(1000))

    def build(**tables: str):
        folder = write_programme(tmp_path / f"programme{next(counter)}", tables)
        con, result = open_dataset(folder)
        rejected = [i for i in result.issues if i.severity == "rejected"]
        assert not rejected, f"test data should load whole: {rejected}"
        return con

    return build


@pytest.fixture
def navigation_app(monkeypatch):
    """AppTest resets PagesManager.uses_pages_directory before each run, so with
    a pages/ folder its reruns would skip app.py; a real server does not, once
    st.navigation ran. Used by every AppTest module (pytestmark)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> Path:
    """A store holding the worked example, imported through the real importer."""
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    path = tmp_path_factory.mktemp("tiny") / "store"
    Store(path).import_result(validate_source(TINY))
    return path


@pytest.fixture(autouse=True)
def _audit_log_in_tmp(tmp_path, monkeypatch):
    """Commands that write the audit log (at-risk, report files, erasures) write
    it in the test's folder, never beside the repository's store; a test that
    checks the default place removes the variable itself."""
    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
