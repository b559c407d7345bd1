"""Indicator labels, units, definitions and directions, from
``analytics.engine.registry`` (the one registry), translated through ``_()``.

If the registry lacks a key (or is not there yet), a readable fallback is
used, so a page never fails on a missing label.
"""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import N_, _

# Units of the handbook's keys, used only when the registry does not say.
_FALLBACK_UNITS = {
    "rate": "rate", "coverage": "rate", "share": "rate", "_eur": "eur", "days": "days",
    "hours": "hours", "satisfaction": "score", "hhi": "index", "caseload": "ratio",
}


# Labels of the figures beyond the handbook, used only until analytics.engine.registry
# has their entries (the registry is the source; these keep the page readable).
_FALLBACK_LABELS = {
    "mentees_waiting_over_30d": N_("Waiting more than 30 days"),
    "median_days_waiting": N_("Median days waiting"),
    "mentors_first_duo_ended": N_("Mentors whose first duo ended"),
    "mentors_reengaged": N_("Mentors who started another duo"),
    "funnel_applied": N_("Applied"),
    "funnel_interviewed": N_("Interviewed"),
    "funnel_eligible": N_("Eligible"),
    "funnel_matched": N_("Matched"),
    "funnel_realized": N_("First meeting held"),
    "funnel_ended": N_("Duo ended"),
    "funnel_positive_exit": N_("Positive exit"),
    "person_positive_rate_12m": N_("Mentees in a positive situation within 12 months"),
    "person_outcome_coverage_12m": N_("Mentees with an outcome within 12 months"),
}
_FALLBACK_UNITS_BY_KEY = {"median_days_waiting": "days"}


@dataclass(frozen=True)
class Meta:
    key: str
    label: str
    unit: str
    definition: str
    good_direction: str | None   # "up", "down" or None


def _registry() -> dict:
    try:
        from analytics.engine.registry import INDICATORS
    except ImportError:
        return {}
    return INDICATORS


def meta(key: str) -> Meta:
    ind = _registry().get(key)
    if ind is not None:
        label = getattr(ind, "label", None) or key
        definition = getattr(ind, "definition", "") or ""
        direction = getattr(ind, "good_direction", None)
        direction = {"higher": "up", "lower": "down", "neutral": None}.get(direction, direction)
        unit = getattr(ind, "unit", None) or _guess_unit(key)
        if key.startswith("growth_rate"):
            unit = "growth"  # a relative change: shown as a signed percentage
        return Meta(key, _(label), unit,
                    _(definition) if definition else "", direction)
    label = _FALLBACK_LABELS.get(key)
    return Meta(key, _(label) if label else key.replace("_", " ").capitalize(),
                _FALLBACK_UNITS_BY_KEY.get(key) or _guess_unit(key), "", None)


def _guess_unit(key: str) -> str:
    if key.endswith("growth_rate_duos_realized") or key.startswith("growth_rate"):
        return "growth"
    for fragment, unit in _FALLBACK_UNITS.items():
        if fragment in key:
            return unit
    return "count"


def help_text(key: str) -> str:
    m = meta(key)
    return m.definition or _("Definition not yet in the registry.")
