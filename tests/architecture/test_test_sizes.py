"""No test file over 400 lines: a long test module is split by topic, its
shared fixtures in a ``conftest.py`` and its plain helpers in a small helper
module of the same folder (docs/architecture.md, "Tests")."""
from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def lines_over(limit: int, root: Path = TESTS) -> dict[str, int]:
    """Each ``*.py`` file under ``root`` longer than ``limit`` lines, with its length."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found[path.relative_to(root).as_posix()] = count
    return found


def test_no_test_file_is_over_400_lines():
    assert lines_over(MAX_LINES) == {}, "split these by topic (fixtures in conftest.py)"


def test_the_check_sees_a_long_file(tmp_path):
    # the check must be able to fail: 401 lines are too many, 400 are not
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_long.py").write_text("x = 1\n" * 401, encoding="utf-8")
    (tmp_path / "test_ok.py").write_text("x = 1\n" * 400, encoding="utf-8")
    assert lines_over(MAX_LINES, tmp_path) == {"sub/test_long.py": 401}
