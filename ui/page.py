"""What every page does first, and the pieces pages share (tiles, empty states)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui import auth, data, filters, fmt, pages, series
from ui.frame import leave_pages_directory_mode
from ui.i18n import N_, _, current_language
from ui.meta import meta


def start(page: str, *, compares: bool = False) -> tuple[auth.User, filters.Filters]:
    """Check the role (fail closed), show the page's title and the view's
    scope (the filters and period as the page uses them: ``ui.pages``)."""
    leave_pages_directory_mode()
    user = auth.require(page)
    spec = pages.BY_KEY[page]
    with_period, with_scope = spec.uses_period, spec.uses_filters
    title = _(spec.title)
    f = filters.current()
    if user.branches is not None:  # a coordinator: never beyond their branches
        scoped = tuple(b for b in (f.branches or user.branches) if b in user.branches)
        if not scoped:
            st.error(_("None of the chosen branches is yours."))
            st.stop()
        f = filters.Filters(f.as_of, f.period, f.period_from, f.period_to, scoped, f.branch_choice)
    st.title(title)
    if with_scope:
        st.caption(f.describe(with_period=with_period))
    notes = []
    if with_period and with_scope and f.period_to > f.as_of:
        notes.append(_("The period is not over on the as-of date: its figures cover {range} so far.").format(
            range=fmt.date_range(f.period_from, f.as_of)))
    if compares and user.role != auth.FUNDER:
        notes.append(_("Changes are against the previous period, {range}.").format(range=f.previous_label()))
    if notes:
        st.caption(" ".join(notes))
    return user, f


SPANS = ("period", "3y", "5y")
SPAN_LABELS = {"period": N_("The period"), "3y": N_("3 years"), "5y": N_("5 years")}


@dataclass(frozen=True)
class Trend:
    grain: str
    grain_label: str
    key: "data.QueryKey"
    label: str          # the range covered, for captions


def trend_controls(f: filters.Filters, prefix: str, default_span: str = "3y",
                   default_grain: str = "quarter") -> Trend:
    """The time range and bucket size of a page's trend charts. The range ends
    with the period; "3 years" and "5 years" reach back to 1 January of the
    earlier years so growth and quality can be seen over time."""
    from datetime import date

    left, right = st.columns(2)
    with left:
        span = st.segmented_control(_("Trends over"), SPANS, default=default_span, key=f"{prefix}_span",
                                    format_func=lambda s: _(SPAN_LABELS[s])) or default_span
    with right:
        grain = st.segmented_control(_("Per"), series.GRAINS, default=default_grain, key=f"{prefix}_grain",
                                     format_func=lambda g: _(series.GRAIN_LABELS[g])) or default_grain
    start = f.period_from
    if span != "period":
        years = 3 if span == "3y" else 5
        start = min(f.period_from, date(f.period_to.year - years + 1, 1, 1))
    end = f.period_to
    key = data.query_key(f.as_of, start, end, f.branches)
    label = fmt.date_range(start, min(end, f.as_of))
    st.caption(_("Trend charts cover {range}.").format(range=label))
    return Trend(grain, _(series.GRAIN_LABELS[grain]), key, label)


def _delta(value: Any, previous: Any, change: Any, change_kind: str | None, unit: str) -> str | None:
    if change_kind == "relative":
        return None if fmt.is_missing(change) else fmt.signed_percent(change)
    if change_kind == "difference" and not fmt.is_missing(change):
        return fmt.change(float(change), 0.0, unit)
    return fmt.change(value, previous, unit)


def tile(key: str, value: Any, previous: Any = None, target: Any = None, *,
         change: Any = None, change_kind: str | None = None,
         label: str | None = None, previous_label: str | None = None) -> None:
    """A headline figure with its change against the previous period and its target."""
    m = meta(key)
    shown = fmt.value(value, m.unit)
    delta = _delta(value, previous, change, change_kind, m.unit)
    if auth.current_user().role == auth.FUNDER:
        # Funder output: the handbook's small-cell rules. The figure is the
        # suppressed cell of the funder report where it has one; otherwise a
        # count is suppressed as a count and anything else is hidden (fail
        # closed). No change against the previous period (it would need the
        # previous figures suppressed too) and no gap to a hidden target.
        from analytics.disclosure import suppression

        cell = funder_cells().get(key)
        if cell is None:
            cell = suppression.count(value) if m.unit == "count" else suppression.hidden(suppression.FEW_PEOPLE)
        shown = cell.mark if cell.hidden else fmt.value(cell.value, m.unit)
        value = None if cell.hidden else cell.value
        delta = previous = previous_label = None
    color = {"up": "normal", "down": "inverse"}.get(m.good_direction or "", "off")
    arrow = "auto"
    if delta is not None and delta.startswith("±"):
        color, arrow = "off", "off"
    help_parts = [m.definition] if m.definition else []
    if previous_label:
        help_parts.append(_("Previous period {range}: {value}.").format(
            range=previous_label, value=fmt.value(previous, m.unit)))
    with st.container(border=True):
        st.metric(label or m.label, shown, delta=delta, delta_color=color, delta_arrow=arrow,
                  delta_description=_("vs previous period") if delta else None,
                  help="\n\n".join(help_parts) or None)
        if target is not None and not fmt.is_missing(target):
            gap = fmt.change(value, target, m.unit)
            text = _("Target {target}").format(target=fmt.value(target, m.unit))
            if gap is not None:
                text += " · " + _("{gap} against target").format(gap=gap)
            st.caption(text)


def funder_cells() -> dict[str, Any]:
    """The suppressed headline cells of the funder report (analytics.report)
    for the current filters: what a funder may see of each figure."""
    model = data.report(filters.current().key(), current_language())
    return {fig.key: fig.cell for fig in model.headline}


def shown_values(compared, keys: tuple[str, ...]) -> dict[str, str]:
    """The tile texts of ``keys`` as the session's role may see them (for the summary)."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    out = {}
    funder = auth.current_user().role == auth.FUNDER
    cells = funder_cells() if funder else {}
    for key in keys:
        m = meta(key)
        value = rows.get(key, {}).get("value")
        if funder:
            from analytics.disclosure import suppression

            cell = cells.get(key) or (suppression.count(value) if m.unit == "count"
                                      else suppression.hidden(suppression.FEW_PEOPLE))
            out[key] = cell.mark if cell.hidden else fmt.value(cell.value, m.unit)
        else:
            out[key] = fmt.value(value, m.unit)
    return out


def tiles(compared, keys: tuple[str, ...], columns: int = 4, previous_label: str | None = None) -> None:
    """Tiles from ``ui.data.compare`` rows (value, previous, change, target), in rows of ``columns``."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    for start in range(0, len(keys), columns):
        for col, key in zip(st.columns(columns), keys[start:start + columns]):
            r = rows.get(key, {})
            with col:
                tile(key, r.get("value"), r.get("previous_value"), r.get("target"),
                     change=r.get("change"), change_kind=r.get("change_kind"), previous_label=previous_label)
