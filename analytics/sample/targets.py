"""The targets table: what the programme plans each year from 2019, for the
whole programme and per open branch (duos realized: last year's plus 8%;
rates: the programme's usual goals).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import civil
from analytics.sample.calibration import BRANCH_OPENS, BRANCHES, END, NODATE, day
from analytics.sample.columns import fmt_number, list_col, write_csv
from analytics.sample.duos import DuoLife


def targets(life: DuoLife, branch: np.ndarray) -> list[tuple]:
    rows = []
    started = (life.first_meeting != NODATE) & (life.first_meeting <= END)
    year = civil(np.where(started, life.first_meeting, 0))[0]
    for y in range(2019, 2027):
        for b in ["all"] + [BRANCHES[i] for i in range(len(BRANCHES)) if BRANCH_OPENS[i] < day(f"{y}-01-01")]:
            sel = started & (year == y - 1)
            if b != "all":
                sel &= branch == BRANCHES.index(b)
            planned = int(round(sel.sum() * 1.08 / 10) * 10) if sel.sum() >= 10 else int(sel.sum()) + 5
            rows.append((y, b, "duos_realized", planned))
            rows.append((y, b, "positive_exit_rate", 0.72 if y >= 2023 else 0.70))
            rows.append((y, b, "matched_within_30d_rate", 0.80))
            rows.append((y, b, "check_in_coverage", 0.90))
            rows.append((y, b, "staff_at_first_meeting_rate", 0.90))
            rows.append((y, b, "early_closure_rate", 0.25))
            rows.append((y, b, "caseload_per_coordinator_fte", 30))
            if b == "all":
                rows.append((y, b, "cost_per_duo_eur", 1300 if y < 2023 else 1400))
                rows.append((y, b, "exit_outcome_coverage", 0.90))
                rows.append((y, b, "followup_12m_coverage", 0.70))
                rows.append((y, b, "mentor_trained_rate", 0.95))
    branch_order = {b: i for i, b in enumerate(["all"] + BRANCHES)}
    rows.sort(key=lambda r: (r[0], branch_order[r[1]], r[2]))
    return rows


def write_targets(out_dir: Path, target_rows: list) -> int:
    return write_csv(out_dir / "targets.csv", len(target_rows), {
        "year": list_col([y for y, *_ in target_rows]),
        "branch": list_col([b for _, b, _, _ in target_rows]),
        "indicator": list_col([k for _, _, k, _ in target_rows]),
        "target": list_col([fmt_number(t) for *_, t in target_rows]),
    })
