"""Indicator labels, units, definitions and directions, from
``analytics.registry`` (the one registry), translated through ``_()``.

If the registry lacks a key (or is not there yet), a readable fallback is
used, so a page never fails on a missing label.
"""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import _

# Units of the handbook's keys, used only when the registry does not say.
_FALLBACK_UNITS = {
    "rate": "rate", "coverage": "rate", "share": "rate", "_eur": "eur", "days": "days",
    "hours": "hours", "satisfaction": "score", "hhi": "index", "caseload": "ratio",
}


@dataclass(frozen=True)
class Meta:
    key: str
    label: str
    unit: str
    definition: str
    good_direction: str | None   # "up", "down" or None


def _registry() -> dict:
    try:
        from analytics.registry import INDICATORS
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
    return Meta(key, key.replace("_", " ").capitalize(), _guess_unit(key), "", None)


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
