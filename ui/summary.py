"""The overview's one-paragraph summary in plain language, built from the
engine's figures (no figure is computed here)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from ui import fmt
from ui.i18n import _, ngettext


def _rows(compared: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in compared.to_dict(orient="records")}


def _missing(x: Any) -> bool:
    return fmt._is_missing(x)


def paragraph(compared: pd.DataFrame, start, end, as_of: str, compare: bool = True) -> str:
    """``compare``: say how the count compares with the previous period (not
    while the period is still running: a part would be set against a whole)."""
    rows = _rows(compared)
    now = {k: (None if _missing(r["value"]) else r["value"]) for k, r in rows.items()}
    before = {k: (None if _missing(r["previous_value"]) else r["previous_value"]) for k, r in rows.items()}
    parts: list[str] = []
    realized = int(now.get("duos_realized") or 0)
    sentence = ngettext("Between {start} and {end}, {n} duo had its first meeting",
                        "Between {start} and {end}, {n} duos had their first meeting", realized).format(
        start=fmt.day(start), end=fmt.day(end), n=fmt.integer(realized))
    prev = before.get("duos_realized")
    if prev is not None and compare:
        diff = realized - int(prev)
        if diff > 0:
            sentence += " " + _("({n} more than in the previous period)").format(n=fmt.integer(diff))
        elif diff < 0:
            sentence += " " + _("({n} fewer than in the previous period)").format(n=fmt.integer(-diff))
        else:
            sentence += " " + _("(as many as in the previous period)")
    parts.append(sentence + ".")
    parts.append(_("On {date}, {active} duos were active and {waiting} eligible mentees were waiting "
                   "for a mentor.").format(date=as_of, active=fmt.integer(now.get("active_duos") or 0),
                                           waiting=fmt.integer(now.get("mentees_waiting") or 0)))
    if now.get("positive_exit_rate") is not None:
        parts.append(_("Of the duos that ended in the period, {positive} left for a job, a training or an "
                       "internship ({job} for a job), and {completed} completed the programme or ended "
                       "with a job.").format(
            positive=fmt.percent(now.get("positive_exit_rate")), job=fmt.percent(now.get("job_exit_rate")),
            completed=fmt.percent(now.get("completion_rate"))))
    else:
        parts.append(_("No duo ended in the period, so there are no exit outcomes yet."))
    if now.get("cost_per_beneficiary_eur") is not None:
        parts.append(_("Costs came to {total}, that is {per} per mentee served.").format(
            total=fmt.money(now.get("total_costs_eur")), per=fmt.money(now.get("cost_per_beneficiary_eur"))))
    return " ".join(parts)
