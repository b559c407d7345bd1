"""What a user would otherwise script: a handful of the handbook's indicators in plain pandas.

Used only by the benchmark, for a side-by-side ratio against the engine. It
follows the handbook for the keys it covers (the data as they stood on the
as-of date, the calendar year of A, no branch filter), and the benchmark
checks it agrees with the engine before timing it, so the comparison is
between two correct programs.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

POSITIVE = {"employed", "self_employed", "training", "internship"}


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Read the CSV files a pandas user would read (dates parsed)."""
    dates = {
        "mentees": ["applied_on", "interviewed_on", "withdrawn_on", "birth_date"],
        "mentors": ["applied_on", "training_completed_on", "left_on"],
        "duos": ["matched_on", "first_meeting_on", "ended_on"],
        "check_ins": ["checked_on"],
        "outcomes": ["recorded_on"],
    }
    return {name: pd.read_csv(folder / f"{name}.csv", parse_dates=cols, dtype={"duo_id": str})
            for name, cols in dates.items()}


def indicators(tables: dict[str, pd.DataFrame], as_of: dt.date) -> dict[str, float | int | None]:
    a = pd.Timestamp(as_of)
    f, t = pd.Timestamp(as_of.year, 1, 1), pd.Timestamp(as_of.year, 12, 31)
    d = min(t, a)

    mentees = tables["mentees"][tables["mentees"]["applied_on"] <= a]
    mentors = tables["mentors"][tables["mentors"]["applied_on"] <= a]
    duos = tables["duos"]
    duos = duos[(duos["matched_on"] <= a) & duos["mentee_id"].isin(mentees["mentee_id"])
                & duos["mentor_id"].isin(mentors["mentor_id"])].copy()
    duos.loc[duos["first_meeting_on"] > a, "first_meeting_on"] = pd.NaT
    late_end = duos["ended_on"] > a
    duos.loc[late_end, "ended_on"] = pd.NaT
    duos.loc[late_end, "end_reason"] = None

    realized = duos[duos["first_meeting_on"].notna()]
    in_period = realized[realized["first_meeting_on"].between(f, t)]
    active = realized[(realized["first_meeting_on"] <= d)
                      & (realized["ended_on"].isna() | (realized["ended_on"] > d))]

    firsts = duos.sort_values(["matched_on", "duo_id"]).drop_duplicates("mentee_id")
    firsts = firsts[firsts["matched_on"].between(f, t)].merge(
        mentees[["mentee_id", "applied_on"]], on="mentee_id")
    days_to_match = (firsts["matched_on"] - firsts["applied_on"]).dt.days

    ended = realized[realized["ended_on"].between(f, t)]
    completed = ended["end_reason"].isin(["completed", "job_found"])

    check_ins = tables["check_ins"]
    recent = check_ins[(check_ins["checked_on"] > d - pd.Timedelta(days=45)) & (check_ins["checked_on"] <= d)
                       & (check_ins["checked_on"] <= a)]
    covered = active["duo_id"].isin(recent["duo_id"])

    outcomes = tables["outcomes"]
    exits = outcomes[(outcomes["stage"] == "exit") & (outcomes["recorded_on"] <= a)]
    exits = exits.sort_values(["recorded_on", "outcome_id"]).drop_duplicates("duo_id", keep="last")
    exit_status = ended[["duo_id"]].merge(exits[["duo_id", "status"]], on="duo_id", how="left")["status"]

    def share(mask) -> float | None:
        return float(mask.mean()) if len(mask) else None

    return {
        "duos_realized": int(len(in_period)),
        "active_duos": int(len(active)),
        "median_days_to_match": float(days_to_match.median()) if len(days_to_match) else None,
        "completion_rate": share(completed),
        "check_in_coverage": share(covered),
        "positive_exit_rate": share(exit_status.isin(POSITIVE)),
    }
