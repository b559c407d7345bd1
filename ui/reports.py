"""The impact report as the Impact report page shows and downloads it.

:func:`model` builds the report's model (``analytics.report.build``) for the
page's query, the viewer's funder binding (their own funders are the only
donors named; every other donor by type) and the outcome definition, with
the data fingerprint every download carries, and the programme's branding
(``$DUO_IMPACT_BRANDING``, docs/report.md). One shared object per
snapshot and arguments (``st.cache_resource``): read it, never change it.
This module also hands the page the renderers of ``analytics.report`` and
turns the model's tables into frames, so the page itself imports nothing but
``ui``.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Sequence

import pandas as pd
import streamlit as st

from analytics.engine import query as engine
from analytics.report import (Baseline, Branding, ReportError, branding_from_env, render_csv, render_html, render_pdf,
                              render_xlsx)
from ui.connection import cursor, ensure_data

DEFAULT_OUTCOME = engine.DEFAULT_OUTCOME

__all__ = ["DEFAULT_OUTCOME", "Baseline", "ReportError", "csv_bytes", "frame", "html_bytes", "model", "pdf_bytes", "xlsx_bytes"]


@st.cache_resource(max_entries=16, show_spinner=False)
def _model(snapshot: str, key: tuple, lang: str, baseline: Baseline | None, funders: tuple[str, ...],
           outcome: str, branding: Branding | None):
    from analytics.pipeline import fingerprint
    from analytics.report import build  # plotly and the report's text: only when asked

    d = lambda s: None if s is None else date.fromisoformat(s)  # noqa: E731
    query = engine.Query(as_of=d(key[0]), period_from=d(key[1]), period_to=d(key[2]), branches=tuple(key[3]),
                         outcome=outcome)
    with cursor(snapshot) as cur:
        return build(cur, query, lang=lang, baseline=baseline, funders=funders,
                     fingerprint=fingerprint(cur, query, threshold=5), branding=branding)


def model(key: tuple, lang: str, baseline: Baseline | None = None, funders: Sequence[str] = (),
          outcome: str = engine.DEFAULT_OUTCOME):
    """The report's model for a query key (``ui.filters.Filters.key()``), the
    viewer's own funders and an outcome definition."""
    try:
        branding = branding_from_env()
    except ReportError as error:  # the report is still made, unbranded, and the page says why
        st.warning(str(error))
        branding = None
    return _model(ensure_data(), tuple(key), lang, baseline, tuple(funders), outcome, branding)


def html_bytes(model) -> bytes:
    return render_html(model).encode("utf-8")


def csv_bytes(model) -> bytes:
    return render_csv(model)


def xlsx_bytes(model) -> bytes:
    return render_xlsx(model)


def pdf_bytes(model) -> bytes:
    """The PDF (headless Chromium); raises :class:`ReportError` when it cannot be made."""
    return render_pdf(model)


def frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A table of the model as the page's dataframe (cells already formatted and suppressed)."""
    return pd.DataFrame([list(row) for row in rows], columns=list(columns))
