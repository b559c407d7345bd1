"""The matching assistant in plain words: each suggestion's reasons, why a
mentee has none, the weights a coordinator adjusts, and the tables the
matching page shows and downloads. The ranking itself is
``analytics.engine.matching`` (one set-based query); nothing here records a
match.
"""
from __future__ import annotations

import pandas as pd

from analytics.engine.matching import empty_reason_code
from ui import fmt
from ui.i18n import N_, _

# matching.Weights fields -> label
WEIGHT_LABELS = {
    "sector": N_("Former sector = sector sought"),
    "language": N_("A language in common"),
    "preference": N_("Preferred mentor gender"),
    "branch": N_("Same branch (when widened to every branch)"),
}

EMPTY_REASONS = {
    "no_free_mentor": N_("No free trained mentor in any branch on the as-of date."),
    "branch_without_mentors": N_("Branch {branch} has no mentors."),
    "no_free_mentor_in_branch": N_("No free trained mentor in branch {branch} on the as-of date."),
}


def rules_text(weights: dict[str, float]) -> list[str]:
    """Each rule with its points, as the page explains the score."""
    return [_("{rule}: {points} points").format(rule=_(WEIGHT_LABELS[name]), points=fmt.decimal(value))
            for name, value in weights.items() if name in WEIGHT_LABELS]


def reasons(row: dict, widen: bool) -> list[str]:
    """The rules one suggestion meets, translated (the CLI's reasons, in words)."""
    said = []
    if widen and row["same_branch"]:
        said.append(_("same branch: {branch}").format(branch=row["mentor_branch"]))
    if row["same_sector"]:
        said.append(_("same sector: {sector}").format(sector=row["sector"]))
    if len(row["common_languages"]):
        said.append(_("languages in common: {languages}").format(languages=", ".join(row["common_languages"])))
    if row["preference_met"]:
        said.append(_("preferred mentor gender: {gender}").format(gender=row["preferred_gender"]))
    if not row["same_branch"]:
        said.append(_("other branch: {branch}").format(branch=row["mentor_branch"]))
    return said


def empty_reason(mentee: dict, widen: bool) -> str:
    return _(EMPTY_REASONS[empty_reason_code(mentee, widen)]).format(branch=mentee["branch"])


def mentee_table(mentees: pd.DataFrame, pairs: pd.DataFrame, widen: bool) -> pd.DataFrame:
    """One row per waiting mentee, longest waiting first: the suggestions best
    first, each with its score and reasons, or why there is none."""
    listed: dict[str, list[str]] = {}
    for row in pairs.to_dict(orient="records"):
        why = "; ".join(reasons(row, widen)) or _("no rule met")
        listed.setdefault(row["mentee_id"], []).append(
            _("{mentor} ({score}: {why})").format(mentor=row["mentor_id"], score=fmt.decimal(row["score"]),
                                                  why=why))
    rows = []
    for mentee in mentees.to_dict(orient="records"):
        suggested = listed.get(mentee["mentee_id"])
        rows.append({
            _("Mentee"): mentee["mentee_id"],
            _("Branch"): mentee["branch"],
            _("Days waiting"): int(mentee["waiting_days"]),
            _("Sector sought"): mentee["sector_sought"] if isinstance(mentee["sector_sought"], str) else "",
            _("Suggested mentors"): " · ".join(suggested) if suggested else empty_reason(mentee, widen),
        })
    columns = [_("Mentee"), _("Branch"), _("Days waiting"), _("Sector sought"), _("Suggested mentors")]
    return pd.DataFrame(rows, columns=columns)


def fits_table(fits: pd.DataFrame) -> pd.DataFrame:
    """One row per free trained mentor: the waiting mentees whose list names them."""
    return pd.DataFrame({
        _("Mentor"): fits["mentor_id"],
        _("Branch"): fits["branch"],
        _("Former sector"): fits["former_sector"].fillna(""),
        _("Mentees they fit"): [", ".join(m) for m in fits["mentees"]],
        _("Number of mentees"): fits["count"].astype(int),
    })


def shortlist(pairs: pd.DataFrame, widen: bool) -> pd.DataFrame:
    """The shortlist to download: one row per (mentee, suggested mentor), rank
    and reasons. Personal data (ids): staff only, and its download is audited."""
    return pd.DataFrame({
        _("Mentee"): pairs["mentee_id"],
        _("Branch"): pairs["branch"],
        _("Days waiting"): pairs["waiting_days"].astype(int),
        _("Rank"): pairs["rank"].astype(int),
        _("Mentor"): pairs["mentor_id"],
        _("Mentor's branch"): pairs["mentor_branch"],
        _("Score"): pairs["score"],
        _("Reasons"): ["; ".join(reasons(r, widen)) for r in pairs.to_dict(orient="records")],
    })
