"""Record-format values explained in the interface language. The values
themselves stay English (they are the import contract); what the user reads
goes through ``_()``."""
from __future__ import annotations

from ui.i18n import N_, _

VALUE_LABELS: dict[str, str] = {
    # outcome statuses
    "employed": N_("Employed"), "self_employed": N_("Self-employed"), "training": N_("Training"),
    "internship": N_("Internship"), "volunteering": N_("Volunteering"), "searching": N_("Searching"),
    "inactive": N_("Inactive"), "unknown": N_("Unknown"), "no_exit_outcome": N_("No exit outcome recorded"),
    # contracts
    "permanent": N_("Permanent"), "fixed_term": N_("Fixed term"), "temp_agency": N_("Temp agency"),
    "none": N_("None"), "not_recorded": N_("Not recorded"),
    # end reasons
    "completed": N_("Completed"), "job_found": N_("Job found"), "mentee_withdrew": N_("Mentee withdrew"),
    "mentor_withdrew": N_("Mentor withdrew"), "mismatch": N_("Mismatch"), "other": N_("Other"),
    # gender, education
    "F": N_("Women"), "M": N_("Men"), "X": N_("Non-binary or other"),
    "primary": N_("Primary"), "secondary": N_("Secondary"), "tertiary": N_("Tertiary"),
    # regions of origin (analytics.engine.insights.REGION_COUNTRIES)
    "Maghreb": N_("Maghreb"), "Middle East": N_("Middle East"), "Sub-Saharan Africa": N_("Sub-Saharan Africa"),
    "Europe (non-EU)": N_("Europe (non-EU)"), "Asia": N_("Asia"), "Americas": N_("Americas"),
    "Latin America": N_("Latin America"), "EU": N_("EU"), "Other": N_("Other"),
    # intake decisions, mentors' work status, staff roles, cost categories
    "eligible": N_("Eligible"), "ineligible": N_("Not eligible"),
    "early_retired": N_("Early retired"), "retired": N_("Retired"),
    "coordinator": N_("Coordinator"), "manager": N_("Manager"),
    "staff": N_("Staff"), "events": N_("Events"), "overhead": N_("Overhead"),
    # funder types
    "public": N_("Public"), "eu": N_("European Union"), "foundation": N_("Foundation"),
    "corporate": N_("Corporate"), "individual": N_("Individual donors"), "earned": N_("Earned income"),
    # follow-up tasks, timeline events
    "exit_outcome": N_("Record the exit outcome"), "followup_3m": N_("3-month follow-up"),
    "followup_6m": N_("6-month follow-up"), "followup_12m": N_("12-month follow-up"), "exit": N_("Exit"),
    "matched": N_("Matched"), "first_meeting": N_("First meeting"), "meeting": N_("Meeting"),
    "check_in": N_("Check-in"), "outcome": N_("Outcome"), "ended": N_("Ended"),
    "in_person": N_("In person"), "phone": N_("Phone"), "video": N_("Video"),
    "central": N_("Central (shared costs)"),
}


# Where a value means something else in one column (``none`` is no contract,
# or no formal education; ``training`` is a mentee's situation, or a cost).
COLUMN_VALUE_LABELS: dict[str, dict[str, str]] = {
    "contract": {"none": N_("No contract")},
    "education_level": {"none": N_("No formal education")},
    "category": {"training": N_("Mentor training"), "other": N_("Other costs")},
    "work_status": {"employed": N_("In work"), "other": N_("Other situation")},
    "role": {"other": N_("Other role")},
}


def label(value: object, column: str | None = None) -> str:
    """The interface's words for a record-format value (unknown values as they
    are); ``column`` picks the column's own words where a value has several."""
    if value is None:
        return ""
    text = str(value)
    own = COLUMN_VALUE_LABELS.get(column or "", {})
    if text in own:
        return _(own[text])
    return _(VALUE_LABELS[text]) if text in VALUE_LABELS else text


def value_table() -> "pd.DataFrame":
    """Every list value of the record format with its meaning in the interface
    language (the values themselves stay English: they are the import contract)."""
    import pandas as pd

    from analytics.records.schema import TABLES

    rows = [(table.name, column.name, value, label(value, column.name))
            for table in TABLES for column in table.columns for value in column.choices]
    return pd.DataFrame(rows, columns=[_("Table"), _("Column"), _("Value in the file"), _("Meaning")])
