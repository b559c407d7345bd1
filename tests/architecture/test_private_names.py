"""No module uses another module's ``_private`` names.

A leading underscore says "mine": a module that imports ``_name`` from another
module, or reads ``module._name`` from one it imported, couples itself to what
the other may change at will. The check parses every module of ``analytics``,
``ui``, ``pages`` and ``app.py``: ``from X import _name`` and ``alias._name``
where ``alias`` is bound to a project module by an import. ``_`` itself is the
translation function (gettext's convention), public by design.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("analytics", "ui", "pages")
ALLOWED = {"_"}


def _sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for package in PROJECT:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def _is_project(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in PROJECT


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in ALLOWED


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    module_aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_project(alias.name):
                    module_aliases.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_project(node.module):
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
                else:
                    # `from analytics.engine import query as engine`: the name may be a module
                    module_aliases.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr)
                and isinstance(node.value, ast.Name) and node.value.id in module_aliases):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_there_are_sources():
    assert len(_sources()) > 40


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_another_modules_private_names(path):
    assert offences(path) == []


def test_the_check_catches_both_forms(tmp_path):
    """The check itself can fail: both forms in a throw-away file are found."""
    probe = ROOT / "ui" / "_probe_private_names.py"
    probe.write_text("from analytics.engine.query import _hidden\nfrom analytics.engine import query\nquery._run()\n")
    try:
        assert len(offences(probe)) == 2
    finally:
        probe.unlink()
