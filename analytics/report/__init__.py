"""The funder impact report: one model, four renderings (HTML, PDF, CSV, XLSX).

:func:`build` computes the report for a query (period, branch filter, as-of
date) as a :class:`ReportModel`, every value suppressed
(:mod:`analytics.disclosure.suppression`) and then formatted in the report's
language (``en``, ``fr``, ``nl``); the renderers only lay that model out and
never see a raw figure. What never appears: names, notes, birth dates, ids,
free text, and the names of individual donors (shown together).

Inside the package:

- ``model``: the model's dataclasses and :func:`build`, one function per section;
- ``data``: what the report reads (engine and insights counts, funding rows, coverage);
- ``cells``: suppression across tables (the headline's hidden cells carried into the others);
- ``charts``: the plotly figures (the only module that uses plotly);
- ``html_page`` (Jinja2 templates in ``templates/``), ``csv_file``, ``pdf_file``, ``xlsx_file``: one
  renderer per format; ``formats``: by format name;
- ``common``: the error, the languages, translation and number formatting;
- ``privacy``: the last check that no personal value reaches the model's text.

Outside code uses the names below: ``from analytics import report``, then
``report.build(con, query, lang="fr")``, ``report.render_html(model)``…
"""
from analytics.report.common import (LANGUAGES, MISSING, Branding, ReportError, branding_from_env, formatter_for,
                                    gettext_for, load_branding)
from analytics.report.csv_file import csv_safe, render_csv
from analytics.report.formats import FORMATS, render
from analytics.report.html_page import render_html
from analytics.report.model import (Baseline, BaselineComparison, Chart, Figure, MethodEntry, ReportModel, Table,
                                    build)
from analytics.report.pdf_file import chromium_path, html_to_pdf, render_pdf
from analytics.report.privacy import check_no_personal_data, model_text
from analytics.report.xlsx_file import render_xlsx

__all__ = [
    "build", "Baseline", "ReportModel", "Figure", "Table", "Chart", "MethodEntry", "BaselineComparison",
    "render", "render_html", "render_csv", "render_pdf", "render_xlsx", "html_to_pdf", "chromium_path", "csv_safe",
    "model_text", "check_no_personal_data", "gettext_for", "formatter_for",
    "ReportError", "LANGUAGES", "FORMATS", "MISSING", "Branding", "load_branding", "branding_from_env",
]
