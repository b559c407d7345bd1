"""ui/ imports in one direction: the graph of ``ui.*`` imports between the
modules of ui/ (imports inside functions included) has no cycle."""
from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def _ui_imports(path: Path) -> set[str]:
    """The ui modules ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from ui import a, b" imports ui.a and ui.b; "from ui.x import y" imports ui.x
            names = [f"ui.{a.name}" for a in node.names] if node.module == "ui" else [node.module]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("ui.") and len(n.split(".")) > 1}
    return found


def graph() -> dict[str, set[str]]:
    modules = {p.stem for p in UI.glob("*.py") if p.stem != "__init__"}
    return {m: _ui_imports(UI / f"{m}.py") & modules - {m} for m in modules}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}           # 1 = on the path, 2 = done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(edges[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        state[m] = 2
        path.pop()
        return None

    for m in sorted(edges):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_the_ui_import_graph_has_no_cycle():
    edges = graph()
    assert "data" in edges and "auth" in edges        # the parse found the modules
    assert edges["data"] >= {"auth", "connection"}    # and their imports
    cycle = _cycle(edges)
    assert cycle is None, "import cycle in ui/: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
