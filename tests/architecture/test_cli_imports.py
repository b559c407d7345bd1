"""The command line stays cheap to start: importing ``analytics.cli`` and
building its parser loads none of pandas, numpy, plotly, streamlit or the
importer, and opening a store with ``--db`` does not load the importer (or its
pyarrow): each module imports what it drives where it drives it. Structural,
not timed: the modules in ``sys.modules`` of a fresh interpreter (this test
session has imported everything already). The timings are
benchmarks/cli.py's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# what the parser must not load; the prefixes catch their submodules too
HEAVY = ("pandas", "numpy", "pyarrow", "plotly", "streamlit", "argon2", "openpyxl",
         "analytics.records.importer", "analytics.records.loading", "analytics.records.reading",
         "analytics.sample.calibration", "analytics.engine.insights", "analytics.report")


def _loaded(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


def _heavy(modules: list[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy))


def test_building_the_parser_loads_nothing_heavy():
    loaded = _loaded("import analytics.cli\nanalytics.cli.build_parser()")
    assert "analytics.cli.records" in loaded  # the probe did build the parser: it can fail
    assert _heavy(loaded) == []


def test_the_probe_sees_a_heavy_import():
    # the check itself can fail: a module that loads pandas is found
    assert "pandas" in _heavy(_loaded("import analytics.engine.insights"))


@pytest.mark.parametrize("module", ["analytics.store", "analytics.pipeline", "analytics.engine.query"])
def test_reading_a_store_loads_neither_the_importer_nor_pandas(module):
    loaded = _loaded(f"import {module}")
    assert _heavy(loaded, ("pandas", "numpy", "pyarrow", "analytics.records.importer",
                           "analytics.records.loading", "analytics.records.reading")) == []
