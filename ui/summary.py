"""The overview's one-paragraph summary in plain language, built from the
engine's figures (no figure is computed here)."""
from __future__ import annotations

from typing import Any

from ui import fmt
from ui.i18n import _, ngettext


def _more_or_fewer(now: Any, before: Any) -> str:
    if now is None or before is None:
        return ""
    diff = int(now) - int(before)
    if diff > 0:
        return " " + _("({n} more than in the previous period)").format(n=fmt.integer(diff))
    if diff < 0:
        return " " + _("({n} fewer than in the previous period)").format(n=fmt.integer(-diff))
    return " " + _("(as many as in the previous period)")


def paragraph(now: dict[str, Any], before: dict[str, Any], period: str, as_of: str) -> str:
    parts: list[str] = []
    realized = now.get("duos_realized") or 0
    parts.append(ngettext(
        "In {period}, {n} duo had its first meeting",
        "In {period}, {n} duos had their first meeting", int(realized),
    ).format(period=period, n=fmt.integer(realized)) + _more_or_fewer(realized, before.get("duos_realized")) + ".")
    parts.append(_("On {date}, {active} duos were active and {waiting} eligible mentees were waiting for a mentor.").format(
        date=as_of, active=fmt.integer(now.get("active_duos") or 0),
        waiting=fmt.integer(now.get("mentees_waiting") or 0)))
    if now.get("positive_exit_rate") is not None:
        parts.append(_("Of the duos that ended in the period, {positive} left for a job, a training or an "
                       "internship ({job} for a job), and {completed} completed the programme or ended with a job.").format(
            positive=fmt.percent(now.get("positive_exit_rate")), job=fmt.percent(now.get("job_exit_rate")),
            completed=fmt.percent(now.get("completion_rate"))))
    else:
        parts.append(_("No duo ended in the period, so there are no exit outcomes yet."))
    if now.get("cost_per_beneficiary_eur") is not None:
        parts.append(_("Costs came to {total}, that is {per} per mentee served.").format(
            total=fmt.money(now.get("total_costs_eur")), per=fmt.money(now.get("cost_per_beneficiary_eur"))))
    return " ".join(parts)
