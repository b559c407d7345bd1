"""Putting the synthetic programme together: build every table's arrays,
number the rows the snapshot keeps, and write the eleven CSV files.

The order of the steps does not change the output: each part draws from
its own named random stream (:func:`analytics.sample.arrays.stream`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample import activity, jobs, money, outcomes, people, targets
from analytics.sample import duos as duo_part
from analytics.sample import staff as staff_part
from analytics.sample.calibration import DEFAULT_DUOS, blank_after


def generate_programme(out_dir: Path, seed: int = 2013, duos: int | None = None) -> dict[str, int]:
    """Write the eleven record-format tables for a synthetic programme; return row counts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_duos = DEFAULT_DUOS if duos is None else int(duos)
    if n_duos < 1:
        raise ValueError("duos must be at least 1")
    branch, life, duo_mentee, is_rematch, n_primary = duo_part.build_duos(seed, n_duos)
    scale = n_duos / DEFAULT_DUOS  # people and money grow with it

    (duo_mentor, _chain_depth, chain_end, m_branch, m_first_duo,
     quit_ids, quit_days) = people.assign_mentors(seed, branch, life)
    mentees = people.mentee_table(seed, branch, life, duo_mentee, is_rematch, n_primary)
    mentors = people.mentor_table(seed, life, duo_mentor, chain_end, m_branch, m_first_duo, quit_ids, quit_days)
    staff = staff_part.staff_table(seed, scale, branch, life)
    coordinator, check_in_coordinator = staff_part.duo_coordinators(seed, staff, branch, life)
    trouble = activity.open_trouble(seed, life)

    # the snapshot: the rows that exist on END, numbered; later dates are blanked by each writer
    duo_ids = duo_part.duo_ids(life)
    mentee_ids = people.applicant_ids(mentees)
    mentor_ids = people.applicant_ids(mentors)
    staff_ids = staff_part.staff_ids(staff)

    counts: dict[str, int] = {}
    counts["mentees"] = people.write_mentees(out_dir, mentees, mentee_ids)
    counts["mentors"] = people.write_mentors(out_dir, mentors, mentor_ids)
    counts["staff"] = staff_part.write_staff(out_dir, staff, staff_ids)
    counts["duos"] = duo_part.write_duos(out_dir, life, branch, coordinator, duo_mentee, duo_mentor,
                                         duo_ids, mentee_ids, mentor_ids, staff_ids)
    counts["meetings"] = activity.write_meetings(out_dir, seed, life, trouble, duo_ids)
    counts["check_ins"] = activity.write_check_ins(out_dir, seed, life, trouble, check_in_coordinator,
                                                   branch, staff, duo_ids, staff_ids)
    counts["outcomes"] = outcomes.write_outcomes(out_dir, seed, life, mentees["sector"], duo_mentee, duo_ids)
    counts["jobs"] = jobs.write_jobs(out_dir, seed, life, duo_mentee, mentee_ids)

    # costs follow the mentors trained by the snapshot day
    kept_mentors = {k: (v[mentor_ids.rows] if isinstance(v, np.ndarray) else v) for k, v in mentors.items()}
    kept_mentors["training"] = blank_after(kept_mentors["training"])
    cost_rows = money.costs(seed, scale, staff, kept_mentors, life, branch)
    counts["costs"] = money.write_costs(out_dir, cost_rows)
    counts["funding"] = money.write_funding(out_dir, money.funding(seed, cost_rows, life))
    counts["targets"] = targets.write_targets(out_dir, targets.targets(life, branch))
    return counts
