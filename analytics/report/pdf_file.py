"""The report as PDF (:func:`render_pdf`): the static HTML page (SVG charts,
no JavaScript) printed by headless Chromium, with no network and no profile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analytics.report.common import ReportError
from analytics.report.html_page import render_html
from analytics.report.model import ReportModel


def chromium_path() -> str:
    for candidate in (os.environ.get("DUO_IMPACT_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    raise ReportError("PDF export needs Chromium (apt-get install chromium), which was not found")


def html_to_pdf(html_text: str, timeout: float = 180) -> bytes:
    """Print an HTML page to PDF with headless Chromium (no network, no profile)."""
    with tempfile.TemporaryDirectory(prefix="duo-report-") as tmp:
        page = Path(tmp) / "report.html"
        out = Path(tmp) / "report.pdf"
        page.write_text(html_text, encoding="utf-8")
        cmd = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired as error:
            raise ReportError("Chromium did not finish printing the PDF in time") from error
        if not out.exists() or out.stat().st_size == 0:
            raise ReportError("Chromium could not print the PDF: "
                              + proc.stderr.decode("utf-8", "replace")[-500:])
        data = out.read_bytes()
    if not data.startswith(b"%PDF"):
        raise ReportError("Chromium wrote something that is not a PDF")
    return data


def render_pdf(model: ReportModel) -> bytes:
    """The report as PDF: the static HTML (SVG charts, no JavaScript) printed by Chromium."""
    return html_to_pdf(render_html(model, static=True))
