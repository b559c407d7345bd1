"""Where pages get their data: one cached read-only connection per store
snapshot, and cached query results keyed on (snapshot token, query).

- The store lives at ``$DUO_IMPACT_DB`` (default ``data/store``, relative to
  the project root). When it holds no snapshot yet, the bundled sample
  (``data/sample/``, or ``$DUO_IMPACT_SAMPLE``) is imported on first run.
- The connection follows the store's pointer: the token of the current
  snapshot is part of every cache key, so an import (in this app or from the
  command line) is seen on the next rerun, and results of the old snapshot
  are simply never asked for again.
- Each query runs on its own cursor of the shared connection (DuckDB cursors
  are safe to use from different threads; a connection is not).

Pages call the functions here and never SQL or the engine directly.
"""
from __future__ import annotations

import dataclasses
import importlib
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any, Callable

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


def store():
    from analytics.store.snapshots import Store

    return Store(store_path())


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
            store().import_result(result, progress=progress(0.5, 0.5))
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
    with _cursor(snapshot) as cur:
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


def connection():
    """A fresh cursor on the current snapshot (thread-safe use)."""
    t = ensure_data()
    return _connection(str(store_path()), t).cursor()


def _cursor(snapshot: str):
    return _connection(str(store_path()), snapshot).cursor()


# ---------------------------------------------------------------- queries
QueryKey = tuple[str | None, str | None, str | None, tuple[str, ...]]


def query_key(as_of: date | None = None, period_from: date | None = None,
              period_to: date | None = None, branches: tuple[str, ...] = ()) -> QueryKey:
    iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
    return (iso(as_of), iso(period_from), iso(period_to), tuple(sorted(branches)))


def _query(key: QueryKey):
    from analytics.engine.query import Query

    d = lambda s: None if s is None else date.fromisoformat(s)  # noqa: E731
    return Query(as_of=d(key[0]), period_from=d(key[1]), period_to=d(key[2]), branches=key[3])


def engine_has(name: str, module: str = "analytics.engine.query") -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


@st.cache_data(max_entries=64, show_spinner=False)
def _branches(snapshot: str) -> list[str]:
    from analytics.engine import query as engine

    with _cursor(snapshot) as cur:
        return list(engine.branches(cur))


def branches() -> list[str]:
    return _branches(ensure_data())


@st.cache_data(max_entries=256, show_spinner=False)
def _resolve(snapshot: str, key: QueryKey) -> QueryKey:
    from analytics.engine import query as engine

    with _cursor(snapshot) as cur:
        q = engine.resolve(cur, _query(key))
    return query_key(q.as_of, q.period_from, q.period_to, tuple(q.branches))


def resolve(key: QueryKey) -> QueryKey:
    """The query with the handbook's defaults filled in (as-of, calendar year)."""
    return _resolve(ensure_data(), key)


def default_as_of() -> date:
    return date.fromisoformat(resolve(query_key())[0])


@st.cache_data(max_entries=256, show_spinner=False)
def _indicators(snapshot: str, key: QueryKey) -> dict[str, Any]:
    from analytics.engine import query as engine

    with _cursor(snapshot) as cur:
        return dict(engine.indicators(cur, _query(key)))


def indicators(key: QueryKey) -> dict[str, Any]:
    return _indicators(ensure_data(), key)


@st.cache_data(max_entries=128, show_spinner=False)
def _series(snapshot: str, key: QueryKey, grain: str, by_branch: bool):
    from analytics.engine import query as engine

    with _cursor(snapshot) as cur:
        return engine.indicator_series(cur, _query(key), grain=grain, by_branch=by_branch)


def series(key: QueryKey, grain: str = "month", by_branch: bool = False):
    return _series(ensure_data(), key, grain, by_branch)


def thresholds_default() -> dict[str, Any]:
    from analytics.engine.query import Thresholds

    return dataclasses.asdict(Thresholds())


@st.cache_data(max_entries=128, show_spinner=False)
def _at_risk(snapshot: str, key: QueryKey, thresholds: tuple[tuple[str, Any], ...]):
    from analytics.engine import query as engine

    with _cursor(snapshot) as cur:
        return engine.at_risk(cur, _query(key), engine.Thresholds(**dict(thresholds)))


def require_role(page: str) -> None:
    """The second check behind the page's own (fail closed): stops unless the
    session's role may see ``page``, so a data function called from the wrong
    role's session shows an error and returns nothing."""
    from ui import auth

    auth.require(page)


