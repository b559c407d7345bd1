"""The lists of the record format the generator draws from, and the
generator's own codes for them (index constants such as ``R_JOB`` or
``K_EARLY``, the kind of ending that drives a duo's meetings and outcomes).

A generated cell is an index into one of these lists; the CSV writer turns
it into the text. The sector weights sit beside their sectors.
"""
from __future__ import annotations

import numpy as np


END_REASONS = ["completed", "job_found", "mentee_withdrew", "mentor_withdrew", "mismatch", "other"]
R_COMPLETED, R_JOB, R_MENTEE_WD, R_MENTOR_WD, R_MISMATCH, R_OTHER = range(6)
# How a duo ends: kinds drive durations, meetings and outcomes.
K_COMPLETED, K_JOB, K_EARLY, K_LATE, K_NEVER = range(5)

STATUSES = ["employed", "self_employed", "training", "internship", "volunteering",
            "searching", "inactive", "unknown"]
S_EMP, S_SELF, S_TRAIN, S_INTERN, S_VOL, S_SEARCH, S_INACT, S_UNKNOWN = range(8)
CONTRACTS = ["permanent", "fixed_term", "temp_agency", "none"]
MODES = ["in_person", "phone", "video"]
ROLES = ["coordinator", "manager", "other"]
WORK_STATUS = ["early_retired", "retired", "employed", "other"]
EDUCATION = ["none", "primary", "secondary", "tertiary"]
GENDERS = ["F", "M", "X"]
DECISIONS = ["eligible", "ineligible"]
STAGES = ["exit", "followup_3m", "followup_6m", "followup_12m"]
STAGE_DAYS = [0, 91, 182, 365]
COST_CATEGORIES = ["staff", "training", "events", "overhead", "other"]

SECTORS = ["hospitality", "retail", "logistics", "construction", "healthcare", "IT",
           "administration", "cleaning", "transport", "education", "finance",
           "manufacturing", "social work", "engineering", "culture", "security"]
SECTOR_WEIGHTS = np.array([10, 9, 9, 7, 9, 7, 9, 5, 6, 5, 4, 5, 6, 4, 3, 2], float)
MENTOR_SECTORS = SECTORS + ["public administration", "banking", "teaching", "law", "marketing"]
MENTOR_SECTOR_WEIGHTS = np.array([4, 5, 6, 6, 8, 7, 8, 1, 5, 6, 6, 7, 5, 7, 3, 2,
                                  8, 7, 6, 3, 4], float)
