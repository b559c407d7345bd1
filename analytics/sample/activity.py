"""The meetings and check_ins tables: what a duo does while it runs.

Meetings are weekly-ish (some duos fortnightly), skipped in the holidays,
moved online in the lockdowns; check-ins are roughly monthly staff contacts,
sparser during the 2019 dip, with satisfaction falling before a withdrawal.
Both are generated step by step, vectorised over the duos. A few duos open
on the snapshot day are in trouble (stalled, meeting little, unhappy), so
that every at-risk rule fires somewhere.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import civil, month_of, pick, stream, uniform_days
from analytics.sample.calibration import END, NODATE, quality_dip, remote_share
from analytics.sample.codes import K_COMPLETED, K_EARLY, K_JOB, K_LATE, K_NEVER, MODES, R_JOB
from analytics.sample.columns import (Ids, bool_col, cat_col, date_col, fmt_number, id_col, int_col, ref_col,
                                      width_for, write_csv)
from analytics.sample.duos import DuoLife
from analytics.sample.staff import choose_assignable


ROUTINE_NOTES = ["Good rhythm - working on the CV", "Mock interview practised",
                 "Mentee applied for three vacancies", "Mentor shared contacts in the sector",
                 "Discussed training options", "Meetings going well", "Working on cover letter",
                 "Visited a job fair together", "Mentee started a Dutch course",
                 "Mentee started a French course", "Mentee had a job interview",
                 "Mentor on holiday for two weeks", "Planning an internship",
                 "Looking into recognition of the diploma", "Mentor helped with online profile",
                 "Mentee more confident", "Preparing a spontaneous application"]
CONCERN_NOTES = ["Mentee hard to reach", "Meetings cancelled twice",
                 "Different expectations about the goal", "Mentor has less time than planned",
                 "Mentee discouraged after refusals", "Language barrier in meetings",
                 "Mentee may move to another city", "Mentor health issue",
                 "Mentee busy with housing problems"]

TROUBLE_NONE, TROUBLE_STALLED, TROUBLE_LOW_HOURS, TROUBLE_UNHAPPY = range(4)


def open_trouble(seed: int, life: DuoLife) -> np.ndarray:
    """Trouble of duos open on END: most are healthy, a few are slipping."""
    rng = stream(seed, "trouble")
    n = len(life.matched)
    open_started = ((life.first_meeting != NODATE) & (life.first_meeting <= END - 35)
                    & (life.ended > END) & (life.matched <= END))
    t = pick(rng, [92.5, 5, 1.5, 1], n)
    return np.where(open_started, t, TROUBLE_NONE).astype(np.int8)


def meetings(seed: int, life: DuoLife, trouble: np.ndarray):
    """Weekly-ish meetings from the first meeting to the end (or END)."""
    rng = stream(seed, "meetings")
    started = np.nonzero((life.first_meeting != NODATE) & (life.first_meeting <= END))[0]
    first = life.first_meeting[started]
    kind = life.kind[started]
    ended = life.ended[started]
    is_open = ended > END
    # the duo stops meeting a while before a withdrawal is recorded
    stall = np.zeros(len(started), np.int64)
    sel = kind == K_EARLY
    stall[sel] = uniform_days(rng, 3, 30, int(sel.sum()))
    sel = kind == K_LATE
    stall[sel] = uniform_days(rng, 3, 25, int(sel.sum()))
    sel = (kind == K_COMPLETED) | (kind == K_JOB)
    stall[sel] = uniform_days(rng, 0, 6, int(sel.sum()))
    stop = np.where(is_open, END, ended - stall)
    tr = trouble[started]
    stop[tr == TROUBLE_STALLED] = END - uniform_days(rng, 22, 60, int((tr == TROUBLE_STALLED).sum()))
    stop[tr == TROUBLE_LOW_HOURS] = END - uniform_days(rng, 29, 40, int((tr == TROUBLE_LOW_HOURS).sum()))
    stop = np.maximum(stop, first)

    # rhythm: most duos meet weekly; some fortnightly for longer sessions
    fortnightly = rng.random(len(started)) < 0.15
    base_hours = np.exp(rng.normal(np.log(2.75), 0.18, len(started)))
    base_hours[fortnightly] *= 1.6
    prefers_remote = rng.random(len(started)) < 0.5

    duo_parts, day_parts, hour_parts, mode_parts = [], [], [], []

    def record(idx, days, hours):
        remote = rng.random(len(idx)) < remote_share(days) * np.where(prefers_remote[idx], 1.3, 0.7)
        mode = np.where(remote, np.where(rng.random(len(idx)) < 0.6, 2, 1), 0)
        mode[rng.random(len(idx)) < 0.03] = -1
        duo_parts.append(started[idx]); day_parts.append(days)
        hour_parts.append(hours); mode_parts.append(mode.astype(np.int8))

    idx = np.arange(len(started))
    cur = first.copy()
    # the first meeting (with a staff member) is a shorter introduction
    record(idx, cur, np.round(rng.uniform(1.0, 2.5, len(idx)) * 2) / 2)
    while len(idx):
        gap = np.where(fortnightly[idx], 14 + rng.integers(-2, 3, len(idx)), 7 + rng.integers(-1, 2, len(idx)))
        gap = gap + 7 * (rng.random(len(idx)) < 0.09)  # a skipped week
        nxt = cur + gap
        _, mo, dd = civil(nxt)
        holiday = ((mo == 7) & (dd >= 10)) | ((mo == 8) & (dd <= 25)) | ((mo == 12) & (dd >= 22))
        nxt = nxt + 7 * (holiday & (rng.random(len(idx)) < 0.4))
        keep = nxt <= stop[idx]
        idx, cur = idx[keep], nxt[keep]
        hours = np.round(base_hours[idx] * rng.uniform(0.75, 1.25, len(idx)) * 2) / 2
        record(idx, cur, np.clip(hours, 0.5, 8))
    # a low-intensity duo still met once lately, briefly
    low = np.nonzero(tr == TROUBLE_LOW_HOURS)[0]
    record(low, END - uniform_days(rng, 2, 18, len(low)), np.full(len(low), 1.0))

    duo = np.concatenate(duo_parts)
    days = np.concatenate(day_parts)
    hours = np.concatenate(hour_parts)
    mode = np.concatenate(mode_parts)
    order = np.lexsort((days, duo))
    return duo[order], days[order], hours[order], mode[order]


def check_ins(seed: int, life: DuoLife, trouble: np.ndarray, duo_coordinator: np.ndarray,
              branch: np.ndarray, staff: dict):
    """Roughly monthly staff contacts; sparser when the team is stretched (2019)."""
    rng = stream(seed, "check-ins")
    n = len(life.matched)
    idx = np.nonzero(life.matched <= END)[0]
    limit = np.minimum(life.ended, END)
    cur = life.matched[idx] + uniform_days(rng, 10, 24, len(idx))
    parts_duo, parts_day = [], []
    while len(idx):
        keep = cur <= limit[idx]
        idx, cur = idx[keep], cur[keep]
        parts_duo.append(idx); parts_day.append(cur)
        q = quality_dip(cur)
        gap = np.round(30 * (1 + 0.6 * q) * rng.uniform(0.75, 1.25, len(idx))).astype(np.int64)
        skipped = rng.random(len(idx)) < 0.03 + 0.3 * q
        gap[skipped] += uniform_days(rng, 20, 40, int(skipped.sum()))
        cur = cur + gap
    # a closing conversation when the duo ends
    closing = np.nonzero((life.ended <= END) & (life.matched <= END) & (rng.random(n) < 0.65))[0]
    parts_duo.append(closing); parts_day.append(life.ended[closing])
    duo = np.concatenate(parts_duo)
    days = np.concatenate(parts_day)
    order = np.lexsort((days, duo))
    duo, days = duo[order], days[order]
    dup = np.concatenate([[False], (duo[1:] == duo[:-1]) & (days[1:] == days[:-1])])
    duo, days = duo[~dup], days[~dup]
    m = len(duo)

    # satisfaction: a per-duo level, worse in the weeks before a withdrawal
    mentee_level = np.clip(rng.normal(4.3, 0.45, n), 2.5, 5.2)
    mentor_level = np.clip(rng.normal(4.1, 0.45, n), 2.5, 5.2)
    troubled_end = np.isin(life.kind, [K_EARLY, K_LATE, K_NEVER]) & (life.reason != R_JOB)
    closeness = np.clip(1 - (life.ended[duo] - days) / 60.0, 0, 1) * troubled_end[duo]
    q = quality_dip(days)
    mentee_sat = np.clip(np.round(mentee_level[duo] - 1.9 * closeness - 0.2 * q + rng.normal(0, 0.45, m)), 1, 5)
    mentor_sat = np.clip(np.round(mentor_level[duo] - 1.6 * closeness - 0.2 * q + rng.normal(0, 0.45, m)), 1, 5)
    mentee_sat = mentee_sat.astype(np.int64)
    mentor_sat = mentor_sat.astype(np.int64)
    concern = rng.random(m) < 0.015 + 0.45 * closeness
    concern |= ((mentee_sat <= 2) | (mentor_sat <= 2)) & (rng.random(m) < 0.5)
    # an unhappy open duo: its latest check-in raised the alarm
    last = np.concatenate([duo[1:] != duo[:-1], [True]]) if m else np.zeros(0, bool)
    unhappy = last & (trouble[duo] == TROUBLE_UNHAPPY)
    mentee_sat[unhappy] = np.minimum(mentee_sat[unhappy], 2)
    concern[unhappy] = rng.random(int(unhappy.sum())) < 0.6
    mentee_sat[rng.random(m) < 0.06] = -1  # the mentee could not be reached that time
    mentor_sat[rng.random(m) < 0.09] = -1
    concern_code = concern.astype(np.int8)
    concern_code[rng.random(m) < 0.01] = -1
    note = np.full(m, -1, np.int64)
    routine = ~concern & (rng.random(m) < 0.55)
    note[routine] = np.floor(rng.random(int(routine.sum())) * len(ROUTINE_NOTES)).astype(np.int64)
    flagged = concern & (rng.random(m) < 0.9)
    note[flagged] = len(ROUTINE_NOTES) + np.floor(rng.random(int(flagged.sum())) * len(CONCERN_NOTES)).astype(np.int64)

    # done by the duo's coordinator while they are around, else by a colleague
    coord = duo_coordinator[duo]
    by_coord = (month_of(staff["start"][coord]) < month_of(days)) & (
        (staff["left"][coord] == NODATE) | (month_of(staff["left"][coord]) > month_of(days)))
    staff_id = coord.copy()
    other = ~by_coord
    if other.any():
        staff_id[other] = choose_assignable(rng, staff, branch[duo[other]], days[other])
    staff_id[rng.random(m) < 0.01] = -1
    return duo, days, staff_id, mentee_sat, mentor_sat, concern_code, note


def write_meetings(out_dir: Path, seed: int, life: DuoLife, trouble: np.ndarray, duos: Ids) -> int:
    m_duo, m_day, m_hours, m_mode = meetings(seed, life, trouble)
    n_meet = len(m_duo)
    hour_strings = [fmt_number(h / 2) for h in range(0, 25)]
    return write_csv(out_dir / "meetings.csv", n_meet, {
        "meeting_id": id_col("MT", np.arange(1, n_meet + 1), width_for(n_meet)),
        "duo_id": id_col("D", duos.number[m_duo], duos.width),
        "met_on": date_col(m_day),
        "hours": cat_col(hour_strings, np.round(m_hours * 2).astype(np.int64)),
        "mode": cat_col(MODES, m_mode.astype(np.int64)),
    })


def write_check_ins(out_dir: Path, seed: int, life: DuoLife, trouble: np.ndarray,
                    check_in_coordinator: np.ndarray, branch: np.ndarray, staff: dict,
                    duos: Ids, staff_ids: Ids) -> int:
    c_duo, c_day, c_staff, c_mentee, c_mentor, c_concern, c_note = check_ins(
        seed, life, trouble, check_in_coordinator, branch, staff)
    n_ci = len(c_duo)
    c_staff_num = np.where(c_staff < 0, -1, staff_ids.number[np.maximum(c_staff, 0)])
    return write_csv(out_dir / "check_ins.csv", n_ci, {
        "check_in_id": id_col("CI", np.arange(1, n_ci + 1), width_for(n_ci)),
        "duo_id": id_col("D", duos.number[c_duo], duos.width),
        "staff_id": ref_col("ST", c_staff_num, staff_ids.width),
        "checked_on": date_col(c_day),
        "mentee_satisfaction": int_col(c_mentee),
        "mentor_satisfaction": int_col(c_mentor),
        "concern": bool_col(c_concern.astype(np.int64)),
        "note": cat_col(ROUTINE_NOTES + CONCERN_NOTES, c_note),
    })
