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

# The colour of each figure drawn as a series, by registry key, the same in
# every chart of the dashboard and the report: a positive exit is green
# wherever it is drawn, a job blue, coverage (how much is known) sky blue,
# costs orange and funding blue; volume blue, its companions orange and green.
INDICATOR_COLOURS: dict[str, str] = {
    "positive_exit_rate": OKABE_ITO["bluish_green"],
    "job_exit_rate": OKABE_ITO["blue"],
    "exit_outcome_coverage": OKABE_ITO["sky_blue"],
    "job_rate_12m": OKABE_ITO["blue"],
    "followup_12m_coverage": OKABE_ITO["sky_blue"],
    "total_costs_eur": OKABE_ITO["orange"],
    "total_funding_eur": OKABE_ITO["blue"],
    "cost_per_beneficiary_eur": OKABE_ITO["orange"],
    "cost_per_duo_eur": OKABE_ITO["reddish_purple"],
    "cost_per_positive_exit_eur": OKABE_ITO["bluish_green"],
    "funding_hhi": OKABE_ITO["vermillion"],
    "largest_funder_share": OKABE_ITO["blue"],
    "mentee_applications": OKABE_ITO["orange"],
    "duos_matched": OKABE_ITO["sky_blue"],
    "duos_realized": OKABE_ITO["blue"],
    "duos_realized_cumulative": OKABE_ITO["blue"],
    "active_duos": OKABE_ITO["blue"],
    "active_mentors": OKABE_ITO["orange"],
}
