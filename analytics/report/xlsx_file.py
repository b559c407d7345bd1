"""The report as an Excel workbook (:func:`render_xlsx`): a sheet per
section (the three questions of the results, the standards, trends,
breakdowns, funding) and a methodology sheet, each carrying the data
fingerprint.

Only lays out a :class:`~analytics.report.model.ReportModel`: every text is
written as a string cell (never a formula, whatever it starts with: funder
names come from the data), the plain number of a figure only where the
report shows it. The same model gives the same bytes: the workbook's
timestamps are fixed (``SOURCE_DATE_EPOCH`` when set, else 2000-01-01) and
the ZIP entries are written in a fixed order with a fixed date.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

from analytics.report.model import ReportModel, Table

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FIXED = dt.datetime(2000, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _fixed_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    return _FIXED


def _sheet_title(text: str, used: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("", text).strip()[:31] or "Sheet"
    base, n = title, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(model: ReportModel) -> bytes:
    """The report as the bytes of an .xlsx workbook (see the module)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    L = model.labels
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)

    def sheet(title: str):
        ws = wb.create_sheet(_sheet_title(title, used))
        return ws

    def put(ws, row: list, header: bool = False) -> None:
        ws.append([None] * len(row))
        r = ws.max_row
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"        # text, never a formula
            if header:
                cell.font = bold

    def fingerprint(ws) -> None:
        if model.fingerprint:
            put(ws, [])
            put(ws, [L["fingerprint"], model.fingerprint_text])

    def table(ws, t: Table) -> None:
        put(ws, [t.title], header=True)
        put(ws, list(t.columns), header=True)
        values = t.values or [[None] * len(t.columns)] * len(t.rows)
        for cells, vals in zip(t.rows, values):
            line = [cells[0]]
            for text, value in zip(cells[1:], vals[1:]):
                line.append(value if value is not None and text not in ("*",) and not text.startswith("<")
                            else text)
            put(ws, line)
        if t.note:
            put(ws, [t.note])
        put(ws, [])

    # the title and scope
    ws = sheet(model.title)
    put(ws, [model.title + (f" · {model.branding.name}" if model.branding and model.branding.name else "")],
        header=True)
    put(ws, [model.subtitle])
    for label, value in model.scope:
        put(ws, [label, value])
    put(ws, [L["legend"], model.legend])
    fingerprint(ws)

    # one sheet per question of the results
    columns = [L["figure"], L["programme"], "value", "note", L["definition"], L["coverage"], "outcome",
               L["previous"], L["field"], L["iris"]]
    for key, title in model.sections:
        ws = sheet(title)
        put(ws, [title], header=True)
        put(ws, columns, header=True)
        for f in model.headline:
            if f.section != key:
                continue
            value = None if f.cell.hidden else f.cell.value
            put(ws, [f.label, f.value, value, f.note, f.definition, f.coverage, f.outcome_note, f.previous,
                     f.field_context, f.iris_code])
        if key == "how_well" and model.standards:
            put(ws, [])
            put(ws, [L["standards"]], header=True)
            put(ws, [L["standard"], L["programme"], "value", L["field_standard"], L["met"], L["source"]], header=True)
            for s in model.standards:
                put(ws, [s.label, s.value, None if s.cell.hidden else s.cell.value, s.standard, s.met, s.source])
        put(ws, [])
        put(ws, [L["context_caution"]])
        fingerprint(ws)

    if model.baseline:
        b = model.baseline
        ws = sheet(L["baseline"])
        put(ws, [L["figure"], L["programme"], L["baseline_header"], L["difference"]], header=True)
        put(ws, [b.indicator_label, b.programme, b.baseline, b.difference])
        put(ws, [b.caution])
        fingerprint(ws)

    for title, tables in ((L["trends"], [c.table for c in model.charts if c.key.endswith("_trend")]),
                          (L["breakdowns"], model.breakdowns), (L["funding"], model.funding)):
        if not tables:
            continue
        ws = sheet(title)
        for t in tables:
            table(ws, t)
        fingerprint(ws)

    ws = sheet(L["methodology"])
    for n in model.method_notes:
        put(ws, [n])
    put(ws, [])
    put(ws, [L["figure"], L["definition"], L["period"], L["as_of"], L["coverage"], L["iris"]], header=True)
    for m in model.methodology:
        put(ws, [m.label, m.definition, m.period, m.as_of, m.coverage, m.iris_code])
    put(ws, [])
    put(ws, [L["legend"], model.legend])
    put(ws, [L["generated"]])
    fingerprint(ws)

    when = _fixed_time()
    wb.properties.creator = "Duo Impact"
    wb.properties.title = model.title
    wb.properties.description = model.fingerprint_text or None
    wb.properties.created = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue(), when)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The workbook's ZIP again, with the save time (``dcterms:modified``) and
    every entry's date fixed, so that the same model gives the same bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              lambda m: m.group(1) + stamp.encode() + m.group(2), body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()
