"""The report in a format named by the caller (the command line's ``--format``)."""
from __future__ import annotations

from analytics.report.common import ReportError
from analytics.report.csv_file import render_csv
from analytics.report.html_page import render_html
from analytics.report.model import ReportModel
from analytics.report.pdf_file import render_pdf
from analytics.report.xlsx_file import render_xlsx

FORMATS: tuple[str, ...] = ("html", "pdf", "csv", "xlsx")


def render(model: ReportModel, fmt: str) -> bytes:
    """The report as the bytes of a file in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "html":
        return render_html(model).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(model)
    if fmt == "csv":
        return render_csv(model)
    if fmt == "xlsx":
        return render_xlsx(model)
    raise ReportError(f"the format must be one of {', '.join(FORMATS)}, not {fmt!r}")
