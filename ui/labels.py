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
    # regions of origin (analytics.insights.REGION_COUNTRIES)
    "Maghreb": N_("Maghreb"), "Middle East": N_("Middle East"), "Sub-Saharan Africa": N_("Sub-Saharan Africa"),
    "Europe (non-EU)": N_("Europe (non-EU)"), "Asia": N_("Asia"), "Latin America": N_("Latin America"),
    "EU": N_("EU"), "Other": N_("Other"),
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


def label(value: object) -> str:
    """The interface's words for a record-format value (unknown values as they are)."""
    if value is None:
        return ""
    text = str(value)
    return _(VALUE_LABELS[text]) if text in VALUE_LABELS else text
