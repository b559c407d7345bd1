"""CSV downloads are safe against formula injection."""
import io

import pandas as pd

from ui.export import safe_csv


def test_formula_like_cells_are_neutralised():
    frame = pd.DataFrame({"duo": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "D1"],
                          "score": [1, 2, -3, 4, 5, 6]})
    text = safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back["duo"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "D1"]
    assert back["score"].tolist() == ["1", "2", "-3", "4", "5", "6"]   # numbers stay numbers


def test_header_cells_too():
    text = safe_csv(pd.DataFrame({"=cmd": ["a"]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=cmd"
