"""The report as one self-contained HTML page (:func:`render_html`), from the
Jinja2 templates in ``analytics/report/templates/`` (autoescaped).

Only lays out a :class:`~analytics.report.model.ReportModel`: every text is
escaped by the template engine; the only markup marked safe is the charts'
(plotly's own ``<div>``, or an ``<img>`` of an SVG data URL) and the inline
plotly.js library. The page loads nothing from the network (a
Content-Security-Policy allows inline styles, data: images and, for
interactive charts only, the inline plotly.js). ``static=True`` gives the
page the PDF is printed from: SVG charts and no JavaScript at all.

The programme's branding (:class:`~analytics.report.common.Branding`: name,
logo, colours; ``docs/report.md``, "Branding") sits in the header and the
page's CSS variables.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from analytics.report import charts
from analytics.report.common import DEFAULT_BRANDING
from analytics.report.model import Chart, ReportModel, Table

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                   undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class _ShownChart:
    """A chart as the template lays it out: its image markup (safe) and its data table."""

    key: str
    title: str
    note: str
    table: Table
    image: Markup


def _image(c: Chart, static: bool) -> Markup:
    if static:
        return Markup('<img alt="{}" src="data:image/svg+xml;base64,{}">').format(c.title, charts.svg_base64(c.figure))
    return Markup(charts.interactive_div(c.figure, f"chart-{escape(c.key)}"))  # plotly's own markup


def render_html(model: ReportModel, *, static: bool = False) -> str:
    """The report as one self-contained HTML page.

    ``static=False``: interactive charts (plotly.js inline, no network).
    ``static=True``: charts as SVG images made by kaleido and no JavaScript at
    all (what the PDF is printed from).
    """
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           + ("script-src 'none'" if static else "script-src 'unsafe-inline'"))

    def shown(selected: list[Chart]) -> list[_ShownChart]:
        return [_ShownChart(c.key, c.title, c.note, c.table, _image(c, static)) for c in selected]

    def lay_out() -> str:
        return _ENV.get_template("report.html.j2").render(
            model=model, csp=csp, brand=model.branding or DEFAULT_BRANDING,
            plotly_js=Markup(charts.plotly_js()) if not static and model.charts else "",
            trends=shown([c for c in model.charts if c.key.endswith("_trend")]),
            by_group=shown([c for c in model.charts if c.key == "positive_exit_by_group"]),
            funding_charts=shown([c for c in model.charts if c.key == "funding_mix"]),
            context_shown=any(f.previous or f.field_context for f in model.headline))

    if static:  # one headless browser for all the charts
        with charts.static_images():
            return lay_out()
    return lay_out()
