"""The matching assistant in plain words: each suggestion's reasons, why a
mentee has none, the weights a coordinator adjusts, and the tables the
matching page shows and downloads. The ranking itself is
``analytics.engine.matching`` (one set-based query); nothing here records a
match.
"""
from __future__ import annotations

import pandas as pd

from analytics.engine.matching import empty_reason_code
from ui import charts, fmt
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


# -- supply and demand, the waiting-list flow ---------------------------------

METHODS = {
    "seasonal_naive": N_("Seasonal naive: each month is forecast as the same month a year before."),
    "mean": N_("Less than 13 months of history: each month is forecast as the mean of the months so far."),
    "none": N_("Less than two months of history: no forecast."),
}


def supply_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        _("Branch"): frame["branch"],
        _("Sector"): [s if isinstance(s, str) else _("(no sector given)") for s in frame["sector"]],
        _("Mentees waiting"): frame["mentees_waiting"].astype(int),
        _("Free trained mentors"): frame["free_mentors"].astype(int),
        _("Mentors in training"): frame["mentors_in_training"].astype(int),
        _("Gap"): frame["gap"].astype(int),
    })


def recruitment_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        _("Branch"): frame["branch"],
        _("Mentees waiting"): frame["mentees_waiting"].astype(int),
        _("New eligible mentees forecast (6 months)"): [fmt.decimal(v, 1) for v in frame["forecast_new_eligible"]],
        _("Free trained mentors"): frame["free_mentors"].astype(int),
        _("Mentors in training"): frame["mentors_in_training"].astype(int),
        _("Mentors coming back after a duo"): frame["returning_mentors"].astype(int),
        _("Mentors to recruit"): frame["to_recruit"].astype(int),
        _("Mentors to recruit (high forecast)"): frame["to_recruit_high"].astype(int),
    })


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, months_shown: int = 24) -> dict:
    """New eligible mentees per month, all the filter's branches together: the
    last ``months_shown`` complete months, then the forecast and its interval."""
    history = history.assign(month=pd.to_datetime(history["month"]).dt.date)
    total = history.groupby("month", sort=True)["new_eligible"].sum()
    ahead = forecast[forecast["branch"].isna()].sort_values("month")
    first_ahead = ahead["month"].min() if len(ahead) else None
    past = [m for m in total.index if first_ahead is None or m < first_ahead][-months_shown:]
    months = past + list(ahead["month"])
    blank = [None] * len(past)
    series = {
        _("Applied and eligible"): [float(total[m]) for m in past] + [None] * len(ahead),
        _("Forecast"): blank + list(ahead["forecast"]),
        _("Interval, low"): blank + list(ahead["low"]),
        _("Interval, high"): blank + list(ahead["high"]),
    }
    return charts.line([fmt.month(m) for m in months], series, title=_("New eligible mentees per month"),
                       x_title=_("Month"), y_title=_("Mentees"))


def forecast_caption(fit: pd.DataFrame) -> str:
    overall = fit[fit["branch"].isna()]
    if overall.empty:
        return _(METHODS["none"])
    row = overall.iloc[0]
    text = _(METHODS[row["method"]])
    if row["mae"] is not None and row["mae"] == row["mae"]:
        text += " " + _("Its past error: {mae} mentees a month on average (over {n} months); the interval "
                        "spans {share} of its past errors.").format(mae=fmt.decimal(row["mae"], 1),
                                                                  n=fmt.integer(row["errors"]),
                                                                  share=fmt.percent(0.8))
    return text


def waited_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        _("Branch"): frame["branch"],
        _("Mentees waiting"): frame["waiting"].astype(int),
        _("Median days waiting"): [fmt.decimal(v, 1) for v in frame["median_days"]],
        _("Longest wait (days)"): frame["longest_days"].astype(int),
        _("Waiting over 30 days"): frame["over_30_days"].astype(int),
    })


def time_to_match_chart(curve: pd.DataFrame) -> dict:
    series = {_("All branches"): (list(curve["day"]), list(curve["still_waiting"]))}
    return charts.step([], series, title=_("Share still waiting for a mentor, by days since the application"),
                       x_title=_("Days since the application"), y_title=_("Still waiting"), y_format=".0%")


def withdrawals_table(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(month=pd.to_datetime(frame["month"]).dt.date)
    by_month = frame.groupby("month", sort=True)["days_waited"]
    return pd.DataFrame({
        _("Month"): [fmt.month(m) for m in by_month.groups],
        _("Withdrew while waiting"): by_month.size().astype(int).tolist(),
        _("Median days waited"): [fmt.decimal(v, 1) for v in by_month.median()],
    })
