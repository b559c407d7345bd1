"""The report's last check before it is returned: no personal value of the
data set in any text the model carries (so in no rendering of it).

The report is built from aggregates only; this check is the fail-closed
guard behind that rule (:func:`analytics.report.build` runs it on the kinds
of value that cannot pass for ordinary words or numbers).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analytics.report.common import ReportError

if TYPE_CHECKING:  # the model imports this module
    from analytics.report.model import ReportModel


def model_text(model: ReportModel) -> str:
    """Every text of the model (what any rendering can show), one per line."""
    parts: list[str] = [model.title, model.subtitle, model.legend, *model.method_notes, model.fingerprint_text]
    parts += [f"{a}: {b}" for a, b in model.scope]
    for f in model.headline:
        parts += [f.label, f.value, f.note, f.iris_code, f.group, f.definition, f.coverage, f.outcome_note,
                  f.previous, f.field_context]
    for s in model.standards:
        parts += [s.label, s.figure_label, s.value, s.standard, s.met, s.source]
    parts += [title for _key, title in model.sections]
    if model.branding:
        parts.append(model.branding.name)
    if model.baseline:
        b = model.baseline
        parts += [b.label, b.source, b.programme, b.baseline, b.difference]
    tables = [*model.breakdowns, *model.funding, *(c.table for c in model.charts)]
    for table in tables:
        parts += [table.title, table.note, *table.columns]
        for row in table.rows:
            parts += row
    for c in model.charts:
        parts += [c.title, c.note]
    for m in model.methodology:
        parts += [m.label, m.definition, m.coverage, m.iris_code]
    return "\n".join(p for p in parts if p)


def check_no_personal_data(text: str, personal: set[str]) -> None:
    """Fail closed if any personal value of the data set appears in ``text``
    as a whole word (so "D1" does not match "D10", nor "Ali" "Alice")."""
    # a whole-word match is a substring first: the plain substring test (fast,
    # no pattern compiled) leaves the few candidates the word rule decides
    found = sorted(v for v in personal
                   if v in text and re.search(r"(?<![\w])" + re.escape(v) + r"(?![\w])", text))
    if found:
        raise ReportError(f"the report would show personal data ({len(found)} value(s)); nothing was written")
