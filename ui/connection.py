"""Which snapshot the dashboard reads, and a cursor on it: the store's
location, the first-run import of the bundled sample, demo mode, and one
cached read-only connection per store snapshot.

- The store lives at ``$DUO_IMPACT_DB`` (default ``data/store``, relative to
  the project root). When it holds no snapshot yet, the bundled sample
  (``data/sample/``, or ``$DUO_IMPACT_SAMPLE``) is imported on first run.
- The connection follows the store's pointer: the token of the current
  snapshot is part of every cache key (``ui.data``), so an import (in this
  app or from the command line) is seen on the next rerun, and results of the
  old snapshot are simply never asked for again.
- Each query runs on its own cursor of the shared connection (DuckDB cursors
  are safe to use from different threads; a connection is not).

Below ``ui.auth`` (which asks :func:`demo_mode`) and ``ui.data`` (which
queries through :func:`cursor`): this module imports neither.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

import streamlit as st

from ui.i18n import _

ROOT = Path(__file__).resolve().parent.parent
_import_lock = threading.Lock()


# ---------------------------------------------------------------- where
def store_path() -> Path:
    p = Path(os.environ.get("DUO_IMPACT_DB", "data/store"))
    return p if p.is_absolute() else ROOT / p


def sample_path() -> Path:
    p = Path(os.environ.get("DUO_IMPACT_SAMPLE", "data/sample"))
    return p if p.is_absolute() else ROOT / p


def _report_view(con, query) -> None:
    """The impact report's default model (what the Impact report page and a
    funder's Overview tiles open with): its statements warmed with the rest."""
    from analytics.report import build  # plotly and the report's text: only when an import warms

    build(con, query, lang="en")


# On a first run the sample's import warms only the first page (the manager's
# Overview: ``compare``), so that the dashboard answers within seconds; the
# other pages compute on first use. Every later import warms them all.
FIRST_RUN_WARM = ("compare",)


def store(first_run: bool = False):
    """The store, whose imports build the engine's facts and warm the new
    snapshot's default views, the impact report's included (analytics.pipeline)."""
    from analytics.pipeline import open_store

    return open_store(store_path(), warm_extra=(("report", _report_view),),
                      warm_only=FIRST_RUN_WARM if first_run else None)


def keep_snapshot(snapshot: str | None = None) -> None:
    """A report or an export was made from ``snapshot`` (default: the current
    one): keep it, so that the same figures can be made again from it
    (``report --snapshot ID``); imports never prune a kept snapshot."""
    snapshot = snapshot or token()
    if snapshot is not None:
        store().keep(snapshot)


def token() -> str | None:
    """Names the current snapshot; changes with every import."""
    return store().current_token()


# ---------------------------------------------------------------- first run
def ensure_data() -> str:
    """The current snapshot's token, importing the bundled sample first if the
    store is empty. Stops the page with an explanation if there is nothing."""
    t = token()
    if t is not None:
        return t
    sample = sample_path()
    if not sample.is_dir():
        st.error(_("No data yet, and the bundled sample was not found at {path}. "
                   "Generate it with `python -m analytics generate`, or import your "
                   "records on the Data page.").format(path=str(sample)))
        st.stop()
    with _import_lock:  # two first sessions must not import twice
        t = token()
        if t is not None:
            return t
        from analytics.records.importer import validate_source

        bar = st.progress(0.0, text=_("First run: importing the sample data…"))

        def progress(start: float, share: float) -> Callable[[float, str], None]:
            def report(fraction: float, _message: str = "") -> None:
                value = min(max(start + share * float(fraction), 0.0), 1.0)
                bar.progress(value, text=_("First run: importing the sample data…"))
            return report

        with st.spinner(_("Reading the sample records…")):
            result = validate_source(sample, progress=progress(0.0, 0.5))
            store(first_run=True).import_result(result, progress=progress(0.5, 0.5))
        bar.empty()
    st.cache_data.clear()
    t = token()
    if t is None:  # pragma: no cover - the store refused silently
        st.error(_("The sample could not be imported."))
        st.stop()
    return t


# ---------------------------------------------------------------- demo mode
def _sample_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies the sample folder's files cheaply (name, size, mtime)."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.iterdir() if p.is_file()))


@st.cache_data(max_entries=4, show_spinner=False)
def _sample_hashes(folder: str, stamp: tuple) -> frozenset[str]:
    import hashlib

    hashes = set()
    for name, _size, _mtime in stamp:
        digest = hashlib.sha256()
        with open(Path(folder) / name, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        hashes.add(digest.hexdigest())
    return frozenset(hashes)


@st.cache_data(max_entries=8, show_spinner=False)
def _only_sample(snapshot: str, sample_hashes: frozenset[str]) -> bool:
    with cursor(snapshot) as cur:
        found = cur.execute(
            "select count(*) from duckdb_tables() where table_name = 'import_log'").fetchall()[0][0]
        if not found:
            return False
        logged = [r[0] for r in cur.execute("select sha256 from import_log").fetchall()]
    return bool(logged) and all(h in sample_hashes for h in logged)


def demo_mode() -> bool:
    """True while the store has only ever held the bundled sample (demo mode:
    the role picker without password); False once anything else was imported
    (sign-in required).

    How it knows: every row of the current snapshot's ``import_log`` (one row
    per file ever imported; the log is carried from snapshot to snapshot, so
    it is the store's whole history) must carry the SHA-256 of one of the
    files in the sample folder (``data/sample/`` or ``$DUO_IMPACT_SAMPLE``).
    File contents, not paths or names: a copy of the sample imported from
    elsewhere is still the sample, and real records renamed like the sample
    are not. Once real records were imported the answer stays False even if
    the sample is imported again later (older snapshots and the log still
    hold the real import). Fails closed: no log, an empty log, a missing or
    regenerated sample folder, or any error means sign-in is required."""
    try:
        folder = sample_path()
        stamp = _sample_stamp(folder)
        if not stamp:
            return False
        return _only_sample(ensure_data(), _sample_hashes(str(folder), stamp))
    except Exception:  # noqa: BLE001 - fail closed
        return False


# ---------------------------------------------------------------- connection
@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(store_dir: str, snapshot: str):
    """One read-only connection per snapshot (the key changes with the pointer)."""
    from analytics.store.snapshots import Store

    return Store(Path(store_dir)).connect_token(snapshot)


def cursor(snapshot: str):
    """A fresh cursor on ``snapshot`` (one per query: thread-safe use)."""
    return _connection(str(store_path()), snapshot).cursor()
