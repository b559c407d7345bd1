"""Downloads. CSV cells that a spreadsheet would run as a formula
(OWASP "CSV injection": a cell starting with = + - @, tab or carriage return)
are neutralised with a leading apostrophe."""
from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents) CSV with formula-like text cells escaped.
    Numbers stay numbers: a negative number is data, not a formula."""
    clean = frame.copy()
    clean.columns = [_safe_cell(str(c)) for c in clean.columns]
    for col in clean.columns:
        if clean[col].dtype == object:
            clean[col] = clean[col].map(_safe_cell)
    return clean.to_csv(index=False).encode("utf-8-sig")
