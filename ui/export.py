"""Downloads. CSV cells that a spreadsheet would run as a formula
(OWASP "CSV injection": a cell starting with = + - @, tab or carriage return)
are neutralised with a leading apostrophe.

Every column that is not numeric, boolean or a date is treated as text, whatever
its pandas type: ``object``, the ``string`` dtype (pandas 3's default for text),
categoricals. Numbers stay numbers: a negative number is data, not a formula.
"""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
from pandas.api import types

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def _is_data(series: pd.Series) -> bool:
    """Numbers, booleans and dates are written as they are."""
    return (types.is_bool_dtype(series.dtype) or types.is_numeric_dtype(series.dtype)
            or types.is_datetime64_any_dtype(series.dtype) or types.is_timedelta64_dtype(series.dtype))


def _two_places(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _fixed_point(name: str, series: pd.Series) -> bool:
    return types.is_float_dtype(series.dtype) and (name.endswith("_eur") or "hours" in name)


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents) CSV with formula-like text cells escaped.
    Numbers stay numbers: a negative number is data, not a formula."""
    clean = frame.copy()
    clean.columns = [_safe_cell(str(c)) for c in clean.columns]
    for position in range(clean.shape[1]):
        column = clean.iloc[:, position]
        if _fixed_point(str(frame.columns[position]), column):
            clean.isetitem(position, column.astype(object).map(_two_places))
        elif not _is_data(column):
            clean.isetitem(position, column.astype(object).map(_safe_cell))
    return clean.to_csv(index=False).encode("utf-8-sig")


def figures_frame(compared: pd.DataFrame, keys: tuple[str, ...], label, outcome: str,
                  unavailable: dict[str, str] | None = None) -> pd.DataFrame:
    """The figures of ``keys`` as a page's tiles show them (``ui.data.compare`` rows:
    value, previous value, target), one row per key with its ``label``, and the
    outcome definition in force in a column of its own (``outcome_definition``,
    its name as the URL and the command line write it), so a downloaded figure
    always says which definition it was computed under. A figure of ``unavailable``
    has no value and its reason in the ``unavailable`` column."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    out = []
    for key in keys:
        r = rows.get(key, {})
        value = lambda name: None if pd.isna(r.get(name)) else r.get(name)  # noqa: E731
        out.append({"key": key, "label": label(key), "value": value("value"),
                    "previous_value": value("previous_value"), "target": value("target"),
                    "outcome_definition": outcome, "unavailable": (unavailable or {}).get(key)})
    frame = pd.DataFrame(out, columns=["key", "label", "value", "previous_value", "target", "outcome_definition",
                                       "unavailable"])
    for column in ("value", "previous_value", "target"):
        frame[column] = pd.to_numeric(frame[column])
    return frame
