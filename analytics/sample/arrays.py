"""Small vectorised helpers the generator's tables share: named random
streams, day arithmetic on int64 day arrays, categorical draws.

Dates are whole days since 1970-01-01 in int64 arrays (``NODATE`` in
:mod:`analytics.sample.calibration` marks an empty one); months are months
since 1970-01. Nothing here loops over rows.
"""
from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per programme part (crc32 is stable across runs)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt = days.astype("datetime64[D]")
    months = dt.astype("datetime64[M]")
    year = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (dt - months).astype(np.int64) + 1
    return year, month, dom


def age_at(birth: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whole years, as the handbook counts them."""
    by, bm, bd = civil(birth)
    ay, am, ad = civil(at)
    return ay - by - ((am * 100 + ad) < (bm * 100 + bd))


def birth_for_age(at: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A birth date giving exactly ``age`` whole years on ``at``."""
    frac = rng.uniform(0.02, 0.98, len(at))
    birth = at - np.floor((age + frac) * 365.2425).astype(np.int64)
    for _ in range(4):  # nudge the rare leap-year misses into place
        off = age_at(birth, at) - age
        if not off.any():
            break
        birth = birth + off * 3
    return birth


def month_of(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(months: np.ndarray | int) -> np.ndarray:
    return np.asarray(months).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def pick(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, float)
    return rng.choice(len(w), size=n, p=w / w.sum()).astype(np.int64)


def pick_rows(rng: np.random.Generator, prob_rows: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    cum = np.cumsum(prob_rows, axis=1)
    u = rng.random(len(prob_rows))[:, None] * cum[:, -1:]
    return (u >= cum).sum(axis=1).astype(np.int64)


def uniform_days(rng: np.random.Generator, lo, hi, n: int) -> np.ndarray:
    """Whole days in [lo, hi] (inclusive, element-wise)."""
    lo = np.asarray(lo, np.int64)
    hi = np.asarray(hi, np.int64)
    return lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)


def largest_remainder(expected: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to ``total`` proportional to ``expected`` (deterministic)."""
    scaled = expected / expected.sum() * total
    counts = np.floor(scaled).astype(np.int64)
    short = total - counts.sum()
    if short > 0:
        order = np.lexsort((np.arange(len(scaled)), -(scaled - counts)))
        counts[order[:short]] += 1
    return counts


def segment_starts(lengths: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
