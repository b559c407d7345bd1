"""The overview's one-paragraph summary in plain language, built from the
engine's figures (no figure is computed here). The figures come in as the
tiles show them (``shown``: formatted, and suppressed for a funder), so the
paragraph never says more than the tiles."""
from __future__ import annotations

from typing import Any

import pandas as pd

from ui import fmt
from ui.i18n import _, ngettext


def _raw(compared: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in compared.to_dict(orient="records")}


def _number(x: Any) -> int | None:
    return None if fmt.is_missing(x) else int(x)


def paragraph(compared: pd.DataFrame, shown: dict[str, str], start, end, as_of: str,
              compare: bool = True) -> str:
    """``compare``: say how the count compares with the same days one year
    earlier (like for like, so also while the period is running; not for a funder)."""
    rows = _raw(compared)
    realized = _number(rows.get("duos_realized", {}).get("value"))
    n = realized if realized is not None and shown.get("duos_realized", "").isdigit() else 5
    parts: list[str] = []
    sentence = ngettext("Between {start} and {end}, {n} duo had its first meeting",
                        "Between {start} and {end}, {n} duos had their first meeting", n).format(
        start=fmt.day(start), end=fmt.day(end), n=shown.get("duos_realized", fmt.MISSING))
    previous = _number(rows.get("duos_realized", {}).get("previous_value"))
    if compare and realized is not None and previous is not None:
        diff = realized - previous
        if diff > 0:
            sentence += " " + _("({n} more than in the same days a year earlier)").format(n=fmt.integer(diff))
        elif diff < 0:
            sentence += " " + _("({n} fewer than in the same days a year earlier)").format(n=fmt.integer(-diff))
        else:
            sentence += " " + _("(as many as in the same days a year earlier)")
    parts.append(sentence + ".")
    parts.append(_("On {date}, {active} duos were active and {waiting} eligible mentees were waiting "
                   "for a mentor.").format(date=as_of, active=shown.get("active_duos", fmt.MISSING),
                                           waiting=shown.get("mentees_waiting", fmt.MISSING)))
    if rows.get("positive_exit_rate", {}).get("value") is not None and not fmt.is_missing(
            rows["positive_exit_rate"]["value"]):
        parts.append(_("Of the duos that ended in the period, {positive} left for a job, a training or an "
                       "internship ({job} for a job), and {completed} completed the programme or ended "
                       "with a job.").format(positive=shown.get("positive_exit_rate", fmt.MISSING),
                                             job=shown.get("job_exit_rate", fmt.MISSING),
                                             completed=shown.get("completion_rate", fmt.MISSING)))
    else:
        parts.append(_("No duo ended in the period, so there are no exit outcomes yet."))
    if shown.get("cost_per_beneficiary_eur") not in (None, fmt.MISSING):
        parts.append(_("Costs came to {total}, that is {per} per mentee served.").format(
            total=shown.get("total_costs_eur", fmt.MISSING), per=shown["cost_per_beneficiary_eur"]))
    return " ".join(parts)
