"""The indicator registry: one entry per figure the project shows.

Like Our World in Data's metadata, each figure carries its key (a stable
public name, used in JSON, targets and URLs), a label, a unit, an exact
definition, which direction is good, the tables it reads, and where known for
certain its IRIS+ metric code. Pages, reports, the generated docs
(docs/indicators.md) and the tests all read this one list; a test fails when
an entry lacks its documentation.

``HANDBOOK_KEYS`` are the keys of the indicator handbook, in its order: the
command line prints exactly these.
"""
from __future__ import annotations

from dataclasses import dataclass

UNITS = ("count", "rate", "ratio", "days", "hours", "score", "eur", "index")
DIRECTIONS = ("up", "down", "neutral")

# The decimals of each unit: a target (the record format's `target`, stored
# to four decimals) is read at its indicator's unit scale, rounded half-even.
UNIT_SCALES = {"count": 0, "rate": 4, "ratio": 4, "days": 1, "hours": 2, "score": 2, "eur": 2, "index": 4}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    definition: str
    good_direction: str
    tables: tuple[str, ...]
    section: str
    in_handbook: bool = True
    iris_code: str = ""  # left empty unless the IRIS+ match is certain


def _i(key, label, unit, direction, tables, section, definition, **extra) -> Indicator:
    return Indicator(key=key, label=label, unit=unit, good_direction=direction,
                     tables=tuple(tables.split()), section=section,
                     definition=" ".join(definition.split()), **extra)


VOLUME, QUALITY, OUTCOMES, COSTS = "Volume and growth", "Quality of service", "Outcomes", "Cost and funding"

