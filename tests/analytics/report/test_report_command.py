"""The ``report`` command's output and exit codes, and the impact report page
for each role (run headless).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.analytics.report.helpers import ROOT
from tests.conftest import TINY


# ====================================================================== the command
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("fmt, magic", [("html", b"<!DOCTYPE html>"), ("csv", b"\xef\xbb\xbfsection,"),
                                        ("xlsx", b"PK\x03\x04")])
def test_report_command_writes_the_report(tiny_folder, tmp_path, fmt, magic):
    out = tmp_path / f"report.{fmt}"
    done = _cli("report", "--data", str(tiny_folder), "--as-of", "2024-06-30", "--from", "2024-01-01",
                "--to", "2024-06-30", "--lang", "fr", "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(magic)
    assert done.stdout == ""


@pytest.mark.parametrize("args", [
    ["--from", "2024-01-01"],                                      # --from without --to
    ["--from", "2024-07-01", "--to", "2024-01-01"],                # F > T
    ["--as-of", "2023-01-01", "--from", "2024-01-01", "--to", "2024-06-30"],  # A before F
    ["--as-of", "2024-13-01"],                                     # not a date
    ["--lang", "de"],
    ["--threshold", "1"],
    ["--threshold", "five"],
    ["--baseline", "0.3"],                                         # without its label
    ["--baseline", "130%", "--baseline-label", "x"],
    ["--outcome", "great"],
    ["--role", "funder", "--funder", "Nobody"],                    # not a funder of the data
    ["--branding", "/nonexistent/branding.json"],
])
def test_report_command_bad_arguments_exit_2(tiny_folder, tmp_path, args):
    out = tmp_path / "r.html"
    done = _cli("report", "--data", str(tiny_folder), "--format", "html", "--out", str(out), *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr and done.stdout == ""
    assert not out.exists()


def test_report_command_bad_input_exits_2(tmp_path):
    out = tmp_path / "r.html"
    missing = _cli("report", "--data", str(tmp_path / "nowhere"), "--format", "html", "--out", str(out))
    assert missing.returncode == 2 and not out.exists()
    no_format = _cli("report", "--data", str(TINY), "--out", str(out))
    assert no_format.returncode == 2
    no_folder = _cli("report", "--data", str(TINY), "--format", "csv", "--out", str(tmp_path / "no" / "r.csv"))
    assert no_folder.returncode == 2


# ====================================================================== the page
def test_impact_report_page_for_each_role(tmp_path, monkeypatch):
    """pages/impact_report.py run headless: funders and managers see the
    suppressed report with its downloads, a manager adds a baseline, a
    coordinator is refused (fail closed)."""
    from streamlit.testing.v1 import AppTest

    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store
    from ui import auth

    store = tmp_path / "store"
    Store(store).import_result(validate_source(TINY))
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def run(role, **state):
        at = AppTest.from_file(str(ROOT / "pages" / "impact_report.py"), default_timeout=180)
        at.session_state["role"] = role
        for k, v in state.items():
            at.session_state[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    funder = run("funder")
    metrics = {m.label: m.value for m in funder.metric}
    assert metrics["Duos realized"] == "7" and metrics["Completion rate"] == "*"
    # HTML, CSV, XLSX (the PDF is a button until it is printed); no baseline input
    assert [b.label for b in funder.get("download_button")] == ["Download HTML", "Download CSV", "Download XLSX"]
    assert not funder.expander
    assert [s.value for s in funder.subheader][:3] == ["How much did we do?", "How well did we do it?",
                                                      "Is anyone better off?"]
    shown = " ".join(str(df.value.to_dict()) for df in funder.dataframe)
    assert "Amal" not in shown and "ME1" not in shown

    manager = run("manager")
    manager.toggle(key="report_baseline_on").set_value(True).run()
    manager.text_input(key="report_baseline_label").set_value("Control group job rate").run()
    assert "Comparison with a baseline" in [h.value for h in manager.header]
    assert not manager.exception

    coordinator = run("coordinator", coordinator_branches=["East"])
    assert any("not available for your role" in e.value for e in coordinator.error)
    assert not coordinator.metric and not coordinator.dataframe


def test_the_pdf_figures_are_the_same_on_every_run(tiny, tmp_path, monkeypatch):
    """Two PDFs of the same model and SOURCE_DATE_EPOCH carry the same figures
    (the text pdftotext reads, charts' labels included): a funder comparing
    two copies sees the same numbers."""
    import shutil
    import subprocess

    from analytics import engine, report

    assert shutil.which("pdftotext"), "poppler-utils (scripts/setup.sh --dev) reads the PDF's text"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    texts = []
    for run in range(2):
        path = tmp_path / f"run{run}.pdf"
        path.write_bytes(report.render_pdf(report.build(tiny, engine.Query(), lang="en")))
        texts.append(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                    check=True).stdout)
    assert "IRIS+" in texts[0] and texts[0] == texts[1]
