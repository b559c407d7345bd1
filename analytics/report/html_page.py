"""The report as one self-contained HTML page (:func:`render_html`).

Only lays out a :class:`~analytics.report.model.ReportModel`: every text is
escaped, the page loads nothing from the network (a Content-Security-Policy
allows inline styles, data: images and, for interactive charts only, the
inline plotly.js). ``static=True`` gives the page the PDF is printed from:
SVG charts and no JavaScript at all.
"""
from __future__ import annotations

import html
from analytics.report import charts
from analytics.report.model import Chart, ReportModel, Table

CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; line-height: 1.4; font-size: 11pt; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; color: #0b3d66; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; color: #0b3d66; border-bottom: 2px solid #0072B2;
     padding-bottom: .2rem; break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
.subtitle { color: #555; margin: 0 0 1rem; }
dl.scope { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem;
           font-size: .95rem; }
dl.scope dt { font-weight: bold; }
dl.scope dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: .5rem; }
.card { border: 1px solid #c9d6e2; border-radius: 6px; padding: .55rem .7rem; break-inside: avoid; }
.card .label { font-size: .85rem; color: #333; font-weight: bold; }
.card .value { font-size: 1.45rem; font-weight: bold; color: #0b3d66; margin: .1rem 0; }
.card .note { font-size: .78rem; color: #555; }
.iris { display: inline-block; font-size: .72rem; color: #0b3d66; border: 1px solid #0072B2; border-radius: 3px;
        padding: 0 .25rem; margin-left: .3rem; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .3rem; font-size: .88rem; break-inside: auto; }
th, td { border-bottom: 1px solid #d8dee4; padding: .28rem .45rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
tbody th[scope="row"] { min-width: 9rem; }
thead th { background: #eef3f8; border-bottom: 2px solid #9fb3c8; }
tr { break-inside: avoid; }
tr.total td { font-weight: bold; border-top: 2px solid #9fb3c8; }
table.method td, table.method th { text-align: left; font-size: .8rem; }
table.method th:first-child { width: 16%; } table.method td:nth-child(2) { width: 38%; }
table.method td:nth-child(3) { width: 13%; } table.method td:nth-child(4) { width: 27%; }
table.method td:nth-child(5) { width: 6%; }
.note { font-size: .82rem; color: #555; margin: .2rem 0 .8rem; }
.legend { font-size: .85rem; background: #f6f8fa; border-left: 4px solid #0072B2; padding: .4rem .6rem; }
.caution { font-size: .88rem; background: #fff7e6; border-left: 4px solid #E69F00; padding: .5rem .7rem; }
figure { margin: .6rem 0 1.2rem; break-inside: avoid; }
.block { break-inside: avoid; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .82rem; color: #555; }
details { font-size: .85rem; margin-top: .3rem; }
.chart { min-height: 200px; }
footer { margin-top: 2rem; font-size: .78rem; color: #666; border-top: 1px solid #ccc; padding-top: .4rem; }
ul.notes { font-size: .85rem; padding-left: 1.2rem; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: auto; }
  section.break { break-before: page; }
  details { display: none; }
}
@media screen and (max-width: 700px) { .cards { grid-template-columns: 1fr 1fr; } }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _table_html(table: Table, total_label: str | None = None) -> str:
    out = ["<table>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(c)}</th>' for c in table.columns]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cls = ' class="total"' if total_label is not None and row and row[0] == total_label else ""
        cells = [f'<th scope="row">{_e(row[0])}</th>'] + [f"<td>{_e(v)}</td>" for v in row[1:]]
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(model: ReportModel, *, static: bool = False) -> str:
    """The report as one self-contained HTML page.

    ``static=False``: interactive charts (plotly.js inline, no network).
    ``static=True``: charts as SVG images made by kaleido and no JavaScript at
    all (what the PDF is printed from).
    """
    body = ["<body>", *_header(model), *_headline(model), *_baseline(model)]
    if static:  # one headless browser for all the charts
        with charts.static_images():
            body += _charts_and_tables(model, static)
    else:
        body += _charts_and_tables(model, static)
    footer = [f"<p>{_e(model.labels['generated'])}</p>"]
    if model.fingerprint:
        footer.append(f"<p class=\"fingerprint\">{_e(model.labels['fingerprint'])}: "
                      f"<code>{_e(model.fingerprint_text)}</code></p>")
    body += [*_methodology(model), "<footer>" + "".join(footer) + "</footer>", "</body>", "</html>"]
    return "\n".join(_head(model, static) + body) + "\n"


def _head(model: ReportModel, static: bool) -> list[str]:
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           + ("script-src 'none'" if static else "script-src 'unsafe-inline'"))
    head = [
        "<!DOCTYPE html>", f'<html lang="{_e(model.lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Duo Impact">',
        f"<title>{_e(model.title)} — {_e(model.scope[0][1])}</title>", f"<style>{CSS}</style>",
    ]
    if not static and model.charts:
        head.append(f'<script type="text/javascript">{charts.plotly_js()}</script>')
    head.append("</head>")
    return head


def _header(model: ReportModel) -> list[str]:
    out = ["<header>", f"<h1>{_e(model.title)}</h1>", f'<p class="subtitle">{_e(model.subtitle)}</p>',
           '<dl class="scope">']
    out += [f"<dt>{_e(a)}</dt><dd>{_e(b)}</dd>" for a, b in model.scope]
    out += ["</dl>", f'<p class="legend"><strong>{_e(model.labels["legend"])}.</strong> {_e(model.legend)}</p>',
            "</header>"]
    return out


def _headline(model: ReportModel) -> list[str]:
    out = ['<section id="headline">', f"<h2>{_e(model.labels['headline'])}</h2>"]
    for group in dict.fromkeys(f.group for f in model.headline):
        out += [f"<h3>{_e(group)}</h3>", '<div class="cards">']
        for f in model.headline:
            if f.group != group:
                continue
            iris = f' <span class="iris" title="IRIS+">IRIS+ {_e(f.iris_code)}</span>' if f.iris_code else ""
            out.append(f'<div class="card"><div class="label">{_e(f.label)}{iris}</div>'
                       f'<div class="value">{_e(f.value)}</div><div class="note">{_e(f.note)}</div></div>')
        out.append("</div>")
    out.append("</section>")
    return out


def _baseline(model: ReportModel) -> list[str]:
    if not model.baseline:
        return []
    L, b = model.labels, model.baseline
    out = ['<section id="baseline">', f"<h2>{_e(L['baseline'])}</h2>",
           "<table><thead><tr>"
           f'<th scope="col">{_e(L["figure"])}</th><th scope="col">{_e(L["programme"])}</th>'
           f'<th scope="col">{_e(L["baseline_header"])}</th>'
           f'<th scope="col">{_e(L["difference"])}</th></tr></thead><tbody><tr>'
           f'<th scope="row">{_e(b.indicator_label)}</th><td>{_e(b.programme)}</td>'
           f"<td>{_e(b.baseline)}</td><td>{_e(b.difference)}</td></tr></tbody></table>"]
    if b.source:
        out.append(f'<p class="note">{_e(L["source_line"])}</p>')
    out += [f'<p class="caution">{_e(b.caution)}</p>', "</section>"]
    return out


def _chart(c: Chart, labels: dict[str, str], static: bool) -> str:
    if static:
        img = (f'<img alt="{_e(c.title)}" src="data:image/svg+xml;base64,{charts.svg_base64(c.figure)}">')
    else:
        img = charts.interactive_div(c.figure, f"chart-{c.key}")
    caption = f"<figcaption>{_e(c.note)}</figcaption>" if c.note else ""
    data = (f"<details><summary>{_e(labels['chart_data'])}</summary>{_table_html(c.table)}</details>")
    return f'<figure class="chart">{img}{caption}{data}</figure>'


def _charts_and_tables(model: ReportModel, static: bool) -> list[str]:
    """The trends, the breakdowns and the funding: every chart of the report."""
    L = model.labels
    out: list[str] = []
    trend = [c for c in model.charts if c.key.endswith("_trend")]
    if trend:
        out.extend(['<section id="trends">', f"<h2>{_e(L['trends'])}</h2>"])
        out.extend(_chart(c, L, static) for c in trend)
        out.append("</section>")
    out.extend(['<section id="breakdowns">', f"<h2>{_e(L['breakdowns'])}</h2>"])
    for c in model.charts:
        if c.key == "positive_exit_by_group":
            out.append(_chart(c, L, static))
    for table in model.breakdowns:
        out.append(f'<div class="block"><h3>{_e(table.title)}</h3>'
                   f"{_table_html(table, total_label=table.rows[-1][0])}"
                   f'<p class="note">{_e(table.note)}</p></div>')
    out.append("</section>")
    if model.funding:
        out.extend(['<section id="funding">', f"<h2>{_e(L['funding'])}</h2>"])
        for c in model.charts:
            if c.key == "funding_mix":
                out.append(_chart(c, L, static))
        for table in model.funding:
            total_label = table.rows[-1][0] if table.key == "funding_by_type" and table.rows else None
            block = "block" if len(table.rows) <= 16 else ""
            out.append(f'<div class="{block}"><h3>{_e(table.title)}</h3>{_table_html(table, total_label)}'
                       f'<p class="note">{_e(table.note)}</p></div>')
        out.append("</section>")
    return out


def _methodology(model: ReportModel) -> list[str]:
    L = model.labels
    out = ['<section id="methodology" class="break">', f"<h2>{_e(L['methodology'])}</h2>",
           '<ul class="notes">', *(f"<li>{_e(n)}</li>" for n in model.method_notes), "</ul>",
           '<table class="method"><thead><tr>'
           f'<th scope="col">{_e(L["figure"])}</th><th scope="col">{_e(L["definition"])}</th>'
           f'<th scope="col">{_e(L["period"])}</th><th scope="col">{_e(L["coverage"])}</th>'
           f'<th scope="col">{_e(L["iris"])}</th></tr></thead><tbody>']
    for m in model.methodology:
        out.append(f'<tr><th scope="row">{_e(m.label)}</th><td>{_e(m.definition)}</td>'
                   f"<td>{_e(m.period)}</td><td>{_e(m.coverage)}</td><td>{_e(m.iris_code)}</td></tr>")
    out += ["</tbody></table>", "</section>"]
    return out
