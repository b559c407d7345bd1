"""Turning the engine's series frames into chart inputs (labels, one list per
line). Reshaping only: every value is the engine's."""
from __future__ import annotations

from datetime import date

import pandas as pd

from ui import fmt
from ui.i18n import N_, _

GRAINS = ("month", "quarter", "year")
GRAIN_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}


def bucket_label(start: date, grain: str) -> str:
    if isinstance(start, str):
        start = date.fromisoformat(start[:10])
    if hasattr(start, "date") and not isinstance(start, date):
        start = start.date()
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return _("Q{n} {year}").format(n=(start.month - 1) // 3 + 1, year=start.year)
    return fmt.month(start)


def _clean(values) -> list:
    return [None if pd.isna(v) else float(v) for v in values]


def over_time(frame: pd.DataFrame | None, columns: dict[str, str], grain: str) -> tuple[list[str], dict[str, list]]:
    """Categories (bucket labels) and {label: values} for the given columns."""
    if frame is None or frame.empty:
        return [], {}
    labels = [bucket_label(d, grain) for d in frame["period_from"]]
    return labels, {label: _clean(frame[col]) for col, label in columns.items() if col in frame}


def by_branch(frame: pd.DataFrame | None, column: str, grain: str) -> tuple[list[str], dict[str, list]]:
    """Categories and {branch: values} of one column of a by-branch series."""
    if frame is None or frame.empty or column not in frame:
        return [], {}
    starts = list(dict.fromkeys(frame["period_from"]))
    labels = [bucket_label(d, grain) for d in starts]
    out: dict[str, list] = {}
    for branch, part in frame.groupby("branch", sort=True):
        values = dict(zip(part["period_from"], part[column]))
        out[str(branch)] = _clean([values.get(s) for s in starts])
    return labels, out


def groups(frame: pd.DataFrame | None, group: str, x: str, y: str) -> dict[str, tuple[list, list]]:
    """{group: (xs, ys)} for one line per group (e.g. survival curves)."""
    if frame is None or frame.empty:
        return {}
    return {str(g): (list(part[x]), _clean(part[y])) for g, part in frame.groupby(group, sort=True)}


def pivot(frame: pd.DataFrame | None, x: str, color: str, y: str,
          x_label=lambda v: v, color_label=lambda v: v) -> tuple[list[str], dict[str, list]]:
    """Categories (``x`` values in frame order) and {color value: y per category}, 0 where absent."""
    if frame is None or frame.empty:
        return [], {}
    xs = list(dict.fromkeys(frame[x]))
    cells: dict = {}
    for xv, cv, yv in zip(frame[x], frame[color], frame[y]):
        cells.setdefault(cv, {})[xv] = yv
    out = {color_label(c): _clean([values.get(v, 0) for v in xs]) for c, values in cells.items()}
    return [x_label(v) for v in xs], out


def by_bucket(frame: pd.DataFrame | None, color: str, y: str, grain: str,
              color_label=lambda v: v) -> tuple[list[str], dict[str, list]]:
    """Like :func:`pivot` with calendar buckets (``period_from``) on x."""
    if frame is None or frame.empty:
        return [], {}
    return pivot(frame, "period_from", color, y, x_label=lambda d: bucket_label(d, grain),
                 color_label=color_label)


def first_per_bucket(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per bucket (for the per-bucket columns of a per-group frame)."""
    return frame.drop_duplicates("period_from")


def colours(columns: dict[str, str]) -> dict[str, str]:
    """{series label: colour} for figures drawn as series ({registry key: label},
    as given to :func:`over_time`): one colour per figure on every page and in
    the report (``analytics.text.categories.colour_of(key, "indicator")``)."""
    from analytics.text.categories import colour_of
    from analytics.text.palette import INDICATOR_COLOURS

    return {label: colour_of(key, "indicator") for key, label in columns.items() if key in INDICATOR_COLOURS}


def category_colours(frame: pd.DataFrame | None, column: str, color_label=lambda v: v,
                     category: str | None = None) -> dict[str, str]:
    """{series label: colour} for the values of ``frame[column]`` drawn as series
    (as :func:`pivot` names them): the category's colour of each value."""
    from analytics.text.categories import colour_of

    if frame is None or frame.empty:
        return {}
    return {color_label(v): colour_of(str(v), category or column) for v in dict.fromkeys(frame[column])}


def branch_colours(labels_of=lambda v: v) -> dict[str, str]:
    """{series label: colour} for every branch of the data set (the same branch,
    the same colour, on every page)."""
    from analytics.text.categories import branch_colours as by_name
    from ui import data

    return {labels_of(name): colour for name, colour in by_name(list(data.branches()) + ["central"]).items()}
