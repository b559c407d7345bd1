"""The Growth page as a funder sees it: duos realized, cumulative duos,
active duos and mentee applications over the reporting year the funder chose
(months, quarters or years; one branch or the whole programme), every point a
cell of ``analytics.report.funder_series`` (suppressed together with every
other view a funder can open, and with the funder's Overview tiles).

A hidden point is a gap in its line or bar, marked on the axis with ``<5``
(a small count) or ``*`` (hidden so that no small count comes back) in its
label and hover text; the legend under the charts says why. A view whose
whole population is below the threshold says so instead of showing charts.
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from ui import charts, data, filters, fmt, series
from ui.i18n import N_, _
from ui.meta import help_text, meta

GRAIN_KEY = "growth_grain"           # the same URL parameter as the manager's grain
DEFAULT_GRAIN = "quarter"
HIDDEN_COLOUR = "#6b6b6b"

LEGEND = N_("<5: between 1 and 4 duos or mentees, not shown so that no one can be singled out. "
            "*: hidden because, with the other points, the totals or another view a funder can open, it "
            "would give such a small number back. A hidden point is a gap in its line or bar, marked on "
            "the axis.")


# The Overview's count tiles a funder sees as cells of the same table.
OVERVIEW_COUNTS = ("duos_realized", "duos_realized_cumulative", "active_duos")


def overview_cells(f: filters.Filters) -> dict:
    """The funder's Overview count tiles for the chosen reporting period and
    branch: cells of ``analytics.report.funder_series`` (so the Overview and
    the Growth page are suppressed jointly)."""
    fs = data.funder_series()
    branch = f.branches[0] if f.branches else None
    return {m: fs.cell(m, f.period, f.period_from, branch) for m in OVERVIEW_COUNTS}


def grain_choice() -> tuple[str, str]:
    """The grain of the funder's charts (month, quarter, year; kept in the URL) and its label."""
    filters.from_url(GRAIN_KEY, DEFAULT_GRAIN, options=series.GRAINS)
    grain = st.segmented_control(_("Per"), series.GRAINS, key=GRAIN_KEY,
                                 format_func=lambda g: _(series.GRAIN_LABELS[g])) or DEFAULT_GRAIN
    filters.to_url(GRAIN_KEY, grain, DEFAULT_GRAIN)
    return grain, _(series.GRAIN_LABELS[grain])


def points(fs, measure: str, grain: str, year: int, branch: str | None):
    """Categories, values (None where hidden) and the text of each point."""
    cats, values, texts = [], [], []
    for start, cell in fs.points(measure, grain, year, branch):
        cats.append(series.bucket_label(start, grain))
        values.append(None if cell.hidden else cell.value)
        texts.append(cell.mark if cell.hidden else fmt.integer(cell.value))
    return cats, values, texts


def _marked(spec: dict, cats: list[str], texts: dict[str, list[str]]) -> dict:
    """Each series' points carry their text (hover and label); a hidden point
    (a gap) gets a grey mark on the axis with its ``<5`` or ``*``."""
    marks = []
    for trace in spec["data"]:
        shown = texts[trace["name"]] if trace["name"] in texts else None
        if shown is None:
            continue
        trace["text"] = shown
        trace["hovertemplate"] = "%{x}: %{text}<extra>%{fullData.name}</extra>"
        hidden = [i for i, y in enumerate(trace["y"]) if y is None]
        if hidden:
            marks.append({"type": "scatter", "mode": "markers+text", "x": [trace["x"][i] for i in hidden],
                          "y": [0] * len(hidden), "text": [shown[i] for i in hidden],
                          "textposition": "top center", "name": _("{series}: not shown").format(series=trace["name"]),
                          "marker": {"symbol": "x-thin-open", "size": 9, "color": HIDDEN_COLOUR},
                          "textfont": {"color": HIDDEN_COLOUR},
                          "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>"})
    spec["data"].extend(marks)
    spec["layout"]["showlegend"] = len(spec["data"]) > 1
    return spec


def show(f: filters.Filters) -> None:
    """The funder's Growth page below its title (``pages/growth.py``)."""
    fs = data.funder_series()
    year = f.period_from.year
    branch = f.branches[0] if f.branches else None
    grain, grain_label = grain_choice()
    where = fmt.md_escape(branch) if branch else _("the whole programme")
    st.caption(_("{where}, the year {year} per {grain}, as of {date} (the date the programme published).").format(
        where=where, year=year, grain=grain_label.lower(), date=fmt.day(fs.as_of)))
    if fs.below_threshold(year, branch):
        st.info(_("Fewer than {t} duos were realized and fewer than {t} mentees applied in this view: "
                  "its growth is not shown, so that no one can be singled out.").format(t=fs.threshold))
        return
    label = {m: meta(m).label for m in ("duos_realized", "duos_realized_cumulative", "active_duos",
                                        "mentee_applications")}

    def chart(kind, measures, title, y_title, key, helps):
        cats, values, texts = [], {}, {}
        for m in measures:
            cats, values[label[m]], texts[label[m]] = points(fs, m, grain, year, branch)
        spec = kind(cats, values, title=title, x_title=grain_label, y_title=y_title,
                    colours=series.colours({m: label[m] for m in measures}))
        charts.show(_marked(spec, cats, texts), help=" ".join(help_text(m) for m in helps), key=key)

    chart(charts.bar, ("duos_realized",),
          _("Duos realized per {grain}").format(grain=grain_label.lower()), _("Duos (count)"),
          "funder_realized", ("duos_realized",))
    chart(charts.line, ("duos_realized_cumulative",), _("Duos realized since the start of the programme"),
          _("Duos (count)"), "funder_cumulative", ("duos_realized_cumulative",))
    chart(charts.bar, ("mentee_applications", "duos_realized"), _("Applications against duos realized"),
          _("Mentees or duos (count)"), "funder_applications", ("mentee_applications", "duos_realized"))
    chart(charts.line, ("active_duos",),
          _("Active duos at the end of each {grain}").format(grain=grain_label.lower()), _("Duos (count)"),
          "funder_active", ("active_duos",))
    if date(year, 12, 31) > fs.as_of:
        st.caption(_("The year is not over on {date}: its last {grain} is so far.").format(
            date=fmt.day(fs.as_of), grain=grain_label.lower()))
    st.caption(_(LEGEND))
