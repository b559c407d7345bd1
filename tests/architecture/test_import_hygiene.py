"""analytics/ never imports streamlit: it is shared by the command line, the
reports and the app. Every analytics module is imported in a fresh
interpreter, and streamlit must not be in sys.modules afterwards."""
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _analytics_modules() -> list[str]:
    import analytics

    names = ["analytics"]
    for info in pkgutil.walk_packages(analytics.__path__, prefix="analytics."):
        if not info.name.endswith("__main__"):   # importing it would run the CLI
            names.append(info.name)
    return sorted(names)


def test_there_are_modules_to_check():
    assert "analytics.cli.figures" in _analytics_modules()


@pytest.mark.parametrize("module", _analytics_modules())
def test_analytics_module_does_not_import_streamlit(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(len(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{module} imports streamlit (or failed to import):\n{proc.stderr[-2000:]}"
