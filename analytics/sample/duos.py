"""The duos table: when each duo was matched, first met and ended, why it
ended, and its branch.

The match days follow the published curve (:mod:`analytics.sample.calibration`),
split over the branches as they open and ramp up; each duo's life (a
``DuoLife``) is drawn by its kind of ending, with more early closures during
the 2019 dip. A few mentees get a second duo after an early closure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analytics.sample.arrays import largest_remainder, month_start, pick, pick_rows, stream, uniform_days
from analytics.sample.calibration import (BRANCH_OPENS, BRANCH_RAMP_DAYS, BRANCH_WEIGHT, BRANCHES, END,
                                          NODATE, PROGRAMME_FIRST_MATCH, REMATCH_SHARE, base_monthly_matches,
                                          blank_after, quality_dip)
from analytics.sample.codes import (END_REASONS, K_COMPLETED, K_EARLY, K_JOB, K_LATE, K_NEVER, R_COMPLETED,
                                    R_JOB, R_MENTEE_WD, R_MENTOR_WD, R_MISMATCH, R_OTHER)
from analytics.sample.columns import Ids, bool_col, cat_col, date_col, id_col, numbered, ref_col, write_csv


@dataclass
class DuoLife:
    matched: np.ndarray
    first_meeting: np.ndarray  # NODATE = never started
    ended: np.ndarray          # planned: may lie after END (then the duo is open)
    kind: np.ndarray
    reason: np.ndarray
    staff_first: np.ndarray    # 1 true, 0 false, -1 empty


def duo_lives(matched: np.ndarray, rng: np.random.Generator) -> DuoLife:
    """First meeting, end and reason of duos matched on the given days."""
    n = len(matched)
    q = quality_dip(matched)
    never = rng.random(n) < 0.025 + 0.02 * q
    # a week or two to fix the first meeting (the staff member has to attend),
    # longer when the team is stretched
    lag = 3 + np.round(rng.gamma(2.5, 2.8, n) * (1 + 0.4 * q)).astype(np.int64)
    tail = rng.random(n) < 0.04
    lag[tail] += uniform_days(rng, 10, 30, int(tail.sum()))
    first = np.where(never, NODATE, matched + lag)
    staff_first = np.where(rng.random(n) < 0.93 - 0.15 * q, 1, 0).astype(np.int8)
    staff_first[rng.random(n) < 0.01] = -1
    staff_first[never] = -1

    # ending kind: the strain of 2019 shows as more early closures
    p_early = 0.235 + 0.12 * q
    p_job = np.full(n, 0.19)
    p_late = np.full(n, 0.09)
    p_completed = 1 - p_early - p_job - p_late
    kind = pick_rows(rng, np.column_stack([p_completed, p_job, p_early, p_late]))
    kind[never] = K_NEVER
    duration = np.zeros(n, np.int64)
    sel = kind == K_COMPLETED
    duration[sel] = np.clip(np.round(rng.normal(183, 10, sel.sum())), 160, 215)
    ext = sel & (rng.random(n) < 0.10)  # some duos ask for a few extra weeks
    duration[ext] += uniform_days(rng, 14, 60, int(ext.sum()))
    sel = kind == K_JOB
    duration[sel] = np.round(20 + rng.beta(1.6, 1.4, sel.sum()) * 180)
    sel = kind == K_EARLY
    duration[sel] = np.round(5 + rng.beta(1.2, 1.8, sel.sum()) * 84)
    sel = kind == K_LATE
    duration[sel] = uniform_days(rng, 90, 175, int(sel.sum()))
    ended = np.where(never, matched + uniform_days(rng, 14, 45, n), first + duration)

    reason = np.full(n, R_COMPLETED, np.int64)
    reason[kind == K_JOB] = R_JOB
    withdrawn = (kind == K_EARLY) | (kind == K_LATE)
    reason[withdrawn] = np.array([R_MENTEE_WD, R_MENTOR_WD, R_MISMATCH, R_OTHER])[
        pick(rng, [45, 20, 20, 15], int(withdrawn.sum()))]
    reason[never] = np.array([R_MENTEE_WD, R_MENTOR_WD, R_OTHER])[pick(rng, [55, 25, 20], int(never.sum()))]
    return DuoLife(matched, first, ended, kind, reason, staff_first)


def concat_lives(a: DuoLife, b: DuoLife) -> DuoLife:
    return DuoLife(*[np.concatenate([getattr(a, f), getattr(b, f)]) for f in DuoLife.__dataclass_fields__])


def take_lives(a: DuoLife, idx: np.ndarray) -> DuoLife:
    return DuoLife(*[getattr(a, f)[idx] for f in DuoLife.__dataclass_fields__])


def build_duos(seed: int, n_duos: int):
    """Match days, branches and lifecycles of all duos (primary + re-matches)."""
    rng = stream(seed, "duos")
    months, expected = base_monthly_matches()
    in_snapshot = month_start(months) <= END
    n_rematch = int(round(n_duos * REMATCH_SHARE))
    n_primary = n_duos - n_rematch
    counts = np.zeros(len(months), np.int64)
    counts[in_snapshot] = largest_remainder(expected[in_snapshot], n_primary)
    # the months simulated past the snapshot day follow the same scale
    after = expected[~in_snapshot] * n_primary / expected[in_snapshot].sum()
    counts[~in_snapshot] = np.floor(after + rng.random(len(after))).astype(np.int64)

    starts = np.repeat(month_start(months), counts)
    ends = np.repeat(month_start(months + 1) - 1, counts)
    matched = uniform_days(rng, starts, ends, len(starts))
    matched = np.maximum(matched, PROGRAMME_FIRST_MATCH)

    # branch: each open branch draws a share that ramps up over 18 months
    ramp = np.clip((matched[:, None] - (np.array(BRANCH_OPENS)[None, :] + 30)) / BRANCH_RAMP_DAYS, 0, 1)
    ramp[:, 0] = 1.0
    weights = ramp * BRANCH_WEIGHT[None, :]
    weights[matched[:, None] < np.array(BRANCH_OPENS)[None, :] + 30] = 0
    branch = pick_rows(rng, weights)
    life = duo_lives(matched, rng)

    # re-matches: after an early closure a mentee may get a second mentor
    cand = np.nonzero((life.kind == K_EARLY) & (life.reason != R_MENTEE_WD))[0]
    cand_mentee_wd = np.nonzero((life.kind == K_EARLY) & (life.reason == R_MENTEE_WD))[0]
    cand = np.concatenate([cand, cand_mentee_wd[rng.random(len(cand_mentee_wd)) < 0.2]])
    cand.sort()
    rematch_day = life.ended[cand] + uniform_days(rng, 14, 75, len(cand))
    ok = rematch_day <= END
    cand, rematch_day = cand[ok], rematch_day[ok]
    chosen = np.sort(rng.choice(len(cand), size=min(n_rematch, len(cand)), replace=False))
    prev = cand[chosen]
    re_life = duo_lives(rematch_day[chosen], rng)
    life = concat_lives(life, re_life)
    branch = np.concatenate([branch, branch[prev]])
    # a re-match duo's mentee is the mentee of the duo it follows
    duo_mentee = np.concatenate([np.arange(len(matched)), prev])
    is_rematch = np.concatenate([np.zeros(len(matched), bool), np.ones(len(prev), bool)])

    # canonical order: by match day (ties broken by a random key) -> duo ids
    order = np.lexsort((rng.random(len(life.matched)), life.matched))
    life = take_lives(life, order)
    return branch[order], life, duo_mentee[order], is_rematch[order], len(matched)


def duo_ids(life: DuoLife) -> Ids:
    """The duos matched by the snapshot day, numbered in match order (the internal order)."""
    return numbered(np.nonzero(life.matched <= END)[0], len(life.matched))


def write_duos(out_dir: Path, life: DuoLife, branch: np.ndarray, coordinator: np.ndarray,
               duo_mentee: np.ndarray, duo_mentor: np.ndarray,
               duos: Ids, mentees: Ids, mentors: Ids, staff: Ids) -> int:
    r = duos.rows
    first_meeting = blank_after(life.first_meeting)
    ended = blank_after(life.ended)
    reason = np.where(ended == NODATE, -1, life.reason)
    staff_first = np.where(first_meeting == NODATE, -1, life.staff_first)
    coord_num = np.where(coordinator < 0, -1, staff.number[np.maximum(coordinator, 0)])
    return write_csv(out_dir / "duos.csv", len(r), {
        "duo_id": id_col("D", duos.number[r], duos.width),
        "mentee_id": id_col("ME", mentees.number[duo_mentee[r]], mentees.width),
        "mentor_id": id_col("MR", mentors.number[duo_mentor[r]], mentors.width),
        "coordinator_id": ref_col("ST", coord_num[r], staff.width),
        "branch": cat_col(BRANCHES, branch[r]),
        "matched_on": date_col(life.matched[r]),
        "first_meeting_on": date_col(first_meeting[r]),
        "staff_at_first_meeting": bool_col(staff_first[r]),
        "ended_on": date_col(ended[r]),
        "end_reason": cat_col(END_REASONS, reason[r]),
    })
