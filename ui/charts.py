"""Plotly charts with the house rules built in.

Every chart: a title, axis titles with their units, the Okabe–Ito palette,
bars starting at zero, separators of the session's locale, and the indicator
definition shown under it (``show(fig, help=...)``). Pages build figures only
through these helpers.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from ui.i18n import current_locale
from ui.palette import SEQUENCE

_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _separators() -> str:
    loc = current_locale()
    return get_decimal_symbol(loc) + get_group_symbol(loc)


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str,
            y_format: str | None = None, legend_title: str | None = None,
            zero_based: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        colorway=SEQUENCE,
        separators=_separators(),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        height=420,
        # Legend under the plot, in trace order: never over the title, readable with many series.
        legend={"title": {"text": legend_title or ""}, "orientation": "h", "traceorder": "normal",
                "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0},
        template="plotly_white",
        hovermode="x unified",
    )
    fig.update_xaxes(title_text=x_title, type="category")
    fig.update_yaxes(title_text=y_title, rangemode="tozero" if zero_based else "normal",
                     tickformat=y_format, hoverformat=y_format)
    return fig


def bar(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
        title: str, x_title: str, y_title: str, y_format: str | None = None,
        stacked: bool = False, legend_title: str | None = None,
        horizontal: bool = False) -> go.Figure:
    """Grouped (or stacked) bars; the value axis always starts at 0."""
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        color = SEQUENCE[i % len(SEQUENCE)]
        if horizontal:
            fig.add_bar(y=list(categories), x=list(values), name=name, orientation="h",
                        marker_color=color)
        else:
            fig.add_bar(x=list(categories), y=list(values), name=name, marker_color=color)
    fig.update_layout(barmode="stack" if stacked else "group",
                      showlegend=len(series) > 1)
    if horizontal:
        _layout(fig, title, y_title, x_title, None, legend_title)
        fig.update_xaxes(type="linear", rangemode="tozero", tickformat=y_format,
                         title_text=y_title)
        fig.update_yaxes(type="category", rangemode="normal", title_text=x_title,
                         autorange="reversed", tickformat=None)
        fig.update_layout(hovermode="y unified")
        return fig
    return _layout(fig, title, x_title, y_title, y_format, legend_title)


def line(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
         title: str, x_title: str, y_title: str, y_format: str | None = None,
         legend_title: str | None = None, zero_based: bool = True,
         y_range: tuple[float, float] | None = None) -> go.Figure:
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        fig.add_scatter(x=list(categories), y=list(values), name=name, mode="lines+markers",
                        line={"color": SEQUENCE[i % len(SEQUENCE)], "width": 2},
                        connectgaps=False)
    fig.update_layout(showlegend=len(series) > 1)
    _layout(fig, title, x_title, y_title, y_format, legend_title, zero_based)
    if y_range is not None:
        fig.update_yaxes(range=list(y_range))
    return fig


def step(x: Sequence[float], series: dict[str, Sequence[float]], *, title: str,
         x_title: str, y_title: str, y_format: str | None = None,
         legend_title: str | None = None) -> go.Figure:
    """Step lines (survival curves): a numeric x axis, y in [0, 1]."""
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        xs, ys = values if isinstance(values, tuple) else (x, values)
        fig.add_scatter(x=list(xs), y=list(ys), name=name, mode="lines",
                        line={"shape": "hv", "color": SEQUENCE[i % len(SEQUENCE)], "width": 2})
    _layout(fig, title, x_title, y_title, y_format, legend_title)
    fig.update_xaxes(type="linear", rangemode="tozero")
    fig.update_yaxes(range=[0, 1.02])
    return fig


def show(fig: go.Figure, help: str | None = None, key: str | None = None) -> None:
    """Render a figure full width, with its definition underneath."""
    st.plotly_chart(fig, config=_CONFIG, key=key, width="stretch")
    if help:
        st.caption(help)


def frame_to_series(df: pd.DataFrame, columns: dict[str, str]) -> dict[str, list]:
    """{label: values} from data-frame columns, NaN as None (gaps, not zeros)."""
    return {label: [None if pd.isna(v) else v for v in df[col]] for col, label in columns.items()
            if col in df}


def volume_and_quality(categories: Sequence[str], volume: Sequence[float | None],
                       quality: dict[str, Sequence[float | None]], *, title: str, x_title: str,
                       volume_title: str, quality_title: str, quality_format: str | None = None,
                       quality_range: tuple[float, float] | None = None) -> go.Figure:
    """Volume (bars, from 0) above quality (lines) on one shared time axis, so a
    manager sees whether growth dilutes quality. Two panels, not two y axes on
    one panel (dual axes invite false correlations)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.4, 0.6])
    fig.add_bar(x=list(categories), y=list(volume), name=volume_title, marker_color=SEQUENCE[0],
                row=1, col=1)
    for i, (name, values) in enumerate(quality.items()):
        fig.add_scatter(x=list(categories), y=list(values), name=name, mode="lines+markers",
                        line={"color": SEQUENCE[(i + 1) % len(SEQUENCE)], "width": 2}, row=2, col=1)
    _layout(fig, title, "", "")
    fig.update_layout(height=520, showlegend=True)
    fig.update_xaxes(type="category")
    fig.update_xaxes(title_text=x_title, row=2, col=1)
    fig.update_yaxes(title_text=volume_title, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=quality_title, rangemode="tozero", tickformat=quality_format,
                     hoverformat=quality_format, row=2, col=1)
    if quality_range is not None:
        fig.update_yaxes(range=list(quality_range), row=2, col=1)
    return fig


def axis_format(unit: str) -> tuple[str | None, tuple[float, float] | None]:
    """Plotly tick format and fixed range for a registry unit (rates: 0–100 %)."""
    if unit == "rate":
        return ".0%", (0, 1.02)
    if unit == "score":
        return ".1f", (0, 5.1)
    return None, None


def histogram(values: Sequence[float], *, title: str, x_title: str, y_title: str,
              bin_size: float | None = None, marker: float | None = None,
              marker_label: str | None = None) -> go.Figure:
    """Counts per bin (computed by plotly in the browser), y from 0, optional vertical marker."""
    fig = go.Figure()
    xbins = {"start": 0, "size": bin_size} if bin_size else None
    fig.add_histogram(x=list(values), xbins=xbins, marker_color=SEQUENCE[0], name=y_title)
    _layout(fig, title, x_title, y_title)
    fig.update_xaxes(type="linear", rangemode="tozero", dtick=bin_size)
    fig.update_layout(showlegend=False, bargap=0.05, hovermode="closest")
    if marker is not None:
        fig.add_vline(x=marker, line_dash="dash", line_color=SEQUENCE[3],
                      annotation_text=marker_label or "", annotation_position="top right")
    return fig


def funnel(steps: Sequence[str], counts: Sequence[float | None], labels: Sequence[str], *,
           title: str, x_title: str) -> go.Figure:
    """Horizontal bars, one per step, from 0, each labelled (count and share)."""
    fig = go.Figure()
    fig.add_bar(y=list(steps), x=[0 if c is None else c for c in counts], orientation="h",
                text=list(labels), textposition="auto", marker_color=SEQUENCE[0])
    _layout(fig, title, x_title, "")
    fig.update_xaxes(type="linear", rangemode="tozero", title_text=x_title)
    fig.update_yaxes(type="category", autorange="reversed", title_text="")
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig
