"""The funder impact report: no personal data in any rendering (HTML, static
HTML, CSV, PDF), individual donors grouped, hostile names kept as text, and
formula-safe CSV.
"""
from __future__ import annotations

import base64
import csv
import io
import re
import shutil
import subprocess

import pytest

from analytics.engine import query as engine
from analytics import report
from tests.analytics.report.helpers import DONOR, EVIL_FORMULA, EVIL_HTML


def _leaks(text: str, personal: set[str]) -> list[str]:
    return sorted(v for v in personal if re.search(r"(?<![\w])" + re.escape(v) + r"(?![\w])", text))


def _html_text(page: str) -> str:
    """What an HTML report shows or carries, minus the plotly.js library:
    text, attributes, chart data, and the text of embedded SVG charts."""
    page = re.sub(r'<script type="text/javascript">/\*\*\s*\n\* plotly\.js.*?</script>', "", page, flags=re.S)

    def svg_text(match):
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        return " ".join(re.findall(r">([^<>]+)<", svg))

    return re.sub(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", svg_text, page)


# ====================================================================== personal data
def test_html_contains_no_personal_data(tiny_model, personal):
    page = report.render_html(tiny_model)
    assert "plotly.js" in page[:200_000]  # the library is inline (offline)
    assert _leaks(_html_text(page), personal) == []


def test_static_html_contains_no_personal_data(tiny_model, personal):
    page = report.render_html(tiny_model, static=True)
    assert "<script" not in page
    assert _leaks(_html_text(page), personal) == []


def test_csv_contains_no_personal_data(tiny_model, personal):
    text = report.render_csv(tiny_model).decode("utf-8-sig")
    assert _leaks(text, personal) == []


def test_pdf_contains_no_personal_data(tiny, personal, tmp_path):
    model = report.build(tiny, engine.Query(), lang="fr")
    pdf = report.render_pdf(model)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "IRIS+" in text and "<5" in text
        assert _leaks(text, personal) == []
    else:  # the PDF is printed from the static HTML, checked above
        assert _leaks(_html_text(report.render_html(model, static=True)), personal) == []


def test_no_donor_is_named_unless_it_is_the_viewers_own(tiny_model, tiny):
    text = report.model_text(tiny_model)
    for name in ("FundA", "CityX", "EUF", DONOR, EVIL_FORMULA, EVIL_HTML):
        assert name not in text
    mine = report.model_text(report.build(tiny, engine.Query(), funders=["FundA", DONOR]))
    assert "FundA (your funding)" in mine and DONOR not in mine and "CityX" not in mine


@pytest.fixture(scope="module")
def hostile_model(tiny):
    """The report of a viewer bound to the two hostile funder names (so they are shown)."""
    return report.build(tiny, engine.Query(), funders=[EVIL_HTML, EVIL_FORMULA])


def test_hostile_names_are_text_in_html(hostile_model):
    page = report.render_html(hostile_model)
    assert EVIL_HTML not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_csv_cells_cannot_start_a_formula(hostile_model):
    rows = list(csv.reader(io.StringIO(report.render_csv(hostile_model).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + EVIL_FORMULA + " (your funding)" in cells
    for c in cells:
        if c[:1] in ("=", "+", "@", "\t", "\r") or (c.startswith("-") and not re.fullmatch(r"-?[\d.e-]+", c)):
            pytest.fail(f"unsafe CSV cell {c!r}")


@pytest.mark.parametrize("text, safe", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-x", "'-x"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-12.5", "-12.5"), ("12", "12"), ("FundA", "FundA"), ("", ""),
])
def test_csv_safe(text, safe):
    assert report.csv_safe(text) == safe
