"""The report's plotly figures, and the two ways the HTML page carries them
(interactive, with plotly.js inline; or static SVG images made by kaleido).

The only module of the report that uses plotly. Every figure is drawn from
values that have already been suppressed (:mod:`analytics.report.model`
builds them, and the same values as a table); a bar or point that is hidden
is missing, and the chart says why ("<5", "*"). Text from the data (group
and funder-type names) is HTML-escaped, as plotly renders titles and labels
as HTML. Plotly is imported where a figure is made, not on import, so the
command line stays quick to start.
"""
from __future__ import annotations

import base64
import html
import warnings
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from analytics.disclosure.suppression import Cell
from analytics.report.common import MISSING, Formatter

from analytics.text.categories import colour_of
from analytics.text.palette import NEUTRAL as GREY
from analytics.text.palette import OKABE_ITO

# Okabe–Ito, the one palette of the dashboard and the report (analytics.text.palette);
# a figure drawn as a series has the colour the dashboard gives it (colour_of(key, "indicator")).
BLUE, ORANGE, GREEN, SKY = (OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "sky_blue"))
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
# the colour of each breakdown's bars in the chart of rates by group (a breakdown, not a category value)
GROUP_COLOURS = {"outcomes_by_gender": BLUE, "outcomes_by_education_level": ORANGE, "outcomes_by_region": GREEN}


# ---------------------------------------------------------------- layout
def _layout(fig, title: str, y_title: str, fmt: Formatter, y_format: str | None = None, height: int = 340):
    fig.update_layout(
        title={"text": html.escape(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 12, "color": "#222"},
        separators=fmt.separators(), template="plotly_white", height=height, width=760,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=html.escape(y_title), rangemode="tozero", tickformat=y_format)
    if y_format == ".0%":
        _percent_axis(fig.update_yaxes, fmt)
    return fig


def _percent_axis(update, fmt: Formatter) -> None:
    """Rates on an axis as the locale writes them ("40 %" in French, "40%" in English)."""
    ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    update(tickmode="array", tickvals=ticks, ticktext=[fmt.percent(v) for v in ticks], tickformat=None)


def _shade(figure, labels: Sequence[str], in_period: Sequence[str]) -> None:
    """Shade the period's buckets when buckets before it are shown for context."""
    if len(in_period) < len(labels) and in_period:
        first, last = labels.index(in_period[0]), labels.index(in_period[-1])
        figure.add_vrect(x0=first - 0.5, x1=last + 0.5, fillcolor="#E69F00", opacity=0.10, line_width=0,
                         layer="below")


def _marks(figure, labels: Sequence[str], cells: Sequence[Cell]) -> None:
    """Say on the chart what a missing bar or point is ("<5", "*")."""
    for label, cell in zip(labels, cells):
        if cell.hidden:
            figure.add_annotation(x=label, y=0, text=html.escape(cell.mark), showarrow=False, yshift=9,
                                  font={"size": 10, "color": GREY})


# ---------------------------------------------------------------- the figures
def realized_trend(title: str, labels: list[str], in_period: list[str], cells: list[Cell],
                   _: Callable[[str], str], fmt: Formatter):
    """Bars of the duos realized per bucket."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=labels, y=[c.value for c in cells], marker_color=colour_of("duos_realized", "indicator"),
                           name=_("Duos realized")))
    _layout(fig, title, _("Duos"), fmt, ",d")
    _shade(fig, labels, in_period)
    _marks(fig, labels, cells)
    return fig


def exit_rates_trend(title: str, labels: list[str], in_period: list[str], positive: list[Cell],
                     job: list[Cell], _: Callable[[str], str], fmt: Formatter):
    """Lines of the positive and job exit rates per bucket."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_scatter(x=labels, y=[c.value for c in positive], name=_("Positive exit rate"), mode="lines+markers",
                    line={"color": colour_of("positive_exit_rate", "indicator"), "width": 2},
                    marker={"symbol": "circle"}, connectgaps=False)
    fig.add_scatter(x=labels, y=[c.value for c in job], name=_("Job exit rate"), mode="lines+markers",
                    line={"color": colour_of("job_exit_rate", "indicator"), "width": 2, "dash": "dash"},
                    marker={"symbol": "square"}, connectgaps=False)
    _layout(fig, title, _("Share of the duos that ended"), fmt, ".0%")
    fig.update_yaxes(range=[0, 1.05])
    _shade(fig, labels, in_period)
    return fig


