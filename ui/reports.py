"""The impact report as the Impact report page shows and downloads it.

The page renders the report's model (built and cached by ``ui.data.report``);
this module hands it the renderers of ``analytics.report`` and turns the
model's tables into frames, so the page itself imports nothing but ``ui``.
"""
from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from analytics.report import Baseline, ReportError, render_csv, render_html, render_pdf

__all__ = ["Baseline", "ReportError", "csv_bytes", "frame", "html_bytes", "pdf_bytes"]


def html_bytes(model) -> bytes:
    return render_html(model).encode("utf-8")


def csv_bytes(model) -> bytes:
    return render_csv(model)


def pdf_bytes(model) -> bytes:
    """The PDF (headless Chromium); raises :class:`ReportError` when it cannot be made."""
    return render_pdf(model)


def frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A table of the model as the page's dataframe (cells already formatted and suppressed)."""
    return pd.DataFrame([list(row) for row in rows], columns=list(columns))