_ENTRIES = [
    _i("mentee_applications", "Mentee applications", "count", "up", "mentees", VOLUME,
       "Mentees whose application date falls in the period."),
    _i("mentor_applications", "Mentor applications", "count", "up", "mentors", VOLUME,
       "Mentors whose application date falls in the period."),
    _i("duos_matched", "Duos matched", "count", "up", "duos", VOLUME,
       "Duos whose match date falls in the period."),
    _i("duos_realized", "Duos realized", "count", "up", "duos", VOLUME,
       "Duos whose first meeting took place in the period (and by the as-of date)."),
    _i("duos_realized_cumulative", "Duos realized since the start", "count", "up", "duos", VOLUME,
       "Duos whose first meeting took place on or before d = min(period end, as-of date), "
       "since the programme began."),
    _i("active_duos", "Active duos", "count", "up", "duos", VOLUME,
       "Duos active on d: first meeting on or before d, and not ended, or ended after d."),
    _i("mentees_waiting", "Mentees waiting", "count", "down", "mentees duos", VOLUME,
       "Mentees found eligible, who applied on or before d, have no duo matched on or before d "
       "(in any branch) and had not withdrawn on d."),
    _i("active_mentors", "Active mentors", "count", "up", "duos", VOLUME,
       "Distinct mentors of the duos active on d."),
    _i("growth_rate_duos_realized", "Growth of duos realized (year on year)", "ratio", "up", "duos", VOLUME,
       "Duos realized in the period divided by the duos realized in the same window one year "
       "earlier ([period start − 1 year, d − 1 year]; 29 February shifts to 28 February), minus 1. "
       "May be negative or above 1."),
    _i("median_days_to_match", "Median days to match", "days", "down", "mentees duos", QUALITY,
       "Over each mentee's first duo (earliest match among all its duos, ties to the smallest duo id) "
       "matched in the period: median of the days from application to match."),
    _i("matched_within_30d_rate", "Matched within 30 days", "rate", "up", "mentees duos", QUALITY,
       "Same first duos: share matched at most 30 days after the mentee applied."),
    _i("staff_at_first_meeting_rate", "Staff at the first meeting", "rate", "up", "duos", QUALITY,
       "Duos realized in the period: share whose first meeting a staff member attended "
       "(an empty answer counts as no)."),
    _i("mentor_trained_rate", "Mentor trained in time", "rate", "up", "duos mentors", QUALITY,
       "Duos realized in the period: share whose mentor finished the training at most 30 days "
       "after the first meeting."),
    _i("check_in_coverage", "Check-in coverage", "rate", "up", "duos check_ins", QUALITY,
       "Duos active on d: share with a staff check-in in the 45 days up to d (d − 45 excluded)."),
    _i("caseload_per_coordinator_fte", "Duos per coordinator FTE", "ratio", "down", "duos staff", QUALITY,
       "Active duos divided by the summed FTE of coordinators in post on d "
       "(started on or before d, not left or left after d)."),
    _i("median_weekly_hours", "Median weekly hours", "hours", "up", "duos meetings", QUALITY,
       "Duos realized that ended in the period after running at least 7 days: median of the hours "
       "met between the first meeting and the end (both included) per week of the duo."),
    _i("completion_rate", "Completion rate", "rate", "up", "duos", QUALITY,
       "Duos realized that ended in the period: share ended as completed or because the mentee "
       "found a job."),
    _i("early_closure_rate", "Early closure rate", "rate", "down", "duos", QUALITY,
       "Same duos: share that ended less than 90 days after the first meeting for another reason."),
    _i("mean_mentee_satisfaction", "Mentee satisfaction", "score", "up", "duos check_ins", QUALITY,
       "Mean mentee satisfaction (1–5) over the check-ins made in the period, of duos in the "
       "filter; empty scores are left out."),
    _i("mean_mentor_satisfaction", "Mentor satisfaction", "score", "up", "duos check_ins", QUALITY,
       "Mean mentor satisfaction (1–5) over the check-ins made in the period, of duos in the "
       "filter; empty scores are left out."),
    _i("eligibility_exception_rate", "Eligibility exceptions", "rate", "down", "mentees", QUALITY,
       "Mentees who applied in the period: share breaking a programme rule (aged under 18 or over "
       "30 in whole years at application, EU-27 origin, or not a registered job seeker)."),
    _i("exit_outcome_coverage", "Exit outcome recorded", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized that ended in the period: share with an exit outcome."),
    _i("positive_exit_rate", "Positive exit rate", "rate", "up", "duos outcomes", OUTCOMES,
       "Same duos: share whose exit outcome (the latest, ties to the largest outcome id) is a job, "
       "self-employment, a training or an internship; no exit outcome counts as not positive."),
    _i("job_exit_rate", "Job exit rate", "rate", "up", "duos outcomes", OUTCOMES,
       "Same duos: share whose exit outcome is employed or self-employed.",
       iris_code="PI3527"),
    _i("followup_12m_coverage", "12-month follow-up recorded", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized whose 12-month mark (end + 365 days) falls in the period and on or before the "
       "as-of date: share with a 12-month follow-up."),
    _i("job_rate_12m", "In a job at 12 months", "rate", "up", "duos outcomes", OUTCOMES,
       "Those of them with a 12-month follow-up: share whose latest 12-month follow-up status is "
       "employed or self-employed."),
    _i("total_costs_eur", "Total costs", "eur", "neutral", "costs", COSTS,
       "Sum of the cost rows whose month begins in the period."),
    _i("beneficiaries_served", "Beneficiaries served", "count", "up", "duos", COSTS,
       "Distinct mentees of duos realized by the period end and not ended before the period start.",
       iris_code="PI4060"),
    _i("cost_per_beneficiary_eur", "Cost per beneficiary", "eur", "down", "costs duos", COSTS,
       "Total costs divided by beneficiaries served."),
    _i("cost_per_duo_eur", "Cost per duo", "eur", "down", "costs duos", COSTS,
       "Total costs divided by duos realized."),
    _i("cost_per_positive_exit_eur", "Cost per positive exit", "eur", "down", "costs duos outcomes", COSTS,
       "Total costs divided by the duos realized that ended in the period with a positive exit outcome."),
    _i("total_funding_eur", "Total funding", "eur", "up", "funding", COSTS,
       "Sum of the funding received in the period."),
    _i("funding_hhi", "Funding concentration (HHI)", "index", "down", "funding", COSTS,
       "Herfindahl index over funders of the funding received in the period: the sum of each "
       "funder's squared share (1 = a single funder)."),
    _i("largest_funder_share", "Largest funder's share", "rate", "down", "funding", COSTS,
       "The largest funder's share of the funding received in the period."),
    # Handbook v2: follow-up marks and non-response bands, standards of practice.
    _i("mentees_waiting_over_30d", "Mentees waiting over 30 days", "count", "down", "mentees duos", VOLUME,
       "Of the mentees waiting on d (as mentees_waiting: eligible, applied on or before d, no duo matched "
       "on or before d in any branch, not withdrawn on d; by the mentee's branch), those with "
       "d − application date > 30 (intake time included)."),
    _i("free_trained_mentors", "Trained mentors free", "count", "neutral", "mentors duos", VOLUME,
       "Mentors, by their own branch, who applied on or before d, completed the training on or before d, "
       "had not left on d (left empty or after d), and have no duo in any branch open on d (matched on "
       "or before d and not ended, or ended after d; matched but not started is open)."),
    _i("trained_before_match_rate", "Mentor trained before the match", "rate", "up", "duos mentors", QUALITY,
       "Duos matched in the period: share whose mentor had completed the training on or before the "
       "match date."),
    _i("monthly_check_in_rate", "Monthly staff check-in", "rate", "up", "duos check_ins", QUALITY,
       "Duo-months: each whole calendar month inside [period start, d] on every day of which the duo is "
       "active (so the month of the first meeting counts only when that is the 1st, and the month of the "
       "end never counts): share with a staff check-in of that duo in that month. It measures staff "
       "check-ins, not mentor meetings."),
    _i("closed_before_term_rate", "Closed before the six-month term", "rate", "down", "duos", QUALITY,
       "Duos realized that ended in the period: share that ended less than 182 days after the first "
       "meeting for a reason other than completed or job found."),
    _i("mentor_return_rate_12m", "Mentors back within 12 months", "rate", "up", "duos", QUALITY,
       "Duos realized whose end + 365 days falls in the period and on or before the as-of date: share "
       "whose mentor has another duo (any branch, started or not) matched after this duo's match and on "
       "or before its end + 365 days; counted per ended duo, by its branch."),
    _i("staff_at_first_meeting_recorded_rate", "Staff at the first meeting recorded", "rate", "up", "duos",
       QUALITY,
       "Duos realized in the period: share whose answer to “staff at the first meeting” is not empty."),
    _i("coordinator_recorded_rate", "Coordinator recorded", "rate", "up", "duos staff", QUALITY,
       "Duos open on d: share with a coordinator (as read on the as-of date: a coordinator not yet "
       "started counts as none); not available without the staff table."),
    _i("followup_3m_coverage", "3-month follow-up recorded", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized whose 3-month mark (end + 91 days) falls in the period and on or before the as-of "
       "date: share with a 3-month follow-up."),
    _i("followup_6m_coverage", "6-month follow-up recorded", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized whose 6-month mark (end + 182 days) falls in the period and on or before the as-of "
       "date: share with a 6-month follow-up."),
    _i("followup_12m_overdue", "12-month follow-ups overdue", "count", "down", "duos outcomes", OUTCOMES,
       "Duos realized whose 12-month mark (end + 365 days) falls in [period start, min(period end, "
       "as-of date − 30)] with no 12-month follow-up."),
    _i("positive_rate_12m", "Positive at 12 months", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized whose 12-month mark falls in the period and on or before the as-of date, that have "
       "a 12-month follow-up: share whose latest 12-month follow-up status is positive under the outcome "
       "definition in force."),
    _i("job_rate_12m_low", "In a job at 12 months (lowest)", "rate", "up", "duos outcomes", OUTCOMES,
       "Duos realized whose 12-month mark falls in the period and on or before the as-of date: share with a "
       "12-month follow-up whose latest status is employed or self-employed (non-respondents counted as "
       "not in a job)."),
    _i("job_rate_12m_high", "In a job at 12 months (highest)", "rate", "up", "duos outcomes", OUTCOMES,
       "The same duos: share with no 12-month follow-up or whose latest one is employed or self-employed "
       "(non-respondents counted as in a job)."),
    _i("positive_exit_rate_high", "Positive exit rate (highest)", "rate", "up", "duos outcomes", OUTCOMES,
       "As positive_exit_rate, with a duo that has no exit outcome counted as positive."),
    _i("worked_90d_rate_12m", "Recorded in work at least 90 days within 12 months", "rate", "up",
       "duos jobs", OUTCOMES,
       "Duos realized whose 12-month mark falls in the period and on or before the as-of date: share whose "
       "mentee is recorded in work (the jobs table) at least 90 days — or the --min-days N in force — in "
       "the window (end, end + 365]: the distinct calendar days covered by any of its spells, "
       "overlapping spells counted once. Unrecorded work counts as none; not available without the jobs "
       "table."),
    # Figures the dashboard shows beyond the handbook (analytics/insights.py).
    _i("change_vs_previous_period", "Change against the previous period", "ratio", "neutral",
       "mentees mentors staff duos meetings check_ins outcomes costs funding", VOLUME,
       "A figure for the query compared with the same figure for the previous period, computed with the "
       "same as-of date (what is known now about that earlier period) and the same branch filter. The "
       "earlier period is the same days one year earlier: [period start − 1 year, d − 1 year], for a "
       "period still running on the as-of date and for a finished one alike (29 February shifts to 28 "
       "February). The change: for a count or "
       "an amount in euros, value / previous value − 1 (null when the previous value is 0; for a "
       "cumulative count, the growth of the stock in a year); for any "
       "other unit, value − previous value (a rate's change in points); null when either is null.",
       in_handbook=False),
    _i("median_days_waiting", "Median wait of the mentees waiting", "days", "down", "mentees duos", VOLUME,
       "Median of d − application date over the mentees waiting on d (as mentees_waiting); null when "
       "nobody waits.", in_handbook=False),
    _i("funnel_applied", "Funnel: applied", "count", "up", "mentees", VOLUME,
       "Mentees (by their own branch) who applied in the period: the funnel's cohort, followed up to "
       "the as-of date.", in_handbook=False),
    _i("funnel_interviewed", "Funnel: interviewed", "count", "up", "mentees", VOLUME,
       "Of the cohort (funnel_applied), those interviewed on or before the as-of date.",
       in_handbook=False),
    _i("funnel_eligible", "Funnel: found eligible", "count", "up", "mentees", VOLUME,
       "Of those interviewed (funnel_interviewed), those whose decision is eligible.", in_handbook=False),
    _i("funnel_matched", "Funnel: matched", "count", "up", "mentees duos", VOLUME,
       "Of those found eligible (funnel_eligible), those with a duo in any branch matched on or before "
       "the as-of date.", in_handbook=False),
    _i("funnel_realized", "Funnel: first meeting held", "count", "up", "mentees duos", VOLUME,
       "Of those matched (funnel_matched), those with a realized duo (first meeting on or before the "
       "as-of date).", in_handbook=False),
    _i("funnel_ended", "Funnel: mentoring ended", "count", "up", "mentees duos", VOLUME,
       "Of those with a realized duo (funnel_realized), those with a realized duo that has ended.",
       in_handbook=False),
    _i("funnel_positive_exit", "Funnel: positive exit", "count", "up", "mentees duos outcomes", VOLUME,
       "Of those with an ended duo (funnel_ended), those with a realized, ended duo whose exit outcome "
       "(the latest, ties to the largest outcome id) is a job, self-employment, a training or an "
       "internship.", in_handbook=False),
    _i("duo_survival", "Duos still running (Kaplan–Meier)", "rate", "up", "duos", QUALITY,
       "Kaplan–Meier estimate of the share of duos not yet ended early, by whole weeks since the first "
       "meeting (week = floor(days / 7)). The event is an end whose reason is not completed or "
       "job_found; a duo that ended completed or with a job, or is still open on the as-of date, is "
       "censored at its week (an open duo's days are as-of date − first meeting). By branch: duos "
       "realized in the period; by cohort: every duo realized on or before d, grouped by the year of "
       "the first meeting. At week w: the product over weeks up to w of (1 − ended early in that week / "
       "duos whose week is w or later).", in_handbook=False),
    _i("person_positive_rate_12m", "Mentees in a positive situation within 12 months", "rate", "up",
       "duos outcomes", OUTCOMES,
       "Mentees (not duos) whose last duo — among their realized duos the one with the latest end, ties "
       "to the largest duo id; none while a realized duo is open — ended in the period with its 12-month "
       "mark (end + 365 days) on or before the as-of date, counted by that duo's branch: share with an "
       "outcome in a positive status (employed, self-employed, training, internship) measured within "
       "12 months of that end. An outcome row of any of their duos, any stage, is measured on its duo's "
       "end plus 0 (exit), 91 (3 months), 182 (6 months) or 365 days (12 months), and counts when that "
       "day is in [last end, last end + 365]. No outcome counts as not positive.", in_handbook=False),
    _i("person_outcome_coverage_12m", "Mentees with an outcome within 12 months", "rate", "up",
       "duos outcomes", OUTCOMES,
       "The mentees of person_positive_rate_12m: share with at least one outcome row measured within 12 "
       "months of their last duo's end (as defined there), whatever its status.", in_handbook=False),
    _i("allocated_central_eur", "Central costs allocated", "eur", "neutral", "costs duos", COSTS,
       "A branch's share of the central costs of a month, quarter or year: the central cost rows whose "
       "month begins in it, times the branch's duos realized in it, divided by the duos realized in it "
       "in every branch. When no duo was realized in it, nothing is allocated and the central costs "
       "stay on their own. Shown only with a filter that admits central.", in_handbook=False),
    _i("funding_share_by_type", "Share of funding by funder type", "rate", "neutral", "funding", COSTS,
       "Per funder type: the funding received in the period from funders of that type divided by the "
       "total funding received in the period (rows with no branch count as central in the filter).",
       in_handbook=False),
]

INDICATORS: dict[str, Indicator] = {entry.key: entry for entry in _ENTRIES}
HANDBOOK_KEYS: tuple[str, ...] = tuple(e.key for e in _ENTRIES if e.in_handbook)

# Old keys that name a v2 key of the same meaning: still accepted where a key
# is read (targets), and documented in the handbook.
ALIASES: dict[str, str] = {
    "trained_mentors_free": "free_trained_mentors",
    "mentor_reengagement_rate": "mentor_return_rate_12m",
}


# The keys an outcome definition other than the default changes (handbook v2).
OUTCOME_KEYS = ("positive_exit_rate", "positive_exit_rate_high", "cost_per_positive_exit_eur",
                "positive_rate_12m")


# The non-response band beside each headline outcome rate (handbook v2): the
# rate -> (its lowest end, its highest end, its coverage). The lowest end counts
# every non-respondent as not positive, the highest as positive.
BANDS: dict[str, tuple[str, str, str]] = {
    "positive_exit_rate": ("positive_exit_rate", "positive_exit_rate_high", "exit_outcome_coverage"),
    "job_rate_12m": ("job_rate_12m_low", "job_rate_12m_high", "followup_12m_coverage"),
}

# How funder output suppresses each v2 key (the handbook's funder-output rules):
# "count": a count, hidden when 1 to 4; "rate": hidden unless its numerator and
# denominator pass the rate rule (without them, fail closed: hidden); "band": an
# end of a non-response band, shown only as a pair with its coverage, and hidden
# when 1 to 4 duos lack the outcome row (the band's width would give that count back).
FUNDER_SUPPRESSION: dict[str, str] = {
    "free_trained_mentors": "count", "mentees_waiting_over_30d": "count", "followup_12m_overdue": "count",
    "trained_before_match_rate": "rate", "monthly_check_in_rate": "rate", "closed_before_term_rate": "rate",
    "mentor_return_rate_12m": "rate", "staff_at_first_meeting_recorded_rate": "rate",
    "coordinator_recorded_rate": "rate", "followup_3m_coverage": "rate", "followup_6m_coverage": "rate",
    "positive_rate_12m": "rate", "worked_90d_rate_12m": "rate",
    "positive_exit_rate_high": "band", "job_rate_12m_low": "band", "job_rate_12m_high": "band",
}


def canonical_key(key: str) -> str:
    """The registry key a key or one of its aliases names."""
    return ALIASES.get(key, key)



AT_RISK_RULES: dict[str, str] = {
    "not_started": "no first meeting yet, and matched more than {not_started_days} days ago",
    "no_recent_meeting": "started, and the last meeting (or the first) was more than "
                         "{no_meeting_days} days ago",
    "low_intensity": "running at least {low_intensity_window_days} days, and less than "
                     "{low_intensity_min_hours:g} hours met in the last {low_intensity_window_days} days",
    "no_recent_check_in": "matched more than {check_in_window_days} days ago, and no staff check-in "
                          "in the last {check_in_window_days} days",
    "low_satisfaction": "the latest check-in gives a satisfaction of {low_satisfaction_max} or less "
                        "(mentee or mentor), or flags a concern",
    "mentor_untrained": "first meeting more than {untrained_days} days ago, and the mentor has not "
                        "finished the training",
}
"""The at-risk rules in the handbook's order, in plain words (thresholds filled in)."""
