"""The layers hold: the import-linter contracts in ``.importlinter`` (pages →
ui → analytics; inside analytics each capability uses only the ones below it;
no streamlit in analytics; plotly only where charts are built), the pages'
own rule (a page talks to ``ui`` only), and every package is in the
architecture document."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (requirements-dev.txt)"
    done = subprocess.run([lint, "--config", str(ROOT / ".importlinter")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " 0 broken" in done.stdout, done.stdout[-2000:]


def test_the_contracts_name_every_analytics_package():
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    for package in _packages("analytics"):
        if package.count(".") == 1:
            assert re.search(rf"\b{re.escape(package)}\b", config), f"{package} is in no layer"


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_a_page_imports_ui_only(page):
    """Thin pages: a page reads the shared filters, asks ui for data, renders."""
    tree = ast.parse(page.read_text(encoding="utf-8"))
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    modules += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert not [m for m in modules if m.split(".")[0] in ("analytics", "duckdb", "pandas", "plotly")], page.name


def _packages(root: str) -> list[str]:
    return sorted(".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / root).rglob("__init__.py"))


@pytest.mark.parametrize("package", _packages("analytics") + ["ui"])
def test_every_package_is_in_the_architecture_document(package):
    document = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    leaf = package.split(".")[-1]
    # the tree names each package's folder on a line of its own
    assert re.search(rf"^\s*{re.escape(leaf)}/\s", document, flags=re.M), \
        f"docs/architecture.md's tree does not show {package.replace('.', '/')}/"


@pytest.mark.parametrize("package", _packages("analytics"))
def test_every_package_says_what_it_owns(package):
    init = ROOT / package.replace(".", "/") / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert docstring and "TODO" not in docstring and len(docstring) > 60, package