def costs_funding_trend(title: str, labels: list[str], in_period: list[str], costs: list[float | None],
                        funding: list[float | None], _: Callable[[str], str], fmt: Formatter):
    """Bars of the costs and the funding received per bucket (money, not people)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_bar(x=labels, y=costs, name=_("Costs"), marker_color=colour_of("total_costs_eur", "indicator"))
    fig.add_bar(x=labels, y=funding, name=_("Funding received"), marker_color=colour_of("total_funding_eur", "indicator"))
    _layout(fig, title, _("Euros (€)"), fmt, ",.0f")
    _shade(fig, labels, in_period)
    return fig


def rate_by_group(title: str, groups: list[tuple[str, str, float | None, str]],
                  _: Callable[[str], str], fmt: Formatter):
    """Horizontal bars of the positive exit rate per group; ``groups`` are
    (breakdown key, group name, rate or None, the rate as shown)."""
    import plotly.graph_objects as go

    names = [name for _key, name, _v, _x in groups]
    values = [value for _key, _n, value, _x in groups]
    texts = [text for _key, _n, _v, text in groups]
    colours = [GROUP_COLOURS.get(key, GREY) for key, _n, _v, _x in groups]
    height = max(300, 26 * len(names) + 110)
    fig = go.Figure(go.Bar(y=[html.escape(n) for n in names], x=values, orientation="h", marker_color=colours,
                           text=[html.escape(x) for x in texts], textposition="outside", cliponaxis=False))
    _layout(fig, title, "", fmt, None, height=height)
    fig.update_xaxes(type="linear", range=[0, 1.15], title_text=html.escape(_("Positive exit rate")))
    _percent_axis(fig.update_xaxes, fmt)
    fig.update_yaxes(type="category", autorange="reversed", title_text="", tickformat=None)
    fig.update_layout(showlegend=False, margin={"l": 200, "r": 20, "t": 60, "b": 50})
    for name, value, text in zip(names, values, texts):
        if value is None and text != MISSING:  # say what a missing bar is
            fig.add_annotation(x=0, y=html.escape(name), text=html.escape(text), showarrow=False, xanchor="left",
                               xshift=4, font={"size": 10, "color": GREY})
    return fig


def funding_mix(title: str, names: list[str], shares: list[float | None], _: Callable[[str], str],
                fmt: Formatter, codes: Sequence[str] | None = None):
    """Horizontal bars of the share of each type of funder, each in its funder
    type's colour (``codes``: the record-format values, as the dashboard colours them)."""
    import plotly.graph_objects as go

    colours = [colour_of(c, "funder_type") for c in codes] if codes else SKY
    fig = go.Figure(go.Bar(y=[html.escape(n) for n in names], x=shares, orientation="h", marker_color=colours,
                           text=[fmt.percent(s) for s in shares], textposition="outside", cliponaxis=False))
    _layout(fig, title, "", fmt, None, height=max(260, 34 * len(names) + 120))
    fig.update_xaxes(type="linear", range=[0, 1.15], title_text=html.escape(_("Share")))
    _percent_axis(fig.update_xaxes, fmt)
    fig.update_yaxes(type="category", autorange="reversed", title_text="", tickformat=None)
    fig.update_layout(showlegend=False, margin={"l": 160, "r": 20, "t": 60, "b": 50})
    return fig


# ---------------------------------------------------------------- in an HTML page
def plotly_js() -> str:
    """The plotly.js library, to inline in the page (no network)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def interactive_div(fig, div_id: str) -> str:
    """The figure as an interactive <div> (needs :func:`plotly_js` in the page)."""
    import plotly.io as pio

    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True,
                               "modeBarButtonsToRemove": ["lasso2d", "select2d"]})


@contextmanager
def static_images() -> Iterator[None]:
    """One headless browser for all of a report's static charts (:func:`svg_base64`)."""
    import kaleido

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = False
        try:
            kaleido.start_sync_server(silence_warnings=True)
            started = True
        except Exception:  # already running, or cannot start: to_image starts its own
            pass
        try:
            yield
        finally:
            if started:
                try:
                    kaleido.stop_sync_server(silence_warnings=True)
                except Exception:  # pragma: no cover
                    pass


def svg_base64(fig) -> str:
    """The figure as an SVG image, base64-encoded for a data: URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        svg = fig.to_image(format="svg")
    return base64.b64encode(svg).decode("ascii")
