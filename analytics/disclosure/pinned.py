"""Secondary suppression of large tables with many equations, fast enough for
a page (the funder's series over time: analytics.report.funder_series and
funder_outcomes).

A table publishes equations ``sum(parts) = total`` (lines, as in
:func:`analytics.disclosure.suppression.table_lines`). Once some cells are
hidden, a hidden cell is *pinned down* when the visible cells determine it
exactly: when its unit vector lies in the row space of the equations
restricted to the hidden cells. :func:`pinned_cells` decides that by
Gauss-Jordan elimination block by block (blocks of hidden cells that share
no equation are independent), either modulo a large prime (fast integer
arithmetic; used while searching) or exactly over the rationals (the final
verification: the search ends only on an exact check that finds nothing).
No floating point and no BLAS: on a busy machine the threads of a small SVD
make it a hundred times slower than this.

:func:`suppress_lines` hides cells until nothing is pinned down:

1. primary: counts 1 … t − 1 (reason ``small_count``), plus cells the caller
   hides already;
2. the closed-form rule, until it no longer applies: an equation with
   exactly one hidden cell gives it back, so the cheapest visible cell of
   that equation is hidden too (non-zero before zero, an inner cell before a
   total, the smallest first);
3. the check; for each cell still pinned down through several equations
   together, the cheapest visible cell of one of its equations that frees
   it (tried in cost order on its block) is hidden; back to 2.

It may hide a little more than the one-at-a-time greedy of
``suppression.suppress_cells``; it never leaves a hidden cell pinned down.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable, Iterable, Sequence

DEBUG = False
PRIME = (1 << 61) - 1   # a Mersenne prime: elimination modulo it is exact integer arithmetic

Line = tuple[Sequence[object], object]


def _row(line: Line, hidden: set) -> dict:
    parts, total = line
    row: dict = {}
    for p in parts:
        if p in hidden:
            row[p] = row.get(p, 0) + 1
    if total in hidden:
        row[total] = row.get(total, 0) - 1
    return {c: v for c, v in row.items() if v}


def _restricted(lines: Sequence[Line], hidden: set) -> list[dict]:
    """The equations restricted to the hidden cells (visible cells are known)."""
    return [row for row in (_row(line, hidden) for line in lines) if row]


def _blocks(rows: list[dict]) -> list[list[dict]]:
    """The rows grouped into blocks that share no unknown (union-find)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        it = iter(row)
        root = find(next(it))
        for c in it:
            other = find(c)
            if other != root:
                parent[other] = root
    out: dict = {}
    for row in rows:
        out.setdefault(find(next(iter(row))), []).append(row)
    return list(out.values())


def _eliminate(rows: list[dict], exact: bool, tags: frozenset = frozenset()) -> tuple[set, dict, set]:
    """Gauss-Jordan on one block, pivoting on unknowns outside ``tags`` only.

    Returns the unknowns pinned down (their reduced row names no other
    unknown outside ``tags``), the reduced rows by pivot, and the tag columns
    of the rows that reduced to tags alone. The tags are cells one might hide
    next: the row operations carried along their columns say, for a pinned
    cell ``c`` and a tag ``x``, whether hiding ``x`` would free ``c`` (``x``
    in ``c``'s reduced row, and in no row reduced to tags alone, which would
    pin ``x`` itself and through it ``c`` again)."""
    if exact:
        conv: Callable = Fraction
        inv: Callable = lambda f: 1 / f  # noqa: E731
        mod: Callable = lambda x: x  # noqa: E731
    else:
        conv = lambda v: v % PRIME  # noqa: E731
        inv = lambda f: pow(f, -1, PRIME)  # noqa: E731
        mod = lambda x: x % PRIME  # noqa: E731
    pivots: dict = {}      # pivot unknown -> its reduced row (pivot coefficient 1)
    holding: dict = {}     # unknown -> the pivots whose row names it
    order: dict = {}
    bad: set = set()
    for given in rows:
        row = {c: conv(v) for c, v in given.items()}
        row = {c: v for c, v in row.items() if v}
        while True:
            hit = next((c for c in row if c in pivots), None)
            if hit is None:
                break
            f = row[hit]
            for c, v in pivots[hit].items():
                w = mod(row.get(c, 0) - f * v)
                if w:
                    row[c] = w
                else:
                    row.pop(c, None)
        free = [c for c in row if c not in tags]
        if not free:
            bad.update(row)
            continue
        p = min(free, key=lambda c: order.setdefault(c, repr(c)))
        f = inv(row[p])
        row = {c: mod(v * f) for c, v in row.items()}
        for q in list(holding.get(p, ())):   # keep every other row free of the new pivot
            other = pivots[q]
            g = other[p]
            for c, v in row.items():
                w = mod(other.get(c, 0) - g * v)
                if w:
                    if c not in other:
                        holding.setdefault(c, set()).add(q)
                    other[c] = w
                else:
                    other.pop(c, None)
                    holding.get(c, set()).discard(q)
        pivots[p] = row
        for c in row:
            if c != p:
                holding.setdefault(c, set()).add(p)
    pinned = {p for p, row in pivots.items() if all(c == p or c in tags for c in row)}
    return pinned, pivots, bad


