"""Plotly charts with the house rules built in.

Every chart: a title, axis titles with their units, the Okabe–Ito palette,
bars starting at zero, numbers as the session's locale writes them (its
decimal and thousands separators, its percent sign: ``40 %`` in French), the
legend under the plot, and the indicator definition shown under it
(``show(fig, help=...)``). Pages build figures only through these helpers
and give rates as rates (0–1) with a d3 percent format such as ``.0%``.

Figures are written as plain plotly specs (dicts). Building them through
plotly's graph objects costs ~150 ms a chart with validation and ~10 ms
without, which alone would break the 300 ms rerun budget of a page with
nine charts; handing the spec over as it is costs under 1 ms (see
``figure``). tests/test_ui_charts.py validates every builder's spec with
plotly instead, so a wrong property still fails a test.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

from ui.i18n import current_locale
from ui.palette import SEQUENCE

_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@lru_cache(maxsize=1)
def _template() -> dict:
    return pio.templates["plotly_white"].to_plotly_json()


def _separators() -> str:
    """Plotly's layout `separators`: the locale's decimal mark, then its
    thousands separator ('.,' in English, ',\u202f' in French, ',.' in Dutch)."""
    loc = current_locale()
    return get_decimal_symbol(loc) + get_group_symbol(loc)


def _percent_affixes() -> tuple[str, str]:
    """What the locale writes before and after a percentage, as Babel (and so
    every other number on the page) does: ('', '%') in English and Dutch,
    ('', '\u00a0%') in French."""
    pattern = parse_pattern(current_locale().percent_formats[None])
    return pattern.prefix[0], pattern.suffix[0]


def _number_format(value_format: str | None) -> tuple[float, dict]:
    """(scale, axis properties) of a value axis in the session's locale.

    A rate format (d3's ``.0%``) stays d3's percent where the locale writes
    the sign right after the number (``40%``). Where it writes it otherwise
    (French ``40 %``), d3 cannot, so the values are drawn in percent (scale
    100) with a plain number format and the locale's sign as tick prefix or
    suffix, which plotly also writes in the hover labels. Separators come
    from the layout's `separators` in every case."""
    if not value_format:
        return 1.0, {}
    if not value_format.endswith("%") or _percent_affixes() == ("", "%"):
        return 1.0, {"tickformat": value_format, "hoverformat": value_format}
    prefix, suffix = _percent_affixes()
    number = value_format[:-1] + "f"
    axis = {"tickformat": number, "hoverformat": number}
    if prefix:
        axis["tickprefix"] = prefix
    if suffix:
        axis["ticksuffix"] = suffix
    return 100.0, axis


def _txt(text: object) -> str:
    """Text from the data (branch names, labels) as text: plotly reads a subset
    of HTML in names and tick labels, so <, > and & are escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cats(categories: Sequence) -> list[str]:
    return [_txt(c) for c in categories]


def _values(values: Sequence, scale: float = 1.0) -> list:
    """Values as plotly draws them: NaN as None (a gap), times `scale` (see _number_format)."""
    if scale == 1.0:
        return [None if v is None or (isinstance(v, float) and v != v) else v for v in values]
    return [None if v is None or (isinstance(v, float) and v != v) else v * scale for v in values]


def _axis(title: str, **extra) -> dict:
    return {"title": {"text": title}, "automargin": True, **extra}


def _spec(title: str, data: list[dict], xaxis: dict, yaxis: dict, *, legend_title: str | None = None,
          height: int = 420, hovermode: str = "x unified", show_legend: bool | None = None, **layout) -> dict:
    return {
        "data": data,
        "layout": {
            "template": _template(),
            "title": {"text": title, "x": 0, "xanchor": "left"},
            "colorway": SEQUENCE,
            "separators": _separators(),
            "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
            "height": height,
            # Legend under the plot, in trace order: never over the title. Placed
            # against the figure's bottom edge (yref container), so the margin
            # grows for it below the axis labels however tall rotated ticks are.
            "legend": {"title": {"text": legend_title or ""}, "orientation": "h", "traceorder": "normal",
                       "yref": "container", "yanchor": "bottom", "y": 0, "xanchor": "left", "x": 0},
            "showlegend": len(data) > 1 if show_legend is None else show_legend,
            "hovermode": hovermode,
            "xaxis": xaxis,
            "yaxis": yaxis,
            **layout,
        },
    }


def _value_axis(title: str, y_format: str | None, zero_based: bool = True,
                y_range: tuple[float, float] | None = None) -> dict:
    scale, number = _number_format(y_format)
    axis = _axis(title, rangemode="tozero" if zero_based else "normal", **number)
    if y_range is not None:
        axis["range"] = [bound * scale for bound in y_range]
    return axis


# Lines that may lie on top of each other stay apart to the eye: each series
# of a chart has its own dash and marker, besides its colour.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def _colour(colours: Mapping[str, str] | None, name: str, i: int) -> str:
    """The series' colour: its category's (``analytics.text.categories``) when given, else the palette's i-th."""
    return (colours or {}).get(name) or SEQUENCE[i % len(SEQUENCE)]


def bar(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
        title: str, x_title: str, y_title: str, y_format: str | None = None,
        stacked: bool = False, legend_title: str | None = None,
        colours: Mapping[str, str] | None = None) -> dict:
    """Grouped (or stacked) bars; the value axis always starts at 0. ``colours``:
    series name -> colour (``ui.series.colours``), so a category has one colour everywhere."""
    scale = _number_format(y_format)[0]
    data = [{"type": "bar", "x": _cats(categories), "y": _values(values, scale), "name": _txt(name),
             "marker": {"color": _colour(colours, name, i)}}
            for i, (name, values) in enumerate(series.items())]
    return _spec(title, data, _axis(x_title, type="category"), _value_axis(y_title, y_format),
                 legend_title=legend_title, barmode="stack" if stacked else "group")


def _fill(colour: str, alpha: float = 0.18) -> str:
    """A '#rrggbb' colour as a translucent rgba() fill."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _band(xs: list, low: Sequence, high: Sequence, scale: float, colour: str, name: str,
          shape: str = "linear") -> list[dict]:
    """Two traces: the lower edge (invisible) and the upper one filled down to it."""
    edge = {"type": "scatter", "x": xs, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
            "connectgaps": False, "line": {"width": 0, "shape": shape, "color": colour}}
    return [{**edge, "y": _values(low, scale), "name": _txt(name)},
            {**edge, "y": _values(high, scale), "name": _txt(name), "fill": "tonexty",
             "fillcolor": _fill(colour)}]


def line(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
         title: str, x_title: str, y_title: str, y_format: str | None = None,
         legend_title: str | None = None, zero_based: bool = True,
         y_range: tuple[float, float] | None = None,
         bands: dict[str, tuple[Sequence, Sequence]] | None = None,
         colours: Mapping[str, str] | None = None) -> dict:
    """Lines with markers; each series has its own colour, dash and marker, so
    two equal series both show. ``bands`` (by series name: lowest, highest
    values) are drawn as a shaded band in the series' colour behind its line."""
    scale = _number_format(y_format)[0]
    data = []
    for i, (name, values) in enumerate(series.items()):
        colour = _colour(colours, name, i)
        if bands and name in bands:
            data += _band(_cats(categories), *bands[name], scale, colour, name)
        data.append({"type": "scatter", "x": _cats(categories), "y": _values(values, scale), "name": _txt(name),
                     "mode": "lines+markers", "connectgaps": False,
                     "line": {"color": colour, "width": 2, "dash": DASHES[i % len(DASHES)]},
                     "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7 + 2 * (i % 2)}})
    return _spec(title, data, _axis(x_title, type="category"),
                 _value_axis(y_title, y_format, zero_based, y_range), legend_title=legend_title)


def step(x: Sequence[float], series: dict, *, title: str, x_title: str, y_title: str,
         y_format: str | None = None, legend_title: str | None = None,
         bands: dict[str, tuple[Sequence, Sequence]] | None = None,
         colours: Mapping[str, str] | None = None) -> dict:
    """Step lines (survival curves): numeric x from 0, y in [0, 1]; ``bands`` (by
    series name: lower, upper values at the same x) shaded behind each line
    (a confidence band)."""
    scale = _number_format(y_format)[0]
    data = []
    for i, (name, values) in enumerate(series.items()):
        xs, ys = values if isinstance(values, tuple) else (x, values)
        colour = _colour(colours, name, i)
        if bands and name in bands:
            data += _band(list(xs), *bands[name], scale, colour, name, shape="hv")
        data.append({"type": "scatter", "x": list(xs), "y": _values(ys, scale), "name": _txt(name), "mode": "lines",
                     "line": {"shape": "hv", "color": colour, "width": 2,
                              "dash": DASHES[i % len(DASHES)]}})
    return _spec(title, data, _axis(x_title, type="linear", rangemode="tozero"),
                 _value_axis(y_title, y_format, y_range=(0, 1.02)), legend_title=legend_title)


def histogram(values: Sequence[float], *, title: str, x_title: str, y_title: str,
              bin_size: float | None = None, marker: float | None = None,
              marker_label: str | None = None) -> dict:
    """Counts per bin (binned by plotly in the browser), y from 0, optional vertical marker."""
    trace = {"type": "histogram", "x": _values(list(values)), "name": y_title,
             "marker": {"color": SEQUENCE[0]}}
    if bin_size:
        trace["xbins"] = {"start": 0, "size": bin_size}
    extra: dict = {"bargap": 0.05}
    if marker is not None:
        extra["shapes"] = [{"type": "line", "x0": marker, "x1": marker, "xref": "x", "y0": 0, "y1": 1,
                            "yref": "paper", "line": {"color": SEQUENCE[3], "dash": "dash", "width": 2}}]
        extra["annotations"] = [{"x": marker, "y": 1, "xref": "x", "yref": "paper", "text": marker_label or "",
                                 "showarrow": False, "xanchor": "left", "yanchor": "bottom"}]
    x_axis = _axis(x_title, type="linear", rangemode="tozero")
    if bin_size:
        x_axis["dtick"] = bin_size
    return _spec(title, [trace], x_axis, _value_axis(y_title, None), hovermode="closest",
                 show_legend=False, **extra)


def funnel(steps: Sequence[str], counts: Sequence[float | None], labels: Sequence[str], *,
           title: str, x_title: str) -> dict:
    """Horizontal bars, one per step, from 0, each labelled (count and share)."""
    trace = {"type": "bar", "orientation": "h", "y": _cats(steps), "x": [0 if c is None else c for c in counts],
             "text": _cats(labels), "textposition": "auto", "marker": {"color": SEQUENCE[0]}}
    return _spec(title, [trace], _value_axis(x_title, None),
                 _axis("", type="category", autorange="reversed"), hovermode="closest", show_legend=False)


def volume_and_quality(categories: Sequence[str], volume: Sequence[float | None],
                       quality: dict[str, Sequence[float | None]], *, title: str, x_title: str,
                       volume_title: str, quality_title: str, quality_format: str | None = None,
                       quality_range: tuple[float, float] | None = None,
                       colours: Mapping[str, str] | None = None) -> dict:
    """Volume (bars, from 0) above quality (lines) on one shared time axis, so a
    manager sees whether growth dilutes quality. Two panels, not two y axes on
    one panel (dual axes invite false correlations)."""
    cats = _cats(categories)
    data = [{"type": "bar", "x": cats, "y": _values(volume), "name": _txt(volume_title),
             "marker": {"color": SEQUENCE[0]}, "xaxis": "x", "yaxis": "y"}]
    scale = _number_format(quality_format)[0]
    for i, (name, values) in enumerate(quality.items()):
        data.append({"type": "scatter", "x": cats, "y": _values(values, scale), "name": _txt(name),
                     "mode": "lines+markers",
                     "line": {"color": _colour(colours, name, i + 1), "width": 2,
                              "dash": DASHES[(i + 1) % len(DASHES)]},
                     "marker": {"symbol": SYMBOLS[(i + 1) % len(SYMBOLS)]}, "xaxis": "x2",
                     "yaxis": "y2"})
    top = _value_axis(volume_title, None)
    top.update(domain=[0.6, 1.0], anchor="x")
    bottom = _value_axis(quality_title, quality_format, y_range=quality_range)
    bottom.update(domain=[0.0, 0.5], anchor="x2")
    return _spec(title, data, _axis("", type="category", anchor="y", matches="x2", showticklabels=False),
                 top, height=540, show_legend=True,
                 xaxis2=_axis(x_title, type="category", anchor="y2"), yaxis2=bottom)


def axis_format(unit: str) -> tuple[str | None, tuple[float, float] | None]:
    """Plotly tick format and fixed range for a registry unit (rates: 0–100 %)."""
    if unit == "rate":
        return ".0%", (0, 1.02)
    if unit == "score":
        return ".1f", (0, 5.1)
    return None, None


class _SpecFigure(go.Figure):
    """A plotly spec that st.plotly_chart takes as a Figure. Streamlit 1.67 only
    calls ``to_dict()`` on a Figure (plotly.tools.return_figure_from_figure_or_data)
    and serialises that dict without validation, so the spec goes to the
    browser as written. tests/test_ui_charts.py checks this still holds."""

    def __init__(self, spec: dict) -> None:  # noqa: D107 - deliberately no plotly init
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    def __repr__(self) -> str:
        return f"_SpecFigure({self._spec.get('layout', {}).get('title')!r})"


def figure(spec: dict) -> go.Figure:
    """The spec as something st.plotly_chart draws, without plotly's per-property work."""
    return _SpecFigure(spec)


def show(spec: dict, help: str | None = None, key: str | None = None) -> None:
    """Render a chart full width, with its definition underneath."""
    st.plotly_chart(figure(spec), config=_CONFIG, key=key, width="stretch")
    if help:
        st.caption(help)


def frame_to_series(df: pd.DataFrame, columns: dict[str, str]) -> dict[str, list]:
    """{label: values} from data-frame columns, NaN as None (gaps, not zeros)."""
    return {label: [None if pd.isna(v) else v for v in df[col]] for col, label in columns.items()
            if col in df}
