"""The words and the colour of every category value, once for the dashboard
and the funder report.

A category is a column with a fixed list of values (gender, funder type,
outcome status, …). The values themselves stay English: they are the record
format, the import contract. What a reader sees is the category's word for
the value, a msgid marked with ``N_`` and translated where it is shown
(``analytics.text.i18n._``), and, in a chart, the category's colour for the
value (Okabe–Ito, ``analytics.text.palette``: colour-blind safe; grey for
"not recorded" and "unknown").

The same value can mean different things in different columns (``none`` is
no contract, or no formal education; ``training`` is a mentee's situation, or
a cost): so words are looked up per category (:func:`label_of`); ``WORDS`` holds
the word of a value named without its column.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from analytics.text.i18n import N_
from analytics.text.palette import BAD, GOOD, INDICATOR_COLOURS, NEUTRAL, OKABE_ITO, SEQUENCE

# values that say "we do not know": grey in every chart
MISSING_VALUES = frozenset({"not_recorded", "unknown", "no_exit_outcome"})


def _colours(values: tuple[str, ...]) -> dict[str, str]:
    """Okabe–Ito in palette order, grey for the values that mean "not known"."""
    out, i = {}, 0
    for v in values:
        if v in MISSING_VALUES:
            out[v] = NEUTRAL
        else:
            out[v] = SEQUENCE[i % len(SEQUENCE)]
            i += 1
    return out


@dataclass(frozen=True)
class Category:
    """One category: its values in display order, a word (msgid) and a colour (hex) per value."""
    name: str
    labels: Mapping[str, str]
    colours: Mapping[str, str] = field(default_factory=dict)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, value: str) -> str | None:
        """The msgid of ``value`` (untranslated), None when the category does not know it."""
        return self.labels.get(value)

    def colour(self, value: str) -> str:
        return self.colours.get(value, NEUTRAL)


def _category(name: str, labels: dict[str, str], colours: dict[str, str] | None = None) -> Category:
    return Category(name, MappingProxyType(labels),
                    MappingProxyType(colours if colours is not None else _colours(tuple(labels))))


# ---------------------------------------------------------------- people
GENDER = _category("gender", {
    "F": N_("Women"), "M": N_("Men"), "X": N_("Non-binary or other"), "not_recorded": N_("Not recorded")})
EDUCATION_LEVEL = _category("education_level", {
    "none": N_("No formal education"), "primary": N_("Primary"), "secondary": N_("Secondary"),
    "tertiary": N_("Tertiary"), "not_recorded": N_("Not recorded")})
# regions of origin (analytics.engine.insights.REGION_COUNTRIES)
REGION = _category("region", {
    "Maghreb": N_("Maghreb"), "Middle East": N_("Middle East"), "Sub-Saharan Africa": N_("Sub-Saharan Africa"),
    "Europe (non-EU)": N_("Europe (non-EU)"), "Asia": N_("Asia"), "Americas": N_("Americas"),
    "Latin America": N_("Latin America"), "EU": N_("EU"), "Other": N_("Other")})
DECISION = _category("decision", {"eligible": N_("Eligible"), "ineligible": N_("Not eligible")})
WORK_STATUS = _category("work_status", {
    "early_retired": N_("Early retired"), "retired": N_("Retired"), "employed": N_("In work"),
    "other": N_("Other situation")})
STAFF_ROLE = _category("role", {
    "coordinator": N_("Coordinator"), "manager": N_("Manager"), "other": N_("Other role")})

# ---------------------------------------------------------------- duos and outcomes
OUTCOME_STATUS = _category("status", {
    "employed": N_("Employed"), "self_employed": N_("Self-employed"), "training": N_("Training"),
    "internship": N_("Internship"), "volunteering": N_("Volunteering"), "searching": N_("Searching"),
    "inactive": N_("Inactive"), "unknown": N_("Unknown"), "no_exit_outcome": N_("No exit outcome recorded")})
CONTRACT = _category("contract", {
    "permanent": N_("Permanent"), "fixed_term": N_("Fixed term"), "temp_agency": N_("Temp agency"),
    "none": N_("No contract"), "not_recorded": N_("Not recorded")})
END_REASON = _category("end_reason", {
    "completed": N_("Completed"), "job_found": N_("Job found"), "mentee_withdrew": N_("Mentee withdrew"),
    "mentor_withdrew": N_("Mentor withdrew"), "mismatch": N_("Mismatch"), "other": N_("Other")})
OUTCOME_STAGE = _category("stage", {
    "exit": N_("Exit"), "followup_3m": N_("3-month follow-up"), "followup_6m": N_("6-month follow-up"),
    "followup_12m": N_("12-month follow-up")})
MEETING_MODE = _category("mode", {"in_person": N_("In person"), "phone": N_("Phone"), "video": N_("Video")})
# follow-up tasks (analytics.engine.insights.followup_worklist)
FOLLOWUP_TASK = _category("task", {
    "exit_outcome": N_("Record the exit outcome"), "followup_3m": N_("3-month follow-up"),
    "followup_6m": N_("6-month follow-up"), "followup_12m": N_("12-month follow-up")})
# a duo's timeline (analytics.engine.insights.duo_timeline)
TIMELINE_EVENT = _category("event", {
    "matched": N_("Matched"), "first_meeting": N_("First meeting"), "meeting": N_("Meeting"),
    "check_in": N_("Check-in"), "outcome": N_("Outcome"), "ended": N_("Ended")})
# at-risk statuses (analytics.engine.query.at_risk): red, blue, green
AT_RISK_STATUS = _category("at_risk_status", {
    "at_risk": N_("At risk"), "new": N_("New — too early to tell"), "fine": N_("No warning sign")},
    {"at_risk": BAD, "new": OKABE_ITO["sky_blue"], "fine": GOOD})

# ---------------------------------------------------------------- money
COST_CATEGORY = _category("category", {
    "staff": N_("Staff"), "training": N_("Mentor training"), "events": N_("Events"),
    "overhead": N_("Overhead"), "other": N_("Other costs")})
FUNDER_TYPE = _category("funder_type", {
    "public": N_("Public"), "eu": N_("European Union"), "foundation": N_("Foundation"),
    "corporate": N_("Corporate"), "individual": N_("Individual donors"), "earned": N_("Earned income")})
# costs and funding rows without a branch
BRANCH = _category("branch", {"central": N_("Central (shared costs)")}, {"central": NEUTRAL})
# the steps of the funnel (analytics.engine.insights.funnel), as a chart's axis says them
FUNNEL_STEP = _category("step", {
    "funnel_applied": N_("Applied"), "funnel_interviewed": N_("Interviewed"), "funnel_eligible": N_("Eligible"),
    "funnel_matched": N_("Matched"), "funnel_realized": N_("First meeting"), "funnel_ended": N_("Ended"),
    "funnel_positive_exit": N_("Positive exit")})

CATEGORIES: tuple[Category, ...] = (
    GENDER, EDUCATION_LEVEL, REGION, DECISION, WORK_STATUS, STAFF_ROLE, OUTCOME_STATUS, CONTRACT, END_REASON,
    OUTCOME_STAGE, MEETING_MODE, FOLLOWUP_TASK, TIMELINE_EVENT, AT_RISK_STATUS, COST_CATEGORY, FUNDER_TYPE,
    BRANCH, FUNNEL_STEP)

# Column name -> its category: the record format's columns, and the columns
# analytics adds (``exit_status`` of the exit outcomes). The at-risk status is
# not here: its column is also called ``status``, which is the outcomes' status.
BY_COLUMN: Mapping[str, Category] = MappingProxyType({
    **{c.name: c for c in CATEGORIES if c is not AT_RISK_STATUS}, "exit_status": OUTCOME_STATUS})

# The word of a value named without its column: where a value is in several
# categories, the first of (people's situation before costs and mentors) wins;
# ``none`` alone is "None".
_WORD_ORDER = (OUTCOME_STATUS, CONTRACT, END_REASON, GENDER, EDUCATION_LEVEL, REGION, DECISION, WORK_STATUS,
               STAFF_ROLE, COST_CATEGORY, FUNDER_TYPE, FOLLOWUP_TASK, OUTCOME_STAGE, TIMELINE_EVENT, MEETING_MODE,
               BRANCH)
_UNQUALIFIED = {"none": N_("None"), "employed": N_("Employed"), "training": N_("Training"), "other": N_("Other")}


def _words() -> dict[str, str]:
    words = dict(_UNQUALIFIED)
    for category in _WORD_ORDER:
        for value, word in category.labels.items():
            words.setdefault(value, word)
    return words


WORDS: Mapping[str, str] = MappingProxyType(_words())


def label_of(value: str, column: str | None = None) -> str | None:
    """The msgid (untranslated) for ``value`` in ``column`` (its category's
    word), else the value's word without a column; None when nobody knows it."""
    category = BY_COLUMN.get(column or "")
    if category is not None and value in category.labels:
        return category.labels[value]
    return WORDS.get(value)


def colour_of(value: str, column: str) -> str:
    """The chart colour of ``value`` in ``column``'s category (grey when
    unknown); ``column="indicator"``: the colour of a figure drawn as a series
    (``analytics.text.palette.INDICATOR_COLOURS``, by registry key)."""
    if column == "indicator":
        return INDICATOR_COLOURS.get(value, NEUTRAL)
    category = BY_COLUMN.get(column)
    return category.colour(value) if category is not None else NEUTRAL


def branch_colours(branches) -> dict[str, str]:
    """A colour per branch name of the data set: Okabe–Ito in name order,
    ``central`` grey. Pass every branch of the data set (not only those a chart
    shows), so that a branch has the same colour on every page."""
    names = sorted({str(b) for b in branches if str(b) != "central"})
    out = {name: SEQUENCE[i % len(SEQUENCE)] for i, name in enumerate(names)}
    out["central"] = NEUTRAL
    return out
