"""The report's downloads: HTML (Jinja2, autoescaped, branded), CSV, XLSX and
PDF each carry the data fingerprint; the same model gives the same bytes; a
programme's branding is validated before it reaches the page."""
from __future__ import annotations

import html
import io
import json
import shutil
import subprocess

import pytest

from analytics import report
from analytics.engine import query as engine
from tests.analytics.report.helpers import EVIL_FORMULA, EVIL_HTML

FINGERPRINT = {"snapshot_id": "snap-1234abcd", "files": [], "software_version": "test"}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def model(tiny):
    return report.build(tiny, engine.Query(), fingerprint=FINGERPRINT, funders=[EVIL_HTML, EVIL_FORMULA])


def _xlsx_cells(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return wb, [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_every_format_carries_the_fingerprint(model, tmp_path):
    line = json.dumps(FINGERPRINT, sort_keys=True)
    assert line in html.unescape(report.render_html(model))
    assert "snap-1234abcd" in report.render_csv(model).decode("utf-8-sig")
    wb, cells = _xlsx_cells(report.render_xlsx(model))
    for ws in wb.worksheets:   # every sheet, the first and the methodology included
        assert any(c.value == model.fingerprint_text for row in ws.iter_rows() for c in row), ws.title
    if shutil.which("pdftotext"):
        path = tmp_path / "r.pdf"
        path.write_bytes(report.render_pdf(model))
        text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "snap-1234abcd" in text


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_the_same_model_gives_the_same_bytes(model, fmt):
    assert report.render(model, fmt) == report.render(model, fmt)


def test_xlsx_has_a_sheet_per_section_and_methodology_and_no_formula(model):
    wb, cells = _xlsx_cells(report.render_xlsx(model))
    assert wb.sheetnames == ["Impact report", "How much did we do", "How well did we do it", "Is anyone better off",
                             "Trends and breakdowns", "Outcomes by group", "Funding", "Methodology"]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == EVIL_FORMULA + " (your funding)" and c.data_type == "s" for c in cells)
    standards = [c.value for row in wb["How well did we do it"].iter_rows() for c in row]
    assert "Mentors trained before their match" in standards


def test_the_html_is_autoescaped(model):
    page = report.render_html(model)
    assert EVIL_HTML not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<section id=\"how_well\">" in page and "id=\"standards\"" in page


def test_branding_name_logo_and_colours(tiny, tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG)
    settings = tmp_path / "branding.json"
    settings.write_text(json.dumps({"name": "Duo <Liège>", "logo": "logo.png",
                                    "colours": {"primary": "#112233", "accent": "#445566"}}), encoding="utf-8")
    brand = report.load_branding(settings)
    page = report.render_html(report.build(tiny, engine.Query(), branding=brand))
    assert "Duo &lt;Liège&gt;" in page and "Duo <Liège>" not in page
    assert "--primary: #112233; --accent: #445566;" in page
    assert 'src="data:image/png;base64,' in page


@pytest.mark.parametrize("settings, message", [
    ({"colours": {"primary": "red; } body { display: none"}}, "#rrggbb"),
    ({"logo": "logo.gif"}, ".png, .jpg or .svg"),
    ({"name": "x", "colour": {}}, "unknown keys"),
    ({"name": "x" * 121}, "120 characters"),
])
def test_a_bad_branding_file_is_refused(tmp_path, settings, message):
    path = tmp_path / "branding.json"
    path.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(report.ReportError, match=message):
        report.load_branding(path)


def test_branding_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "b.json"
    path.write_text('{"name": "Duo Gent"}', encoding="utf-8")
    monkeypatch.setenv("DUO_IMPACT_BRANDING", str(path))
    assert report.branding_from_env().name == "Duo Gent"
    monkeypatch.delenv("DUO_IMPACT_BRANDING")
    assert report.branding_from_env() is None
