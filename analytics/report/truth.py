"""One machine-readable truth of what a funder is shown: every cell of the
impact report (headline figures, the points of every trend, the cells of
every breakdown and funding table) and of the "Your funding" view, each with
what is shown, the value behind it when it is visible, and its suppression
state and reason. ``python -m analytics report --role funder --format json``
prints it; the tests check that the funder's pages show exactly these cells.

With ``role funder`` it also lists the cells of the funder's Growth page
(``growth``): every view a funder can choose (reporting year x grain x
branch or the whole programme, on the published as-of date), each point of
its four series (``kind: series_point``, key
``growth.<measure>.<grain>.<branch>.<period_from>``, ``__programme__`` for
the whole programme); a view whose whole population is below the threshold
is listed under ``growth.views`` with ``below_threshold`` and no cells (the
page shows a message instead). All views are listed: at most years x 3
grains x (branches + 1) x 4 series x 12 points, a few thousand cells.

The reason of a hidden figure is the suppression's (``small_count``,
``secondary``…). A table of the report keeps only its display text, so a
hidden table cell says ``small_count`` when it shows ``<t`` (only a small
count is shown so) and ``suppressed`` when it shows ``*`` (one of the other
reasons).
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from analytics.disclosure import suppression
from analytics.engine import query as engine
from analytics.report.common import MISSING, formatter_for
from analytics.report.model import Table, build
from analytics.report.your_funding import funder_view

SUPPRESSED = "suppressed"    # a table cell shown as "*" (the table does not keep which rule)
FORMAT_VERSION = 1


def _plain(value: object) -> object:
    value = engine.clean_value(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _table_cells(table: Table, page: str, kind: str, threshold: int) -> list[dict]:
    out = []
    small = suppression.less_than(threshold)
    for r, row in enumerate(table.rows):
        label = row[0] if row else ""
        for c, text in enumerate(row[1:], start=1):
            hidden = text in (small, suppression.HIDDEN)
            value = None
            if not hidden and r < len(table.values) and c < len(table.values[r]):
                value = _plain(table.values[r][c])
            out.append({"page": page, "kind": kind, "key": f"{table.key}.{r}.{c}", "table": table.key,
                        "row": label, "column": table.columns[c] if c < len(table.columns) else str(c),
                        "shown": text, "value": value, "hidden": hidden,
                        "reason": (suppression.SMALL_COUNT if text == small else SUPPRESSED) if hidden else None})
    return out


def funder_cells(con, query: engine.Query, *, funders: Sequence[str] = (), lang: str = "en",
                 threshold: int = suppression.THRESHOLD, generated_on: dt.date | None = None) -> dict:
    """Every cell a funder is shown for ``query`` (and, with ``funders``, their "Your funding" view)."""
    # the report as these funders see it: their own funders named, every other donor by type
    model = build(con, query, lang=lang, threshold=threshold, generated_on=generated_on, funders=funders)
    q = engine.resolve(con, query)
    cells: list[dict] = []
    for fig in model.headline:
        cells.append({"page": "impact_report", "kind": "figure", "key": fig.key, "label": fig.label,
                      "shown": fig.value, "value": None if fig.cell.hidden else _plain(fig.cell.value),
                      "hidden": fig.cell.hidden, "reason": fig.cell.reason})
    for chart in model.charts:
        kind = "series_point" if chart.key.endswith("_trend") else "breakdown_cell"
        cells.extend(_table_cells(chart.table, "impact_report", kind, threshold))
    for table in (*model.breakdowns, *model.funding):
        cells.extend(_table_cells(table, "impact_report", "breakdown_cell", threshold))
    out = {"format_version": FORMAT_VERSION, "role": "funder", "funders": list(funders),
           "as_of": q.as_of.isoformat(), "from": q.period_from.isoformat(), "to": q.period_to.isoformat(),
           "branches": list(q.branches), "threshold": threshold, "lang": lang}
    if funders:
        view = funder_view(con, funders, threshold=threshold)
        out["your_funding"] = {"as_of": view.as_of.isoformat(),
                               "whole_below_threshold": view.whole_below_threshold,
                               "grants": [{"received_on": g.received_on.isoformat(), "amount_eur": g.amount_eur,
                                           "branch": g.branch, "covers_from": g.covers_from.isoformat(),
                                           "covers_to": g.covers_to.isoformat()} for g in view.grants]}
        f = formatter_for(lang)
        for cell in view.cells():
            key = cell["key"]
            show = (f.percent if key.endswith("income_share") else
                    f.money if "eur" in key or ".income." in key else f.number)
            shown = cell["mark"] if cell["hidden"] else (MISSING if cell["value"] is None else show(cell["value"]))
            cells.append({"page": "your_funding", "kind": "figure", **cell, "shown": shown,
                          "value": _plain(cell["value"])})
    growth, growth_views = growth_cells(con, lang=lang, threshold=threshold)
    out["growth"] = growth_views
    cells.extend(growth)
    out["cells"] = cells
    return out


def growth_cells(con, *, lang: str = "en", threshold: int = suppression.THRESHOLD) -> tuple[list[dict], dict]:
    """The funder Growth page's cells for every view a funder can choose
    (``analytics.report.funder_series``), and the views themselves."""
    from analytics.report.funder_series import GRAINS, MEASURES, PROGRAMME, funder_series

    fs = funder_series(con, threshold=threshold)
    f = formatter_for(lang)
    cells, views, seen = [], [], set()
    for year in fs.years:
        for grain in GRAINS:
            for branch in (None, *fs.branches):
                below = fs.below_threshold(year, branch)
                views.append({"year": year, "grain": grain, "branch": branch, "below_threshold": below})
                if below:
                    continue
                who = PROGRAMME if branch is None else branch
                for measure in MEASURES:
                    for start, cell in fs.points(measure, grain, year, branch):
                        key = f"growth.{measure}.{grain}.{who}.{start.isoformat()}"
                        if key in seen:
                            continue
                        seen.add(key)
                        cells.append({"page": "growth", "kind": "series_point", "key": key, "year": year,
                                      "grain": grain, "branch": branch, "measure": measure,
                                      "period_from": start.isoformat(),
                                      "shown": cell.mark if cell.hidden else f.number(cell.value),
                                      "value": None if cell.hidden else _plain(cell.value),
                                      "hidden": cell.hidden, "reason": cell.reason})
    default = {"year": fs.as_of.year, "grain": "quarter", "branch": None}
    return cells, {"as_of": fs.as_of.isoformat(), "default": default, "views": views}
