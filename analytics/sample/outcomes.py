"""The outcomes table: the mentee's situation at the duo's end and 3, 6 and
12 months later.

The exit status is drawn by the kind of ending; each follow-up is one step of
a Markov walk from the previous status. Coverage falls with each follow-up
(and during the 2019 dip), and nothing is recorded after the snapshot day.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import pick, pick_rows, stream, uniform_days
from analytics.sample.calibration import END, NODATE, quality_dip
from analytics.sample.codes import (CONTRACTS, K_COMPLETED, K_EARLY, K_JOB, K_LATE, S_EMP, S_INTERN, S_SELF,
                                    S_UNKNOWN, SECTOR_WEIGHTS, SECTORS, STAGE_DAYS, STAGES, STATUSES)
from analytics.sample.columns import Ids, cat_col, date_col, id_col, width_for, write_csv
from analytics.sample.duos import DuoLife


EXIT_DIST = {  # employed, self, training, internship, volunteering, searching, inactive, unknown
    K_JOB: [86, 8, 3, 3, 0, 0, 0, 0],
    K_COMPLETED: [31, 3, 19, 9, 4, 30, 2, 2],
    K_LATE: [15, 1, 12, 5, 3, 46, 9, 9],
    K_EARLY: [10, 1, 9, 3, 3, 44, 12, 18],
}
STEP = np.array([  # one follow-up interval (3 months) later; rows: from, columns: to
    [89, 1, 2, 1, 0, 6, 1, 0],
    [7, 86, 0, 0, 0, 7, 0, 0],
    [18, 1, 57, 12, 0, 10, 2, 0],
    [32, 1, 10, 42, 0, 15, 0, 0],
    [10, 0, 14, 4, 45, 24, 3, 0],
    [14, 2, 15, 10, 2, 53, 4, 0],
    [5, 0, 9, 2, 0, 16, 68, 0],
    [12, 1, 12, 6, 2, 55, 10, 2],
], float)
STEP /= STEP.sum(axis=1, keepdims=True)


def outcomes(seed: int, life: DuoLife, mentee_sector: np.ndarray, duo_mentee: np.ndarray):
    rng = stream(seed, "outcomes")
    realized = np.nonzero((life.first_meeting != NODATE) & (life.ended <= END))[0]
    kind = life.kind[realized]
    q = quality_dip(life.ended[realized])
    status = np.zeros(len(realized), np.int64)
    for k, dist in EXIT_DIST.items():
        sel = kind == k
        status[sel] = pick(rng, dist, int(sel.sum()))
    coverage = np.select([kind == K_COMPLETED, kind == K_JOB, kind == K_LATE],
                         [0.93, 0.96, 0.82], 0.72) - 0.08 * q
    parts = []  # (duo, stage, day, status)
    for stage in range(4):
        if stage:
            status = pick_rows(rng, STEP[status])
            coverage = coverage * [1, 0.85, 0.9, 0.92][stage]
        mark = life.ended[realized] + STAGE_DAYS[stage]
        delay = uniform_days(rng, 0, 21, len(realized)) if stage == 0 else uniform_days(rng, -10, 40, len(realized))
        recorded = mark + delay
        present = (rng.random(len(realized)) < coverage) & (recorded <= END)
        observed = status.copy()
        if stage:  # some people cannot be reached or do not say
            observed[rng.random(len(realized)) < 0.04] = S_UNKNOWN
        parts.append((realized[present], np.full(int(present.sum()), stage), recorded[present], observed[present]))
    duo = np.concatenate([p[0] for p in parts])
    stage = np.concatenate([p[1] for p in parts])
    recorded = np.concatenate([p[2] for p in parts])
    status = np.concatenate([p[3] for p in parts])
    order = np.lexsort((stage, duo))
    duo, stage, recorded, status = duo[order], stage[order], recorded[order], status[order]
    m = len(duo)
    contract = np.full(m, -1, np.int64)
    emp = status == S_EMP
    contract[emp] = pick(rng, [28, 45, 27], int(emp.sum()))
    contract[status == S_SELF] = 3
    other = ~(emp | (status == S_SELF)) & (rng.random(m) < 0.3)
    contract[other] = 3
    # the sector of the job or course: usually the one sought, decided once per duo
    n = len(life.matched)
    duo_sector = np.where(rng.random(n) < 0.6, mentee_sector[duo_mentee], pick(rng, SECTOR_WEIGHTS, n))
    duo_sector = np.where(duo_sector < 0, pick(rng, SECTOR_WEIGHTS, n), duo_sector)
    positive = status <= S_INTERN
    sector = np.where(positive, duo_sector[duo], -1)
    return duo, stage, recorded, status, contract, sector


def write_outcomes(out_dir: Path, seed: int, life: DuoLife, mentee_sector: np.ndarray,
                   duo_mentee: np.ndarray, duos: Ids) -> int:
    o_duo, o_stage, o_day, o_status, o_contract, o_sector = outcomes(seed, life, mentee_sector, duo_mentee)
    n_out = len(o_duo)
    return write_csv(out_dir / "outcomes.csv", n_out, {
        "outcome_id": id_col("OC", np.arange(1, n_out + 1), width_for(n_out)),
        "duo_id": id_col("D", duos.number[o_duo], duos.width),
        "stage": cat_col(STAGES, o_stage),
        "recorded_on": date_col(o_day),
        "status": cat_col(STATUSES, o_status),
        "contract": cat_col(CONTRACTS, o_contract),
        "sector": cat_col(SECTORS, o_sector),
    })
