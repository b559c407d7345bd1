"""The report as one CSV (:func:`render_csv`): every figure and table, one
value a line, for funders who rework the numbers in a spreadsheet.

Only lays out a :class:`~analytics.report.model.ReportModel`: the plain
number of a cell is written only where the report shows it; every cell is
made safe for spreadsheets (:func:`csv_safe`), as funder names come from the
data.
"""
from __future__ import annotations

import csv
import io
import math
import re

from analytics.report.model import ReportModel

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ TAB or CR
    gets a leading apostrophe (plain numbers stay numbers)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _plain(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return repr(round(float(v), 6)) if not float(v).is_integer() else str(int(v))


def render_csv(model: ReportModel) -> bytes:
    """Every figure and table of the report in one CSV (UTF-8 with BOM).

    Columns: ``section, table, row, column, value, shown``: ``value`` is the
    plain number where it is shown (empty where hidden or not available),
    ``shown`` the text as in the report (``<5``, ``*``, formatted numbers).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    L = model.labels
    writer.writerow(["section", "table", "row", "column", "value", "shown"])

    def row(*cells):
        writer.writerow([csv_safe(c) for c in cells])

    for label, value in model.scope:
        row("scope", "", label, "", "", value)
    for f in model.headline:
        row("headline", "", f.label, L["figure"], _plain(f.cell.value) if not f.cell.hidden else "", f.value)
        row("headline", "", f.label, "note", "", f.note)
        if f.iris_code:
            row("headline", "", f.label, L["iris"], "", f.iris_code)
        row("headline", "", f.label, "section", "", f.group)
        row("headline", "", f.label, L["definition"], "", f.definition)
        row("headline", "", f.label, L["coverage"], "", f.coverage)
        for column, text in (("outcome", f.outcome_note), (L["previous"], f.previous), (L["field"], f.field_context)):
            if text:
                row("headline", "", f.label, column, "", text)
    for s in model.standards:
        row("standards", L["standards"], s.label, L["figure"], _plain(s.cell.value), s.value)
        row("standards", L["standards"], s.label, L["field_standard"], "", s.standard)
        row("standards", L["standards"], s.label, L["met"], "", s.met)
        row("standards", L["standards"], s.label, L["source"], "", s.source)
    if model.baseline:
        b = model.baseline
        # the numbers themselves in ``value`` (a rate in [0, 1], the difference in points), so a
        # spreadsheet reads numbers, not the text "+9.5 percentage points"
        row("baseline", "", b.indicator_label, L["programme"], _plain(b.programme_value), b.programme)
        row("baseline", "", b.indicator_label, L["baseline_header"], _plain(b.baseline_value), b.baseline)
        row("baseline", "", b.indicator_label, L["difference"], _plain(b.difference_points), b.difference)
        row("baseline", "", b.indicator_label, "note", "", b.caution)
    sections = ([("chart", c.table) for c in model.charts if c.key != "funding_mix"]
                + [("breakdown", t) for t in model.breakdowns] + [("funding", t) for t in model.funding])
    for section, table in sections:
        for cells, values in zip(table.rows, table.values or [[None] * len(table.columns)] * len(table.rows)):
            for col, text, value in list(zip(table.columns, cells, values))[1:]:
                row(section, table.title, cells[0], col, _plain(value), text)
    for m in model.methodology:
        row("methodology", "", m.label, L["definition"], "", m.definition)
        row("methodology", "", m.label, L["period"], "", m.period)
        row("methodology", "", m.label, L["coverage"], "", m.coverage)
        if m.iris_code:
            row("methodology", "", m.label, L["iris"], "", m.iris_code)
    for n in model.method_notes:
        row("methodology", "", "", "note", "", n)
    row("methodology", "", "", L["legend"], "", model.legend)
    if model.fingerprint:
        row("fingerprint", "", L["fingerprint"], "", "", model.fingerprint_text)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