# analytics functions that return personal data, and the page whose roles may have them
STAFF_ONLY: dict[str, str] = {"duo_timeline": "at_risk", "coordinators": "at_risk",
                              "followup_worklist": "at_risk"}


def at_risk(key: QueryKey, thresholds: dict[str, Any] | None = None):
    require_role("at_risk")
    items = tuple(sorted((thresholds or {}).items()))
    return _at_risk(ensure_data(), key, items)


def _run_function(snapshot: str, module: str, name: str, key: QueryKey | None,
                  kwargs: tuple[tuple[str, Any], ...]):
    fn = getattr(importlib.import_module(module), name)
    with _cursor(snapshot) as cur:
        if key is None:
            return fn(cur, **dict(kwargs))
        return fn(cur, _query(key), **dict(kwargs))


@st.cache_data(max_entries=256, show_spinner=False)
def _call(snapshot: str, module: str, name: str, key: QueryKey | None,
          kwargs: tuple[tuple[str, Any], ...]):
    return _run_function(snapshot, module, name, key, kwargs)


def call(name: str, key: QueryKey | None = None, module: str = "analytics.engine.query", **kwargs):
    """Any further analytics function ``fn(con, query, **kwargs)`` (or
    ``fn(con, **kwargs)`` when ``key`` is None), cached like the others.
    Returns None when analytics does not provide it (yet)."""
    if name in STAFF_ONLY:
        require_role(STAFF_ONLY[name])
    if not engine_has(name, module):
        return None
    return _call(ensure_data(), module, name, key, tuple(sorted(kwargs.items())))


@st.cache_resource(max_entries=16, show_spinner=False)
def _shared(snapshot: str, module: str, name: str, key: QueryKey | None, kwargs: tuple[tuple[str, Any], ...]):
    return _run_function(snapshot, module, name, key, kwargs)


def shared(name: str, key: QueryKey | None = None, module: str = "analytics.engine.query", **kwargs):
    """Like :func:`call`, but the one cached object is handed to every rerun and
    session (``st.cache_resource``) instead of an unpickled copy: for results
    that are expensive to copy (the report model holds plotly figures) and
    that pages only read, never change."""
    if not engine_has(name, module):
        return None
    return _shared(ensure_data(), module, name, key, tuple(sorted(kwargs.items())))


def insight(name: str, key: QueryKey | None = None, **kwargs):
    """A function of ``analytics.engine.insights`` (the figures beyond the handbook), cached."""
    return call(name, key, module="analytics.engine.insights", **kwargs)


def compare(key: QueryKey, keys: tuple[str, ...]):
    """Handbook keys for the query beside the previous period's, with change and
    target (``analytics.engine.insights.compare_with_previous``)."""
    return insight("compare_with_previous", key, keys=tuple(keys))


# ---------------------------------------------------------------- the Data page
@st.cache_data(max_entries=8, show_spinner=False)
def _import_history(snapshot: str):
    # TODO(analytics): a reader of the import history (Store.history() or
    # similar) would keep this query out of ui/; until then, the one read of the
    # data contract's import_log table lives here.
    with _cursor(snapshot) as cur:
        return cur.execute(
            "select imported_at, file_name, table_name, rows_read, rows_loaded, rows_rejected, sha256 "
            "from import_log order by imported_at desc, table_name").df()


def import_history():
    """The store's import log, newest first, with translated headers."""
    frame = _import_history(ensure_data())
    headers = {"imported_at": _("Imported at (UTC)"), "file_name": _("File"), "table_name": _("Table"),
               "rows_read": _("Rows read"), "rows_loaded": _("Rows loaded"),
               "rows_rejected": _("Rows rejected"), "sha256": _("SHA-256 of the file")}
    return frame.rename(columns=headers)


@st.cache_data(show_spinner=False)
def templates_zip() -> bytes:
    """Blank templates (a header-only CSV per table and template.xlsx) as one ZIP."""
    import io
    import tempfile
    import zipfile

    from analytics.records.templates import write_templates

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_templates(Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@st.cache_data(show_spinner=False)
def record_format_markdown() -> str:
    """The record format documentation, generated from analytics.records.schema (English:
    the record format is the import contract)."""
    from analytics.records.document import record_format_markdown as doc

    return doc()
