"""The staff table: coordinators hired and leaving as the caseload moves
(and lagging behind it in 2019), a manager per branch, central staff; and
which coordinator follows each duo.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import month_of, month_start, pick, segment_starts, stream, uniform_days
from analytics.sample.calibration import BRANCH_OPENS, BRANCHES, END, NODATE, blank_after, day, quality_dip
from analytics.sample.codes import ROLES
from analytics.sample.columns import Ids, cat_col, date_col, fmt_number, id_col, list_col, numbered, write_csv
from analytics.sample.duos import DuoLife


def caseload_target(days: np.ndarray | float) -> np.ndarray:
    """Active duos one coordinator FTE is meant to follow; hiring lagged in 2019."""
    return 30.0 + 18.0 * quality_dip(np.asarray(days, float))


def active_by_branch_month(branch: np.ndarray, life: DuoLife, months: np.ndarray) -> np.ndarray:
    """Active duos on the 15th of each month, per branch (branches x months)."""
    mid = month_start(months) + 14
    out = np.zeros((len(BRANCHES), len(months)))
    started = life.first_meeting != NODATE
    for b in range(len(BRANCHES)):
        sel = started & (branch == b)
        s = np.sort(life.first_meeting[sel])
        e = np.sort(life.ended[sel])
        out[b] = np.searchsorted(s, mid, "right") - np.searchsorted(e, mid, "right")
    return out


def staff_table(seed: int, scale: float, branch: np.ndarray, life: DuoLife) -> dict:
    """Coordinators hired and leaving month by month, managers, central staff.

    A coordinator hired in month m (started_on within m) takes duos from m+1;
    one who hands in notice in month m leaves during m+1 and takes no new duos
    from m+1. ``assignable[(branch, month)]`` lists who can take duos then.
    """
    rng = stream(seed, "staff")
    months = np.arange(month_of(np.array([day("2012-12-01")]))[0], month_of(np.array([END]))[0] + 2)
    active = active_by_branch_month(branch, life, months)
    s_branch, s_role, s_fte, s_start, s_left = [], [], [], [], []

    def hire(b: int, role: int, fte: float, start: int) -> int:
        s_branch.append(b); s_role.append(role); s_fte.append(fte)
        s_start.append(start); s_left.append(NODATE)
        return len(s_branch) - 1

    assignable: dict[tuple[int, int], list[int]] = {}
    fte_choices = np.array([0.5, 0.6, 0.8, 0.9, 1.0])
    for b in range(len(BRANCHES)):
        open_m = int(month_of(np.array([BRANCH_OPENS[b]]))[0])
        current: list[int] = []
        for i, m in enumerate(months[:-1]):
            if m < open_m - 1:
                continue
            first = int(month_start(m))
            last = int(month_start(m + 1)) - 1
            nxt_first, nxt_last = last + 1, int(month_start(m + 2)) - 1
            required = active[b, i + 1] / float(caseload_target(nxt_first + 14))
            # ordinary turnover: a coordinator leaves now and then, and is replaced
            leaving = [c for c in current if rng.random() < 0.013]
            for c in leaving:
                s_left[c] = int(uniform_days(rng, nxt_first + 1, nxt_last, 1)[0])
                current.remove(c)
            total = sum(s_fte[c] for c in current)
            while not current or total < required - 0.3:
                fte = float(fte_choices[pick(rng, [15, 10, 25, 10, 40], 1)[0]])
                current.append(hire(b, 0, fte, int(uniform_days(rng, first, last, 1)[0])))
                total += fte
            while len(current) > 1 and total - s_fte[current[0]] > required + 0.6:
                c = current.pop(0)  # the longest-serving moves on when the team is too large
                s_left[c] = int(uniform_days(rng, nxt_first + 1, nxt_last, 1)[0])
                total -= s_fte[c]
            assignable[(b, int(m + 1))] = list(current)

    # one manager per branch (more at larger scales), central staff in Brussels
    # (a small programme shares its manager's time; a huge one has several)
    per_branch = max(1, int(round(scale)))

    def scaled_fte(fte: float) -> float:
        return float(np.clip(round(fte * scale / per_branch, 1), 0.1, 1.0))

    for b in range(len(BRANCHES)):
        for _ in range(per_branch):
            start = BRANCH_OPENS[b] - int(rng.integers(30, 90))
            s = hire(b, 1, scaled_fte(1.0 if b == 0 else 0.8), start)
            if b == 0:  # the founding manager hands over in 2020
                s_left[s] = day("2020-09-01") + int(rng.integers(0, 30))
                hire(b, 1, scaled_fte(1.0), s_left[s] - int(rng.integers(20, 40)))
    central = [("2013-01-01", 0.8), ("2016-03-01", 0.6), ("2018-01-01", 0.8), ("2018-09-01", 0.5),
               ("2021-02-01", 0.8)]  # director, fundraising, finance, trainer, communication
    for start, fte in central:
        for _ in range(per_branch):
            hire(0, 2, scaled_fte(fte), day(start) + int(rng.integers(0, 28)))
    return {"branch": np.array(s_branch), "role": np.array(s_role), "fte": np.array(s_fte),
            "start": np.array(s_start, np.int64), "left": np.array(s_left, np.int64),
            "assignable": assignable}


def choose_assignable(rng: np.random.Generator, staff: dict, branch: np.ndarray,
                      days: np.ndarray) -> np.ndarray:
    """A coordinator who can take work in the branch and month of each day."""
    keys = sorted(staff["assignable"])
    key_index = {k: i for i, k in enumerate(keys)}
    lists = [staff["assignable"][k] for k in keys]
    lengths = np.array([len(x) for x in lists], np.int64)
    flat = np.array([s for x in lists for s in x], np.int64)
    starts = segment_starts(lengths)
    months = month_of(days)
    # lookup table (branch, month) -> key index
    m0 = min(k[1] for k in keys)
    m1 = max(k[1] for k in keys)
    table = np.full((len(BRANCHES), m1 - m0 + 1), -1, np.int64)
    for (b, m), i in key_index.items():
        table[b, m - m0] = i
    g = table[branch, np.clip(months - m0, 0, m1 - m0)]
    assert (g >= 0).all(), "no coordinator for some duo"
    pick_i = starts[g] + np.floor(rng.random(len(days)) * lengths[g]).astype(np.int64)
    return flat[pick_i]


def duo_coordinators(seed: int, staff: dict, branch: np.ndarray, life: DuoLife
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Per duo: its coordinator as recorded (-1 for the few left empty), and
    who does its check-ins (a colleague stands in for a missing one)."""
    coordinator = choose_assignable(stream(seed, "coordinators"), staff, branch, life.matched)
    coordinator[stream(seed, "coordinator-gaps").random(len(coordinator)) < 0.004] = -1
    check_in_coordinator = np.where(
        coordinator < 0, choose_assignable(stream(seed, "ci"), staff, branch, life.matched), coordinator)
    return coordinator, check_in_coordinator


def staff_ids(staff: dict) -> Ids:
    """Everyone ever on the staff, numbered by start day, four digits."""
    rows = np.lexsort((np.arange(len(staff["start"])), staff["start"]))
    return numbered(rows, len(rows), width=4)


def write_staff(out_dir: Path, staff: dict, ids: Ids) -> int:
    r = ids.rows
    return write_csv(out_dir / "staff.csv", len(r), {
        "staff_id": id_col("ST", np.arange(1, len(r) + 1), ids.width),
        "branch": cat_col(BRANCHES, staff["branch"][r]),
        "role": cat_col(ROLES, staff["role"][r]),
        "fte": list_col([fmt_number(x) for x in staff["fte"][r]]),
        "started_on": date_col(staff["start"][r]),
        "left_on": date_col(blank_after(staff["left"])[r]),
    })
