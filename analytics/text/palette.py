"""The one colour-blind-safe palette of every chart, the dashboard's and the
funder report's: Okabe & Ito (2008).

Order chosen so the first colours keep contrast on white and between
neighbours; yellow, the weakest on white, comes last. Colours only (hex
strings): no plotly here, the charts are built elsewhere.
"""
from __future__ import annotations

OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "yellow": "#F0E442",
}

SEQUENCE: list[str] = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

GOOD = OKABE_ITO["bluish_green"]
BAD = OKABE_ITO["vermillion"]
NEUTRAL = "#7F7F7F"      # grey: "not recorded", "unknown", totals
