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
    from analytics.store import Store

    return Store(store_path())


def token() -> str | None:
    """Names the current snapshot; changes with every import."""
    s = store()
    if hasattr(s, "current_token"):
        t = s.current_token()
        return None if t is None else str(t)
    cur = s.current()
    return None if cur is None else str(cur)


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
        from analytics.importer import validate_source

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


# ---------------------------------------------------------------- connection
@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(store_dir: str, snapshot: str):
    """One read-only connection per snapshot (the key changes with the pointer)."""
    from analytics.store import Store

    s = Store(Path(store_dir))
    if hasattr(s, "connect_token"):
        return s.connect_token(snapshot)
    return s.connect()


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
    from analytics.engine import Query

    d = lambda s: None if s is None else date.fromisoformat(s)  # noqa: E731
    return Query(as_of=d(key[0]), period_from=d(key[1]), period_to=d(key[2]), branches=key[3])


def engine_has(name: str, module: str = "analytics.engine") -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


@st.cache_data(max_entries=64, show_spinner=False)
def _branches(snapshot: str) -> list[str]:
    from analytics import engine

    with _cursor(snapshot) as cur:
        return list(engine.branches(cur))


def branches() -> list[str]:
    return _branches(ensure_data())


@st.cache_data(max_entries=256, show_spinner=False)
def _resolve(snapshot: str, key: QueryKey) -> QueryKey:
    from analytics import engine

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
    from analytics import engine

    with _cursor(snapshot) as cur:
        return dict(engine.indicators(cur, _query(key)))


def indicators(key: QueryKey) -> dict[str, Any]:
    return _indicators(ensure_data(), key)


@st.cache_data(max_entries=128, show_spinner=False)
def _series(snapshot: str, key: QueryKey, grain: str, by_branch: bool):
    from analytics import engine

    with _cursor(snapshot) as cur:
        return engine.indicator_series(cur, _query(key), grain=grain, by_branch=by_branch)


def series(key: QueryKey, grain: str = "month", by_branch: bool = False):
    return _series(ensure_data(), key, grain, by_branch)


def thresholds_default() -> dict[str, Any]:
    from analytics.engine import Thresholds

    return dataclasses.asdict(Thresholds())


@st.cache_data(max_entries=128, show_spinner=False)
def _at_risk(snapshot: str, key: QueryKey, thresholds: tuple[tuple[str, Any], ...]):
    from analytics import engine

    with _cursor(snapshot) as cur:
        return engine.at_risk(cur, _query(key), engine.Thresholds(**dict(thresholds)))


def at_risk(key: QueryKey, thresholds: dict[str, Any] | None = None):
    items = tuple(sorted((thresholds or {}).items()))
    return _at_risk(ensure_data(), key, items)


@st.cache_data(max_entries=256, show_spinner=False)
def _call(snapshot: str, module: str, name: str, key: QueryKey | None,
          kwargs: tuple[tuple[str, Any], ...]):
    fn = getattr(importlib.import_module(module), name)
    with _cursor(snapshot) as cur:
        if key is None:
            return fn(cur, **dict(kwargs))
        return fn(cur, _query(key), **dict(kwargs))


def call(name: str, key: QueryKey | None = None, module: str = "analytics.engine", **kwargs):
    """Any further analytics function ``fn(con, query, **kwargs)`` (or
    ``fn(con, **kwargs)`` when ``key`` is None), cached like the others.
    Returns None when analytics does not provide it (yet)."""
    if not engine_has(name, module):
        return None
    return _call(ensure_data(), module, name, key, tuple(sorted(kwargs.items())))


def insight(name: str, key: QueryKey | None = None, **kwargs):
    """A function of ``analytics.insights`` (the figures beyond the handbook), cached."""
    return call(name, key, module="analytics.insights", **kwargs)


def compare(key: QueryKey, keys: tuple[str, ...]):
    """Handbook keys for the query beside the previous period's, with change and
    target (``analytics.insights.compare_with_previous``)."""
    return insight("compare_with_previous", key, keys=tuple(keys))


# ---------------------------------------------------------------- the Data page
def import_history():
    """The store's import log, newest first (None if analytics has no reader yet)."""
    s = store()
    if hasattr(s, "history"):
        return s.history()
    return call("import_history", None, module="analytics.store")


@st.cache_data(show_spinner=False)
def _templates_zip(_version: int = 1) -> bytes | None:
    for module, name in (("analytics.templates", "templates_zip"), ("analytics.schema", "templates_zip"),
                         ("analytics.commands_data", "templates_zip")):
        if engine_has(name, module):
            return getattr(importlib.import_module(module), name)()
    return None


def templates_zip() -> bytes | None:
    return _templates_zip()


@st.cache_data(show_spinner=False)
def _record_format_markdown(lang: str) -> str | None:
    if not engine_has("record_format_markdown", "analytics.record_format_doc"):
        return None
    from analytics.record_format_doc import record_format_markdown

    return record_format_markdown()


def record_format_markdown() -> str | None:
    from ui.i18n import current_language

    return _record_format_markdown(current_language())
