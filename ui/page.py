"""What every page does first, and the pieces pages share (tiles, empty states)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui import auth, data, filters, fmt, pages, series
from ui.frame import leave_pages_directory_mode
from ui.i18n import N_, _, current_language
from ui.meta import meta


def start(page: str, *, compares: bool = False, outcomes: bool = False) -> tuple[auth.User, filters.Filters]:
    """Check the role (fail closed), show the page's title and the view's
    scope (as-of date, period and branches as the page uses them: ``ui.pages``;
    a coordinator's own branches by name; with ``outcomes``, the definition of
    a positive exit the page's rates use)."""
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
        # the caption names the branches shown, never "all branches"
        f = dataclasses.replace(f, branches=scoped, branch_choice=scoped)
    st.html(FIT_CSS)
    st.title(title)
    if with_scope:
        scope = f.describe(with_period=with_period)
        if outcomes:
            scope += " · " + filters.outcome_text(f.outcome)
        st.caption(scope)
    notes = []
    if with_period and with_scope and f.period_to > f.as_of:
        notes.append(_("The period is not over on the as-of date: its figures cover {range} so far.").format(
            range=fmt.date_range(f.period_from, f.as_of)))
    if compares and user.role != auth.FUNDER:
        notes.append(_("Changes are against the same days one year earlier, {range}.").format(
            range=f.previous_label()))
    if notes:
        st.caption(" ".join(notes))
    return user, f


# Tile labels and deltas wrap instead of being cut with an ellipsis (long
# labels in French and Dutch at 1280 px); the help keeps the definition. A
# value stays on one line (a number broken at its decimal mark misreads) and
# its size follows the tile's width instead: at most Streamlit's 2.25rem.
FIT_CSS = """<style>
[data-testid="stMetric"] .stMarkdownEllipsis p,
[data-testid="stMetric"] .stMarkdownEllipsis {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { white-space: nowrap; font-size: min(2.25rem, 17cqi) !important; }
[data-testid="stMetricValue"] .stMarkdownEllipsis { overflow: visible !important; text-overflow: clip !important; }
</style>"""

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
    filters.from_url(f"{prefix}_span", default_span, options=SPANS)
    filters.from_url(f"{prefix}_grain", default_grain, options=series.GRAINS)
    with left:
        span = st.segmented_control(_("Trends over"), SPANS, key=f"{prefix}_span",
                                    format_func=lambda s: _(SPAN_LABELS[s])) or default_span
    with right:
        grain = st.segmented_control(_("Per"), series.GRAINS, key=f"{prefix}_grain",
                                     format_func=lambda g: _(series.GRAIN_LABELS[g])) or default_grain
    filters.to_url(f"{prefix}_span", span, default_span)
    filters.to_url(f"{prefix}_grain", grain, default_grain)
    start = f.period_from
    if span != "period":
        years = 3 if span == "3y" else 5
        start = min(f.period_from, date(f.period_to.year - years + 1, 1, 1))
    end = f.period_to
    key = data.query_key(f.as_of, start, end, f.branches, f.outcome)
    label = fmt.date_range(start, min(end, f.as_of))
    caption = _("Trend charts cover {range}.").format(range=label)
    if _bucket_running(min(end, f.as_of), grain, f.as_of):
        caption += " " + _("The last {grain} is not over on {date}: its figures are so far.").format(
            grain=_(series.GRAIN_LABELS[grain]).lower(), date=fmt.day(f.as_of))
    st.caption(caption)
    return Trend(grain, _(series.GRAIN_LABELS[grain]), key, label)


def _bucket_running(last_day, grain: str, as_of) -> bool:
    """Whether the bucket holding ``last_day`` ends after the as-of date."""
    import calendar
    from datetime import date

    if grain == "year":
        bucket_end = date(last_day.year, 12, 31)
    else:
        month = last_day.month if grain == "month" else ((last_day.month - 1) // 3 + 1) * 3
        bucket_end = date(last_day.year, month, calendar.monthrange(last_day.year, month)[1])
    return bucket_end > as_of


def _delta(value: Any, previous: Any, change: Any, change_kind: str | None, unit: str) -> str | None:
    """The change as shown: a relative change for counts and amounts (and the
    growth of a cumulative stock), a difference for the rest; "unchanged" when
    it rounds to zero at the digits shown."""
    if change_kind in ("relative", "stock_growth"):
        text = None if fmt.is_missing(change) else fmt.signed_percent(change)
    elif change_kind == "difference" and not fmt.is_missing(change):
        text = fmt.change(float(change), 0.0, unit)
    else:
        text = fmt.change(value, previous, unit)
    if text is not None and text.startswith("±"):   # the formatter's sign of a change rounding to 0
        return unchanged_text()
    return text


def unchanged_text() -> str:
    """A change that rounds to zero at the digits shown (neutral colour, no arrow)."""
    return _("unchanged")


def target_text(value: Any, target: Any, target_to_date: Any, unit: str, key: str) -> str | None:
    """The caption under a tile with a target. A count or an amount that adds up
    over the period is shown as progress against the target pro-rated to d by
    days, with the full-year target beside it; a rate, a median or a stock
    against the target itself."""
    from analytics.engine.insights import pro_rated

    if target is None or fmt.is_missing(target):
        return None
    if pro_rated(key) and not fmt.is_missing(target_to_date):
        if fmt.is_missing(value) or not target_to_date:
            return _("Target to date {to_date} (full year {target})").format(
                to_date=fmt.value(target_to_date, unit), target=fmt.value(target, unit))
        return _("{progress} of the target to date {to_date} (full year {target})").format(
            progress=fmt.percent(float(value) / float(target_to_date), 0),
            to_date=fmt.value(target_to_date, unit), target=fmt.value(target, unit))
    text = _("Target {target}").format(target=fmt.value(target, unit))
    gap = fmt.change(value, target, unit)
    if gap is not None:
        text += " · " + _("{gap} against target").format(gap=gap)
    return text


def tile(key: str, value: Any, previous: Any = None, target: Any = None, *,
         change: Any = None, change_kind: str | None = None, target_to_date: Any = None,
         label: str | None = None, previous_label: str | None = None, unavailable: str | None = None,
         funder_cell: Any = None) -> None:
    """A headline figure with its change against the same days one year earlier and its target.
    ``unavailable``: why the figure cannot be computed (``ui.data.unavailable``), shown in its place;
    ``funder_cell``: the suppressed cell a funder sees instead of the funder report's."""
    m = meta(key)
    if unavailable:
        with st.container(border=True):
            st.metric(label or m.label, _("Not available"), help=m.definition or None)
            st.caption(unavailable)
        return
    shown = fmt.value(value, m.unit)
    delta = _delta(value, previous, change, change_kind, m.unit)
    if auth.current_user().role == auth.FUNDER:
        # Funder output: the handbook's small-cell rules. The figure is the
        # suppressed cell of the funder report where it has one; otherwise a
        # count is suppressed as a count and anything else is hidden (fail
        # closed). No change against the previous period (it would need the
        # previous figures suppressed too) and no gap to a hidden target.
        from analytics.disclosure import suppression

        cell = funder_cell if funder_cell is not None else funder_cells().get(key)
        if cell is None:
            cell = suppression.count(value) if m.unit == "count" else suppression.hidden(suppression.FEW_PEOPLE)
        shown = cell.mark if cell.hidden else fmt.value(cell.value, m.unit)
        value = None if cell.hidden else cell.value
        delta = previous = previous_label = None
    color = {"up": "normal", "down": "inverse"}.get(m.good_direction or "", "off")
    arrow = "auto"
    if delta == unchanged_text():
        color, arrow = "off", "off"
    stock = change_kind == "stock_growth"
    help_parts = [m.definition] if m.definition else []
    if key in data.OUTCOME_KEYS:   # the figure changes with the outcome definition: it names the one in force
        help_parts.append(filters.outcome_text(filters.current().outcome) + ".")
    if previous_label:
        words = (_("The stock on the last day of {range}: {value}; the change is its growth in a year.")
                 if stock else _("The same days one year earlier, {range}: {value}."))
        help_parts.append(words.format(range=previous_label, value=fmt.value(previous, m.unit)))
    with st.container(border=True):
        # What the change is against is said once above the tiles (page.start);
        # the growth of a cumulative stock says so under its tile (a caption wraps).
        st.metric(label or m.label, shown, delta=delta, delta_color=color, delta_arrow=arrow,
                  help="\n\n".join(help_parts) or None)
        if delta and stock:
            st.caption(_("Change: growth of the stock in a year"))
        text = target_text(value, target, target_to_date, m.unit, key)
        if text:
            st.caption(text)


def cohort_in_progress(steps: dict[str, Any]) -> str | None:
    """What a cohort's figures must say while its duos are still running (the
    funnel's "positive exit" is then a share of a cohort whose outcomes are not
    in yet), or None when every duo of the cohort has ended."""
    started, ended = steps.get("funnel_realized"), steps.get("funnel_ended")
    if fmt.is_missing(started) or fmt.is_missing(ended) or int(started) <= int(ended):
        return None
    f = filters.current()
    return _("Still in progress on {date}: {running} of the {started} duos of this cohort have not ended, so "
             "its outcomes are not all in yet.").format(date=fmt.day(f.as_of),
                                                         running=fmt.integer(int(started) - int(ended)),
                                                         started=fmt.integer(started))


def funder_cells() -> dict[str, Any]:
    """The suppressed headline cells of the funder report (analytics.report)
    for the current filters: what a funder may see of each figure."""
    from analytics.report import ReportError

    try:
        model = data.report(filters.current().key(), current_language())
    except ReportError:   # the report cannot vouch for its figures (e.g. an outcome definition it does
        return {}         # not count yet): every rate hidden, counts suppressed as counts (fail closed)
    return {fig.key: fig.cell for fig in model.headline}


def shown_values(compared, keys: tuple[str, ...], funder_overrides: dict[str, Any] | None = None) -> dict[str, str]:
    """The tile texts of ``keys`` as the session's role may see them (for the summary);
    ``funder_overrides``: cells a funder sees instead of the funder report's (as given to :func:`tiles`)."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    out = {}
    funder = auth.current_user().role == auth.FUNDER
    cells = {**funder_cells(), **(funder_overrides or {})} if funder else {}
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


def tiles(compared, keys: tuple[str, ...], columns: int = 4, previous_label: str | None = None,
          unavailable: dict[str, str] | None = None, funder_overrides: dict[str, Any] | None = None) -> None:
    """Tiles from ``ui.data.compare`` rows (value, previous, change, target), in rows of ``columns``;
    a key of ``unavailable`` (``ui.data.unavailable``) is shown as not available, with its reason;
    a key of ``funder_overrides`` shows that suppressed cell to a funder (see :func:`tile`)."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    unavailable = unavailable or {}
    funder_overrides = funder_overrides or {}
    for start in range(0, len(keys), columns):
        for col, key in zip(st.columns(columns), keys[start:start + columns]):
            r = rows.get(key, {})
            with col:
                tile(key, r.get("value"), r.get("previous_value"), r.get("target"),
                     change=r.get("change"), change_kind=r.get("change_kind"),
                     target_to_date=r.get("target_to_date"), previous_label=previous_label,
                     unavailable=unavailable.get(key), funder_cell=funder_overrides.get(key))