def pinned_cells(lines: Sequence[Line], hidden: Iterable, *, exact: bool = True) -> set:
    """The hidden cells that the visible cells pin down through ``lines``
    (the same answer as :func:`analytics.disclosure.suppression.recoverable`).
    ``exact=False`` computes modulo :data:`PRIME` (the same answer unless the
    prime divides a minor of the equations: never seen, and the search ends
    on an exact check anyway)."""
    out: set = set()
    for block in _blocks(_restricted(lines, set(hidden))):
        out |= _eliminate(block, exact)[0]
    return out


def suppress_lines(values: dict, lines: Sequence[Line], threshold: int, *,
                   small: Callable[[float, int], bool], hide: dict | None = None,
                   primary: str = "small_count", secondary: str = "secondary",
                   avoid: Callable[[int, object], bool] | None = None) -> dict:
    """The reason per hidden cell of a table ``values`` (cell -> number, NaN
    not available: never hidden, a known constant) under ``lines``: primary
    suppression (``small(value, threshold)``; and ``hide``), then secondary
    suppression until no hidden cell is pinned down (the module's steps).
    ``avoid(k, cell)``: hide ``cell`` for line ``k`` only when nothing else of
    that line is left (e.g. the previous point of a cumulative series, whose
    hiding would spread back to the start of the series)."""
    reasons: dict = {}
    for cell, v in values.items():
        if not math.isnan(v) and small(v, threshold):
            reasons[cell] = primary
    for cell, why in (hide or {}).items():
        reasons.setdefault(cell, why)
    totals = {t for _, t in lines}
    members = [(*parts, total) for parts, total in lines]
    line_of: dict = {}
    for k, cells in enumerate(members):
        for cell in cells:
            line_of.setdefault(cell, []).append(k)

    def cost(x, k=None):
        return (k is not None and avoid is not None and avoid(k, x), values[x] == 0, x in totals,
                values[x], repr(x))

    def visible(x):
        return x not in reasons and not math.isnan(values[x])

    def closed_form() -> None:
        todo = set(range(len(members)))
        while todo:
            k = todo.pop()
            cells = members[k]
            if sum(c in reasons for c in cells) != 1:
                continue
            free = [x for x in cells if visible(x)]
            if not free:        # the others not available: nothing to subtract from
                continue
            pick = min(free, key=lambda x: cost(x, k))
            reasons[pick] = secondary
            for j in line_of.get(pick, []):
                todo.add(j)

    exact = False
    while True:
        closed_form()
        found = pinned_cells(lines, reasons, exact=exact)
        if not found:
            if exact:
                break
            exact = True          # the final word is the exact check
            continue
        options: dict = {}
        for cell in found:
            ks = line_of.get(cell, [])
            for k in ks:
                for x in members[k]:
                    if visible(x) and x not in options.get(cell, {}):
                        shunned = avoid is not None and any(avoid(j, x) for j in ks if x in members[j])
                        options.setdefault(cell, {})[x] = (shunned, *cost(x)[1:])
        tags = frozenset(x for o in options.values() for x in o)
        hidden = set(reasons)
        freeing: dict = {}
        for block in _blocks(_restricted(lines, hidden | tags)):
            pinned, pivots, bad = _eliminate(block, exact=False, tags=tags)
            for cell in pinned & set(options):
                freeing[cell] = {x for x in pivots[cell] if x in tags and x not in bad}
        hid_any = False
        for cell in sorted(found, key=repr):
            if cell not in options:
                continue
            ranked = [x for x in sorted(options[cell], key=options[cell].get) if visible(x)]
            if not ranked:
                continue
            good = [x for x in ranked if x in freeing.get(cell, ())]   # hiding it frees the cell
            reasons[(good or ranked)[0]] = secondary
            if DEBUG: print('cell', cell, 'good', len(good), 'ranked', len(ranked), (good or ranked)[0])
            hid_any = True
        if not hid_any:   # pinned through other lines only: hide in a line that touches a hidden cell
            free = [x for cells in members if any(c in reasons for c in cells) for x in cells if visible(x)]
            if not free:  # pragma: no cover - everything hidden is never pinned
                raise RuntimeError("secondary suppression found no cell to hide")
            reasons[min(free, key=cost)] = secondary
    return reasons
