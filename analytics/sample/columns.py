"""Writing the generated tables as CSV: pyarrow, in chunks, byte-deterministic.

A table is written from a dict of column builders (``Column``: rows s..e of
the column as a pyarrow array), so a column of twenty million meetings is
never held as Python strings. Numbers are formatted by hand (never 1e+06),
dates as ISO days, ids as prefix + zero-padded number. ``Ids`` is how the
rows a snapshot keeps are numbered, shared by a table and the tables that
refer to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analytics.sample.calibration import NODATE


CHUNK = 1_000_000
Column = Callable[[int, int], pa.Array]


def id_col(prefix: str, numbers: np.ndarray, width: int) -> Column:
    def build(s: int, e: int) -> pa.Array:
        digits = pc.utf8_lpad(pc.cast(pa.array(numbers[s:e]), pa.string()), width=width, padding="0")
        return pc.binary_join_element_wise(prefix, digits, "")
    return build


def ref_col(prefix: str, numbers: np.ndarray, width: int) -> Column:
    """An id column with empty cells where number < 0."""
    def build(s: int, e: int) -> pa.Array:
        v = numbers[s:e]
        ids = id_col(prefix, np.where(v < 0, 0, v), width)(0, len(v))
        return pc.if_else(pa.array(v < 0), pa.scalar(None, pa.string()), ids)
    return build


def date_col(days: np.ndarray) -> Column:
    def build(s: int, e: int) -> pa.Array:
        v = days[s:e]
        missing = v == NODATE
        return pa.array(np.where(missing, 0, v).astype(np.int32), type=pa.int32(),
                        mask=missing).cast(pa.date32())
    return build


def cat_col(pool: list[str], codes: np.ndarray) -> Column:
    dictionary = pa.array(pool, pa.string())

    def build(s: int, e: int) -> pa.Array:
        v = codes[s:e]
        return pc.take(dictionary, pa.array(np.where(v < 0, 0, v), mask=v < 0))
    return build


def bool_col(codes: np.ndarray) -> Column:
    return cat_col(["false", "true"], codes)


def int_col(values: np.ndarray) -> Column:
    """Integers; negative means empty."""
    def build(s: int, e: int) -> pa.Array:
        v = values[s:e]
        return pc.cast(pa.array(v, mask=v < 0), pa.string())
    return build


def fmt_number(x: float) -> str:
    """Plain decimal without thousands separator: 2, 2.5, 1234.56 (never 1e+06)."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0")


def list_col(values: list) -> Column:
    arr = pa.array([None if v is None or v == "" else str(v) for v in values], pa.string())
    return lambda s, e: arr.slice(s, e - s)


def write_csv(path: Path, n_rows: int, columns: dict[str, Column]) -> int:
    names = list(columns)
    options = pacsv.WriteOptions(quoting_style="none", quoting_header="none")
    schema = pa.schema([(n, pa.string()) for n in names])
    with pacsv.CSVWriter(path, schema, write_options=options) as writer:
        for s in range(0, max(n_rows, 1), CHUNK):
            e = min(n_rows, s + CHUNK)
            if e <= s:
                break
            arrays = [pc.cast(columns[n](s, e), pa.string()) for n in names]
            writer.write_table(pa.Table.from_arrays(arrays, names=names))
    return n_rows


def width_for(n: int) -> int:
    return max(6, len(str(max(n, 1))))


@dataclass
class Ids:
    """The ids of the rows a snapshot keeps."""
    rows: np.ndarray    # internal row indexes of the kept rows, in id order
    number: np.ndarray  # id number (1, 2, ...) per internal row index; -1 when not kept
    width: int          # digits of the zero-padded number


def numbered(rows: np.ndarray, size: int, width: int | None = None) -> Ids:
    """Ids 1..len(rows) in the order of ``rows``, out of ``size`` internal rows."""
    number = np.full(size, -1, np.int64)
    number[rows] = np.arange(1, len(rows) + 1)
    return Ids(rows, number, width_for(len(rows)) if width is None else width)
