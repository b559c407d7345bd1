"""The optional jobs table: spells in work after the programme, for some mentees.

One to two spells per mentee of a realized, ended duo, more often after an
end because the mentee found a job than after a completed duo, and least
after an early closure. A spell may start a little before the end (the job
that ended the duo) or months after it; it lasts about eight months on
average and is still running (empty end) when it reaches the snapshot day.
Spells that start after the snapshot day are not written. Deterministic per
seed: the table draws from its own named stream only, so adding it changes
no other table.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import pick, stream, uniform_days
from analytics.sample.calibration import END, NODATE
from analytics.sample.codes import CONTRACTS, K_COMPLETED, K_EARLY, K_JOB
from analytics.sample.columns import Ids, cat_col, date_col, id_col, list_col, width_for, write_csv
from analytics.sample.duos import DuoLife

# Chance that a realized, ended duo's mentee has a recorded spell, by kind of end.
SPELL_CHANCE = {K_JOB: 0.8, K_COMPLETED: 0.45, K_EARLY: 0.2}
OTHER_CHANCE = 0.3
SECOND_SPELL_CHANCE = 0.2
MEAN_SPELL_DAYS = 240
HOURS = (19, 24, 30, 32, 36, 38)


def jobs(seed: int, life: DuoLife, duo_mentee: np.ndarray):
    """(mentee index, started, ended (NODATE: still in work), contract code, hours or 0) per spell."""
    rng = stream(seed, "jobs")
    ended = np.nonzero((life.first_meeting != NODATE) & (life.ended <= END))[0]
    kind = life.kind[ended]
    chance = np.full(len(ended), OTHER_CHANCE)
    for k, p in SPELL_CHANCE.items():
        chance[kind == k] = p
    has = ended[rng.random(len(ended)) < chance]
    found = life.kind[has] == K_JOB
    start = life.ended[has] + np.where(found, uniform_days(rng, -20, 0, len(has)),
                                       uniform_days(rng, 7, 240, len(has)))
    length = np.maximum(1, rng.exponential(MEAN_SPELL_DAYS, len(has)).astype(np.int64))
    duos, starts, lengths = [has], [start], [length]
    again = rng.random(len(has)) < SECOND_SPELL_CHANCE
    gap = uniform_days(rng, 10, 120, int(again.sum()))
    duos.append(has[again])
    starts.append(start[again] + length[again] + gap)
    lengths.append(np.maximum(1, rng.exponential(MEAN_SPELL_DAYS, int(again.sum())).astype(np.int64)))
    duo = np.concatenate(duos)
    started = np.concatenate(starts)
    finish = started + np.concatenate(lengths) - 1
    keep = started <= END
    duo, started, finish = duo[keep], started[keep], finish[keep]
    finish = np.where(finish > END, NODATE, finish)
    order = np.lexsort((duo, started))
    duo, started, finish = duo[order], started[order], finish[order]
    contract = pick(rng, [40, 35, 20, 5], len(duo))
    hours = np.where(rng.random(len(duo)) < 0.25, 0, np.array(HOURS)[pick(rng, [10, 10, 15, 15, 20, 30], len(duo))])
    return duo_mentee[duo], started, finish, contract, hours


def write_jobs(out_dir: Path, seed: int, life: DuoLife, duo_mentee: np.ndarray, mentees: Ids) -> int:
    mentee, started, finish, contract, hours = jobs(seed, life, duo_mentee)
    n = len(mentee)
    return write_csv(out_dir / "jobs.csv", n, {
        "job_id": id_col("J", np.arange(1, n + 1), width_for(n)),
        "mentee_id": id_col("ME", mentees.number[mentee], mentees.width),
        "started_on": date_col(started),
        "ended_on": date_col(finish),
        "contract": cat_col(CONTRACTS, contract),
        "hours_per_week": list_col([str(h) if h else "" for h in hours]),
    })
