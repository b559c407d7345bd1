"""Synthetic mentoring-for-employment programme, in the record format.

Why: the dashboard, its tests and its benchmark need a programme that looks
like the real thing (a Brussels-born "DUO for a JOB"-style programme: young
job-seeking migrants paired with mentors over 50, six months of weekly
meetings, staff monitoring, outcomes at exit and at 3/6/12 months) without
one byte of real personal data. Every first name, birth date, note and donor
is invented.

What: ``generate_programme(out_dir, seed, duos)`` writes the ten record-format
tables as UTF-8 CSV (``python -m analytics generate --out DIR``). The
programme:

- starts in Brussels in 2013; Antwerp, Liège and Ghent open in 2018; realized
  duos follow the published curve (335 by end 2015, ~2,400 by end 2019,
  ~6,000 by end 2023, then ~1,000 a year);
- is a *snapshot* taken on ``END_DATE`` (2026-06-30): the simulation runs a
  little past it, then every later date is erased the way a CRM export of
  that day would show it (open duos, pending decisions, follow-ups not yet
  due, mentees still waiting);
- has a visible quality dip during the 2019 growth spurt (fewer coordinator
  FTE per active duo, check-ins sparser, matching slower, more early
  closures), recovering by mid-2020;
- leaves a few dozen at-risk duos open on the end date, so every at-risk rule
  of the indicator handbook fires somewhere.

Determinism: one seed gives byte-identical files. Each part of the programme
draws from its own named random stream (so tuning one part does not reshuffle
the others), rows are sorted by id, numbers are formatted by hand, nothing
depends on dict order, hashing or the clock.

Scale: ``duos=N`` scales the whole programme (people, meetings, staff, costs,
gifts) linearly. Everything is vectorised numpy; the only Python loops run over
months, branches or meeting/check-in *steps* (a few dozen), never over rows,
and CSVs are written in chunks with pyarrow, so a million duos (~20M
meetings) take minutes, not hours.
"""
from __future__ import annotations

import argparse
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

# --------------------------------------------------------------------------
# Calendar and calibration constants
# --------------------------------------------------------------------------

NODATE = np.iinfo(np.int64).min  # "empty date" inside the int64 day arrays


def day(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date (the unit of every date array)."""
    return int(np.datetime64(iso, "D").astype(np.int64))


END_DATE = "2026-06-30"
END = day(END_DATE)
# The simulation runs past the snapshot date so that people are "in flight" on
# it: mentees interviewed but not matched yet, mentors trained but waiting.
HORIZON = day("2026-08-31")

BRANCHES = ["Brussels", "Antwerp", "Liège", "Ghent"]
BRANCH_OPENS = [day("2013-01-01"), day("2018-02-01"), day("2018-06-01"), day("2018-10-01")]
# Long-run share weights once a branch has ramped up (Brussels stays the largest).
BRANCH_WEIGHT = np.array([1.0, 0.42, 0.28, 0.32])
BRANCH_RAMP_DAYS = 540

# Matched duos per calendar year (Brussels-only until 2018). Chosen so that the
# realized (first meeting) curve lands on the published figures: 335 by end
# 2015, ~1,000 by 2017, ~1,500 by 2018, ~2,400 by end 2019, ~6,000 by end 2023,
# then ~1,000 a year. 2020 dips (lockdowns), 2026 runs to the horizon.
MATCHED_PER_YEAR = {
    2013: 70, 2014: 110, 2015: 162, 2016: 330, 2017: 365, 2018: 520, 2019: 930,
    2020: 700, 2021: 850, 2022: 960, 2023: 1090, 2024: 1000, 2025: 1020, 2026: 1040,
}
# Intake seasonality: summer and Christmas are quiet, autumn busy.
SEASON = np.array([0.95, 1.05, 1.1, 1.05, 1.05, 1.0, 0.7, 0.6, 1.15, 1.2, 1.1, 0.8])
PROGRAMME_FIRST_MATCH = day("2013-03-01")
# A few mentees get a second duo after an early closure; they count in --duos.
REMATCH_SHARE = 0.012

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

# Non-EU origins typical of young job seekers in Belgian cities; weights shift
# with the arrival waves (Syria/Afghanistan/Eritrea after 2015, Ukraine 2022).
COUNTRIES = ["MA", "SY", "AF", "GN", "CD", "CM", "ER", "TR", "IQ", "SO", "DZ", "TN",
             "UA", "XK", "AL", "SN", "RW", "BI", "PS", "IR", "PK", "RU", "BR", "VE",
             "NG", "ET", "SD", "CI", "ML", "TG"]
COUNTRY_BASE = np.array([18, 6, 6, 7, 8, 7, 3, 5, 4, 3, 4, 3, 1, 2, 2, 3, 2, 2, 2, 2,
                         1, 1, 2, 1, 1, 1, 1, 2, 1, 1], float)
EU_EXCEPTION_COUNTRIES = ["RO", "PL", "BG", "IT", "ES", "PT"]

MENTEE_NAMES_F = ["Amina", "Fatima", "Mariam", "Aïcha", "Nour", "Leyla", "Hawa", "Fatoumata",
                  "Zainab", "Samira", "Yasmina", "Rahma", "Salma", "Hiba", "Aya", "Kadiatou",
                  "Mariama", "Esther", "Grace", "Divine", "Olena", "Iryna", "Sofiya", "Zahra",
                  "Shirin", "Parisa", "Mahlet", "Selam", "Hanan", "Ruth", "Nadia", "Imane",
                  "Khadija", "Asma", "Dalia", "Rim", "Lina", "Awa", "Blessing", "Arta"]
MENTEE_NAMES_M = ["Yassine", "Omar", "Mohamed", "Abdi", "Ibrahima", "Mamadou", "Samir", "Rahim",
                  "Hamid", "Karim", "Youssef", "Bilal", "Ahmad", "Mustafa", "Tesfay", "Yonas",
                  "Dawit", "Alpha", "Ousmane", "Souleymane", "Jean-Claude", "Patrick", "Christian",
                  "Emmanuel", "Serge", "Arif", "Farid", "Hassan", "Ali", "Reza", "Ahmet", "Emre",
                  "Burak", "Mykola", "Andriy", "Dmytro", "Arben", "Driton", "Idris", "Anas"]
MENTEE_NAMES_X = ["Sam", "Noor", "Alex", "Eden", "Sasha"]
MENTOR_NAMES_F = ["Anne", "Christine", "Martine", "Véronique", "Greet", "Hilde", "Marie-Claire",
                  "Françoise", "Monique", "Sabine", "Ingrid", "An", "Katrien", "Nicole", "Brigitte",
                  "Isabelle", "Chantal", "Els", "Lieve", "Dominique", "Pascale", "Catherine",
                  "Fatiha", "Rosa", "Maria", "Josiane"]
MENTOR_NAMES_M = ["Marc", "Luc", "Jean-Pierre", "Philippe", "Dirk", "Koen", "Patrick", "Michel",
                  "Alain", "Jan", "Peter", "Eric", "Guy", "Bernard", "Paul", "Johan", "Geert",
                  "André", "Francis", "Daniel", "Thierry", "Willy", "Rudi", "Hugo", "Ahmed",
                  "Mustafa", "Giovanni", "José"]
MENTOR_NAMES_X = ["Dominique", "Claude", "Camille"]
DONOR_FIRST = ["Anne", "Marc", "Sophie", "Luc", "Nathalie", "Pieter", "Hélène", "Karim", "Inès",
               "Tom", "Laura", "Bart", "Céline", "Wim", "Saïda", "Jonas", "Elise", "Olivier",
               "Marieke", "Yves", "Leen", "Fabrice", "Nadia", "Stijn", "Amélie", "Ruben"]
DONOR_INITIALS = list("ABCDEFGHJKLMNOPRSTVWZ")

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


def quality_dip(days: np.ndarray) -> np.ndarray:
    """0..1: how strongly the 2019 growth spurt strains the team on a day.

    Ramps up from autumn 2018 (three new branches, intake doubling), is at its
    worst through 2019, and has faded by mid-2020 once coordinators were hired.
    """
    return np.interp(days, [day("2018-09-01"), day("2019-03-01"), day("2019-10-31"),
                            day("2020-06-30")], [0.0, 1.0, 1.0, 0.0])


def remote_share(days: np.ndarray) -> np.ndarray:
    """Share of meetings held by phone or video: the 2020-21 lockdowns moved them online."""
    return np.interp(days, [day("2020-03-10"), day("2020-03-20"), day("2020-06-15"),
                            day("2021-06-30"), day("2021-09-30")],
                     [0.12, 0.85, 0.85, 0.45, 0.2])


# --------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------

def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per programme part (crc32 is stable across runs)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt = days.astype("datetime64[D]")
    months = dt.astype("datetime64[M]")
    year = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (dt - months).astype(np.int64) + 1
    return year, month, dom


def age_at(birth: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whole years, as the handbook counts them."""
    by, bm, bd = civil(birth)
    ay, am, ad = civil(at)
    return ay - by - ((am * 100 + ad) < (bm * 100 + bd))


def birth_for_age(at: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A birth date giving exactly ``age`` whole years on ``at``."""
    frac = rng.uniform(0.02, 0.98, len(at))
    birth = at - np.floor((age + frac) * 365.2425).astype(np.int64)
    for _ in range(4):  # nudge the rare leap-year misses into place
        off = age_at(birth, at) - age
        if not off.any():
            break
        birth = birth + off * 3
    return birth


def month_of(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(months: np.ndarray | int) -> np.ndarray:
    return np.asarray(months).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def pick(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, float)
    return rng.choice(len(w), size=n, p=w / w.sum()).astype(np.int64)


def pick_rows(rng: np.random.Generator, prob_rows: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    cum = np.cumsum(prob_rows, axis=1)
    u = rng.random(len(prob_rows))[:, None] * cum[:, -1:]
    return (u >= cum).sum(axis=1).astype(np.int64)


def uniform_days(rng: np.random.Generator, lo, hi, n: int) -> np.ndarray:
    """Whole days in [lo, hi] (inclusive, element-wise)."""
    lo = np.asarray(lo, np.int64)
    hi = np.asarray(hi, np.int64)
    return lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)


def largest_remainder(expected: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to ``total`` proportional to ``expected`` (deterministic)."""
    scaled = expected / expected.sum() * total
    counts = np.floor(scaled).astype(np.int64)
    short = total - counts.sum()
    if short > 0:
        order = np.lexsort((np.arange(len(scaled)), -(scaled - counts)))
        counts[order[:short]] += 1
    return counts


def segment_starts(lengths: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)


# --------------------------------------------------------------------------
# The duo curve
# --------------------------------------------------------------------------

def _month_grid() -> np.ndarray:
    return np.arange(month_of(np.array([day("2013-01-01")]))[0],
                     month_of(np.array([HORIZON]))[0] + 1)


def base_monthly_matches() -> tuple[np.ndarray, np.ndarray]:
    """Expected matched duos per month at the default size (months since 1970-01)."""
    months = _month_grid()
    years = months // 12 + 1970
    cal = months % 12
    season = SEASON / SEASON.mean()
    year_list = sorted(MATCHED_PER_YEAR)
    mids = np.array([day(f"{y}-07-01") for y in year_list], float)
    rates = np.array([MATCHED_PER_YEAR[y] for y in year_list], float)
    centre = month_start(months) + 15
    # interpolate the yearly rate so growth is smooth across new year
    expected = np.interp(centre, mids, rates) / 12 * season[cal]
    expected[month_start(months) < month_start(month_of(np.array([PROGRAMME_FIRST_MATCH])))] = 0
    # renormalise every full calendar year to its published count
    for y in year_list:
        sel = years == y
        if y < 2026 and expected[sel].sum() > 0:
            expected[sel] *= MATCHED_PER_YEAR[y] / expected[sel].sum()
    return months, expected


def _default_duos() -> int:
    months, expected = base_monthly_matches()
    in_snapshot = month_start(months) <= END
    return int(round(expected[in_snapshot].sum() / (1 - REMATCH_SHARE)))


DEFAULT_DUOS = _default_duos()


# --------------------------------------------------------------------------
# Duo lifecycles
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# The programme, as arrays
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Mentors: chains of duos, re-engagement
# --------------------------------------------------------------------------

def assign_mentors(seed: int, branch: np.ndarray, life: DuoLife):
    """Give every duo a mentor, month by month, reusing mentors who finished a duo.

    A mentor who continues becomes available again some weeks after the duo
    ended; each month the duos of a branch are offered first to available
    mentors (earliest available first), the rest get a new mentor. First-time
    mentors continue far more often than veterans, which gives the published
    ~82% of mentors starting another duo without everyone mentoring ten times.
    """
    rng = stream(seed, "mentors")
    n = len(branch)
    u_continue = rng.random(n)
    rest_days = uniform_days(rng, 7, 100, n)
    wait_limit = uniform_days(rng, 120, 300, n)  # patience of a waiting mentor
    duo_mentor = np.full(n, -1, np.int64)
    depth_of_duo = np.zeros(n, np.int64)
    mentor_branch: list[int] = []
    mentor_first_duo: list[np.ndarray] = []
    mentor_count = 0
    chain_end = np.zeros(n, np.int8)  # 1: mentor stops after this duo
    # pool per branch: mentor id, available-from day, chain depth, give-up day
    pool = {b: (np.zeros(0, np.int64),) * 4 for b in range(len(BRANCHES))}
    gave_up: list[tuple[np.ndarray, np.ndarray]] = []

    month = month_of(life.matched)
    order = np.lexsort((life.matched, branch, month))
    keys = month[order] * 8 + branch[order]
    bounds = np.nonzero(np.diff(keys))[0] + 1
    for group in np.split(order, bounds):
        b = int(branch[group[0]])
        first_day = int(month_start(month[group[0]]))
        g_days = life.matched[group]
        p_id, p_free, p_depth, p_quit = pool[b]
        # mentors whose patience ran out before this month leave the pool
        quit_now = p_quit < first_day
        if quit_now.any():
            gave_up.append((p_id[quit_now], p_quit[quit_now]))
            keep = ~quit_now
            p_id, p_free, p_depth, p_quit = p_id[keep], p_free[keep], p_depth[keep], p_quit[keep]
        srt = np.lexsort((p_id, p_free))
        p_id, p_free, p_depth, p_quit = p_id[srt], p_free[srt], p_depth[srt], p_quit[srt]
        # greedy monotone matching: k-th available mentor takes the first free
        # duo on or after the day they become available
        s = np.searchsorted(g_days, p_free, side="left")
        k = np.arange(len(s))
        slot = np.maximum.accumulate(s - k) + k if len(s) else s
        taken = slot < len(group)
        mentors_here = np.full(len(group), -1, np.int64)
        depth_here = np.zeros(len(group), np.int64)
        mentors_here[slot[taken]] = p_id[taken]
        depth_here[slot[taken]] = p_depth[taken]
        new = mentors_here < 0
        n_new = int(new.sum())
        mentors_here[new] = np.arange(mentor_count, mentor_count + n_new)
        mentor_count += n_new
        mentor_branch.append(np.full(n_new, b, np.int64))
        mentor_first_duo.append(group[new])
        depth_here += 1
        duo_mentor[group] = mentors_here
        depth_of_duo[group] = depth_here
        # who continues after this duo
        reason = life.reason[group]
        p_cont = np.where(depth_here == 1, 0.94, 0.74)
        p_cont = np.where(reason == R_MENTOR_WD, 0.15, p_cont)
        p_cont = np.where(reason == R_MISMATCH, p_cont * 0.9, p_cont)
        cont = u_continue[group] < p_cont
        chain_end[group[~cont]] = 1
        free = life.ended[group] + rest_days[group]
        keep = ~taken
        pool[b] = (np.concatenate([p_id[keep], mentors_here[cont]]),
                   np.concatenate([p_free[keep], free[cont]]),
                   np.concatenate([p_depth[keep], depth_here[cont]]),
                   np.concatenate([p_quit[keep], free[cont] + wait_limit[group[cont]]]))
    quit_ids = np.concatenate([g[0] for g in gave_up]) if gave_up else np.zeros(0, np.int64)
    quit_days = np.concatenate([g[1] for g in gave_up]) if gave_up else np.zeros(0, np.int64)
    return (duo_mentor, depth_of_duo, chain_end, np.concatenate(mentor_branch),
            np.concatenate(mentor_first_duo), quit_ids, quit_days)


# --------------------------------------------------------------------------
# People attributes
# --------------------------------------------------------------------------

def country_codes(rng: np.random.Generator, applied: np.ndarray) -> np.ndarray:
    """Origin country index into COUNTRIES, following the arrival waves."""
    year = civil(applied)[0]
    out = np.zeros(len(applied), np.int64)
    idx = {c: i for i, c in enumerate(COUNTRIES)}
    for y in np.unique(year):
        w = COUNTRY_BASE.copy()
        if 2016 <= y <= 2020:
            w[idx["SY"]] *= 2.2
            w[idx["ER"]] *= 1.8
        if 2016 <= y <= 2018 or y >= 2022:
            w[idx["AF"]] *= 1.8
        if y >= 2022:
            w[idx["UA"]] *= 7
        sel = year == y
        out[sel] = pick(rng, w, int(sel.sum()))
    return out


def names_for(rng: np.random.Generator, gender: np.ndarray, pools: list[list[str]]):
    """(pool of all names, code per person) with names drawn by gender."""
    all_names = [n for p in pools for n in p]
    offsets = np.cumsum([0] + [len(p) for p in pools])
    sizes = np.array([len(p) for p in pools])
    code = offsets[gender] + np.floor(rng.random(len(gender)) * sizes[gender]).astype(np.int64)
    return all_names, code


def mentee_table(seed: int, branch: np.ndarray, life: DuoLife, duo_mentee: np.ndarray,
                 is_rematch: np.ndarray, n_primary: int) -> dict:
    """Every applicant: the mentees of duos plus those never matched."""
    rng = stream(seed, "mentees")
    first_duo = np.full(n_primary, -1, np.int64)
    prim = np.nonzero(~is_rematch)[0]
    first_duo[duo_mentee[prim]] = prim
    m_matched = life.matched[first_duo]
    m_branch = branch[first_duo]
    q = quality_dip(m_matched)
    # intake interview, then a mentor with a similar profile within about a month
    days_to_match = np.round(7 + rng.gamma(5.0, 3.2, n_primary) * (1 + 0.75 * q)).astype(np.int64)
    tail = rng.random(n_primary) < 0.06 + 0.1 * q
    days_to_match[tail] += uniform_days(rng, 15, 70, int(tail.sum()))
    applied = m_matched - days_to_match
    interviewed = applied + uniform_days(rng, 2, np.minimum(14, days_to_match - 3), n_primary)
    decision = np.zeros(n_primary, np.int64)  # eligible
    withdrawn = np.full(n_primary, NODATE)
    # eligibility exceptions a staff member accepted (rare): 31, EU, not registered
    exception = pick(rng, [97.6, 1.0, 0.6, 0.8], n_primary)

    # applicants never matched: ineligible, withdrew after intake, no-shows
    n_extra = int(round(n_primary * 0.36))
    src = rng.integers(0, n_primary, n_extra)
    x_applied = applied[src] + rng.integers(-12, 13, n_extra)
    x_branch = m_branch[src]
    x_type = pick(rng, [35, 35, 30], n_extra)  # 0 ineligible, 1 withdrew, 2 no-show
    x_interviewed = np.where(x_type == 2, NODATE, x_applied + uniform_days(rng, 2, 16, n_extra))
    x_decision = np.where(x_type == 0, 1, np.where(x_type == 1, 0, -1))
    x_withdrawn = np.full(n_extra, NODATE)
    sel = x_type == 1
    x_withdrawn[sel] = x_interviewed[sel] + uniform_days(rng, 5, 60, int(sel.sum()))
    sel = x_type == 2
    x_withdrawn[sel] = x_applied[sel] + uniform_days(rng, 10, 40, int(sel.sum()))
    # most rejected applicants break a rule; some are turned down for other reasons
    x_exception = np.where(x_type == 0, pick(rng, [30, 25, 15, 30], n_extra),
                           pick(rng, [97, 1, 1, 1], n_extra))

    applied = np.concatenate([applied, x_applied])
    n = len(applied)
    mt = {
        "branch": np.concatenate([m_branch, x_branch]),
        "applied": applied,
        "interviewed": np.concatenate([interviewed, x_interviewed]),
        "decision": np.concatenate([decision, x_decision]),
        "withdrawn": np.concatenate([withdrawn, x_withdrawn]),
    }
    exception = np.concatenate([exception, x_exception])
    # most applicants are in their mid-twenties; the rule is 18-30 at application
    age = 18 + pick(rng, [2, 3, 4, 6, 8, 9, 10, 10, 10, 9, 8, 7, 6], n)
    over = exception == 1
    age[over] = 31 + (rng.random(int(over.sum())) < 0.25)
    mt["birth"] = birth_for_age(applied, age, rng)
    gender = pick(rng, [41, 58, 1], n)
    mt["gender"] = gender
    country = country_codes(rng, applied)
    eu = exception == 2
    country_pool = COUNTRIES + EU_EXCEPTION_COUNTRIES
    country[eu] = len(COUNTRIES) + pick(rng, [4, 3, 2, 2, 1, 1], int(eu.sum()))
    mt["country"] = (country_pool, country)
    mt["education"] = pick(rng, [5, 15, 50, 30], n)
    mt["education"][rng.random(n) < 0.03] = -1
    mt["registered"] = np.where(exception == 3, 0, 1).astype(np.int8)
    sector = pick(rng, SECTOR_WEIGHTS, n)
    sector[rng.random(n) < 0.08] = -1
    mt["sector"] = sector
    mt["names"] = names_for(rng, gender, [MENTEE_NAMES_F, MENTEE_NAMES_M, MENTEE_NAMES_X])
    mt["name_missing"] = rng.random(n) < 0.01
    return mt


def mentor_table(seed: int, life: DuoLife, duo_mentor: np.ndarray, chain_end: np.ndarray,
                 m_branch: np.ndarray, m_first_duo: np.ndarray, quit_ids: np.ndarray,
                 quit_days: np.ndarray) -> dict:
    rng = stream(seed, "mentor-attributes")
    n_chain = len(m_branch)
    first_match = life.matched[m_first_duo]
    first_start = np.where(life.first_meeting[m_first_duo] == NODATE, first_match + 10,
                           life.first_meeting[m_first_duo])
    q = quality_dip(first_match)
    # recruited ahead of the first duo (mentor recruitment began in autumn 2012)
    applied = np.maximum(first_match - uniform_days(rng, 25, 100, n_chain),
                         day("2012-10-01") + uniform_days(rng, 0, 60, n_chain))
    interviewed = applied + uniform_days(rng, 4, 14, n_chain)
    # the 4-day training: usually just before or soon after the first meeting
    training = np.maximum(first_start - uniform_days(rng, -20, 35, n_chain), interviewed + 3)
    late = rng.random(n_chain) < 0.03 + 0.06 * q
    training[late] = first_start[late] + uniform_days(rng, 35, 120, int(late.sum()))
    untrained = rng.random(n_chain) < 0.012 + 0.02 * q
    training[untrained] = NODATE

    # left the pool: after the last duo of a mentor who stops, or after waiting too long
    left = np.full(n_chain, NODATE)
    last_duo = np.full(n_chain, -1, np.int64)
    ends = np.nonzero(chain_end == 1)[0]
    last_duo[duo_mentor[ends]] = ends
    has_end = last_duo >= 0
    left[has_end] = life.ended[last_duo[has_end]] + uniform_days(rng, 3, 60, int(has_end.sum()))
    left[quit_ids] = quit_days

    # applicants who never mentored: dropped out after intake or training, or still new
    n_extra = int(round(n_chain * 0.10))
    src = rng.integers(0, n_chain, max(n_chain, 1), dtype=np.int64)[:n_extra]
    x_applied = applied[src] + rng.integers(-20, 21, n_extra)
    x_interviewed = np.where(rng.random(n_extra) < 0.85, x_applied + uniform_days(rng, 4, 20, n_extra), NODATE)
    x_training = np.where((x_interviewed != NODATE) & (rng.random(n_extra) < 0.4),
                          x_interviewed + uniform_days(rng, 10, 50, n_extra), NODATE)
    x_left = x_applied + uniform_days(rng, 30, 220, n_extra)
    x_left = np.where(x_training != NODATE, np.maximum(x_left, x_training + uniform_days(rng, 5, 60, n_extra)), x_left)
    x_left[rng.random(n_extra) < 0.05] = NODATE  # still in the pool, somehow never matched

    applied = np.concatenate([applied, x_applied])
    n = len(applied)
    mr = {
        "branch": np.concatenate([m_branch, m_branch[src]]),
        "applied": applied,
        "interviewed": np.concatenate([interviewed, x_interviewed]),
        "training": np.concatenate([training, x_training]),
        "left": np.concatenate([left, x_left]),
    }
    age = np.round(rng.triangular(50, 59, 73, n)).astype(np.int64).clip(50, 72)
    younger = rng.random(n) < 0.005  # a rare younger mentor (an eligibility exception)
    age[younger] = rng.integers(46, 50, int(younger.sum()))
    mr["birth"] = birth_for_age(applied, age, rng)
    gender = pick(rng, [40, 59, 1], n)
    mr["gender"] = gender
    sector = pick(rng, MENTOR_SECTOR_WEIGHTS, n)
    sector[rng.random(n) < 0.04] = -1
    mr["sector"] = sector
    p_status = np.column_stack([
        np.where(age < 60, 0.62, np.where(age < 65, 0.45, 0.05)),   # early_retired
        np.where(age < 60, 0.05, np.where(age < 65, 0.35, 0.88)),   # retired
        np.where(age < 60, 0.28, np.where(age < 65, 0.14, 0.03)),   # employed
        np.full(n, 0.05)])                                           # other
    status = pick_rows(rng, p_status)
    status[rng.random(n) < 0.02] = -1
    mr["status"] = status
    mr["names"] = names_for(rng, gender, [MENTOR_NAMES_F, MENTOR_NAMES_M, MENTOR_NAMES_X])
    mr["name_missing"] = rng.random(n) < 0.01
    return mr


# --------------------------------------------------------------------------
# Staff: coordinators follow the caseload (and lag behind it in 2019)
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Meetings and check-ins: generated step by step, vectorised over duos
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Outcomes: exit status by end reason, then a Markov walk through follow-ups
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Money: monthly costs by branch and category, funding by funder
# --------------------------------------------------------------------------

def costs(seed: int, scale: float, staff: dict, mentors: dict, life: DuoLife, branch: np.ndarray):
    """Monthly cost rows per branch and category, plus ``central`` shared costs.

    Staff costs follow the staff table (fte x days worked x a loaded monthly
    cost, indexed 2.2% a year); training follows the mentors trained that
    month; events, office and small running costs follow the branch's size.
    Calibrated to about EUR 1,300-1,500 per realized duo in steady years.
    """
    rng = stream(seed, "costs")
    months = np.arange(month_of(np.array([day("2013-01-01")]))[0], month_of(np.array([END]))[0] + 1)
    first = month_start(months)
    last = month_start(months + 1)  # exclusive
    days_in = (last - first).astype(float)
    years = months // 12 + 1970
    index = 1.022 ** (years - 2013)  # wage indexation
    active = active_by_branch_month(branch, life, months)
    rows = []  # (month, branch name, category, amount)

    start = staff["start"][:, None]
    left = np.where(staff["left"] == NODATE, 10**9, staff["left"])[:, None]
    worked = np.clip(np.minimum(left, last[None, :]) - np.maximum(start, first[None, :]), 0, None) / days_in
    monthly_cost = np.array([3300.0, 4400.0, 3700.0])[staff["role"]] * staff["fte"]
    staff_cost = worked * monthly_cost[:, None] * index[None, :]
    trained = mentors["training"]
    trained_month = np.where(trained == NODATE, -1, month_of(np.where(trained == NODATE, 0, trained)))

    total_branch = np.zeros(len(months))
    for b in range(len(BRANCHES)):
        is_open = first >= month_start(month_of(np.array([BRANCH_OPENS[b]])))[0] - 31
        coord = (staff["branch"] == b) & (staff["role"] < 2)
        pay = staff_cost[coord].sum(axis=0)
        b_month = trained_month[(mentors["branch"] == b) & (trained_month >= months[0])
                                & (trained_month <= months[-1])]
        n_trained = np.bincount(b_month - months[0], minlength=len(months))
        training = n_trained * 210 * index * rng.uniform(0.9, 1.1, len(months))
        quarter_end = (months % 3) == 2
        events = np.where(quarter_end, rng.uniform(700, 2200, len(months)) * (0.3 + active[b] / 250), 0) * index
        fte = (staff_cost[coord] > 0).astype(float).T @ staff["fte"][coord]
        # rent and running costs of the office grow with its team
        overhead = (150 * max(scale, 0.05) + 300 * fte) * index * rng.uniform(0.95, 1.05, len(months))
        other = active[b] * 7.5 * index * rng.uniform(0.8, 1.2, len(months))  # travel passes, coffee
        for cat, values in enumerate([pay, training, events, overhead, other]):
            values = np.where(is_open, values, 0)
            total_branch += values
            for i in np.nonzero(is_open)[0]:
                rows.append((int(months[i]), BRANCHES[b], cat, round(float(values[i]), 2)))
    # shared costs: central staff, accounting/IT/insurance, the yearly celebration
    central_pay = staff_cost[staff["role"] == 2].sum(axis=0)
    central_overhead = (0.06 * total_branch + 900 * max(scale, 0.05)) * rng.uniform(0.9, 1.1, len(months))
    celebration = np.where(months % 12 == 5, 4500 * max(scale, 0.05) * index, 0)
    for cat, values in [(0, central_pay), (3, central_overhead), (2, celebration)]:
        for i in np.nonzero(values > 0)[0]:
            rows.append((int(months[i]), "central", cat, round(float(values[i]), 2)))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


PUBLIC_OFFICE = "Brussels Regional Employment Office"
REGIONAL_PUBLIC = {1: "Flemish Employment Agency", 2: "Walloon Employment Office", 3: "Flemish Employment Agency"}
EU_FUNDERS = [("European Social Fund 2014-2020", 2016, 2022), ("ESF+ Brussels programme", 2022, 2026)]
FOUNDATIONS = [("Fondation Horizon Solidaire", 2013, 2026), ("Stichting Nieuwe Kansen", 2015, 2026),
               ("Lumen Foundation", 2018, 2026), ("Fonds Passerelle", 2020, 2026),
               ("Brightstar Family Trust", 2022, 2026)]
CORPORATES = [("Atlas Logistics", 2013, 2026), ("Nordbank Community Fund", 2014, 2026),
              ("Vermeulen Construct", 2017, 2026), ("Brightline Telecom", 2019, 2026),
              ("Delta Insurance Group", 2021, 2026)]
EARNED = "Corporate volunteering workshops"
FUNDING_MIX = {  # public, eu, foundation, corporate, individual, earned
    2013: [0.00, 0.00, 0.55, 0.40, 0.05, 0.00],
    2014: [0.62, 0.00, 0.24, 0.11, 0.03, 0.00],
    2015: [0.72, 0.00, 0.14, 0.10, 0.04, 0.00],
    2016: [0.70, 0.05, 0.12, 0.09, 0.04, 0.00],
    2017: [0.68, 0.06, 0.12, 0.10, 0.04, 0.00],
    2018: [0.50, 0.15, 0.17, 0.13, 0.04, 0.01],
}
LATER_MIX = [0.38, 0.19, 0.21, 0.14, 0.05, 0.03]


def funding(seed: int, cost_rows: list, life: DuoLife):
    """Money received, roughly covering each year's costs.

    The public employment office dominates at first (an outcome-based
    contract 2014-2017, paid quarterly after the duos realized); from 2018 the
    mix spreads over regional public money, EU funds, foundations, companies,
    many small individual gifts (invented donors, most for the whole
    programme) and some earned income.
    """
    rng = stream(seed, "funding")
    rows = []  # (day, funder, type, amount, branch or "")
    cost_by_year: dict[int, float] = {}
    for m, _b, _c, amount in cost_rows:
        y = int(m // 12 + 1970)
        cost_by_year[y] = cost_by_year.get(y, 0.0) + amount
    realized = life.first_meeting[(life.first_meeting != NODATE) & (life.first_meeting <= END)]
    donors = [f"{f} {i}." for f in DONOR_FIRST for i in DONOR_INITIALS]
    donor_order = rng.permutation(len(donors))
    types = ["public", "eu", "foundation", "corporate", "individual", "earned"]

    def paid(y: int, n: int) -> np.ndarray:
        """n payment days spread through year y (not after END)."""
        lo, hi = day(f"{y}-01-10"), min(day(f"{y}-12-20"), END - 1)
        slots = lo + (np.arange(n) + rng.uniform(0.1, 0.9, n)) * (hi - lo) / n
        return np.floor(slots).astype(np.int64)

    for y in sorted(cost_by_year):
        target = cost_by_year[y] * rng.uniform(0.97, 1.08)
        if y == 2026:  # half a year of costs, grants often paid early
            target *= 1.1
        mix = FUNDING_MIX.get(y, LATER_MIX)
        for t, share in enumerate(mix):
            amount = target * share
            if amount <= 0:
                continue
            if t == 0:  # public money
                if 2014 <= y <= 2017:
                    # outcome-based contract: paid each quarter for the duos realized in it
                    q_days = [day(f"{y}-{mm:02d}-01") for mm in (1, 4, 7, 10)] + [day(f"{y + 1}-01-01")]
                    done = np.diff(np.searchsorted(np.sort(realized), q_days))
                    split = (done + 1) / (done + 1).sum()
                    for qi in range(4):
                        rows.append((q_days[qi + 1] + 20 if qi < 3 else day(f"{y}-12-18"),
                                     PUBLIC_OFFICE, t, amount * split[qi], "Brussels"))
                else:
                    regional = [b for b in (1, 2, 3) if day(f"{y}-12-31") > BRANCH_OPENS[b] + 180]
                    parts = {"": 0.25, "Brussels": 0.75} if y >= 2018 else {"Brussels": 1.0}
                    if regional:
                        parts["Brussels"] -= 0.25
                        for b in regional:
                            parts[BRANCHES[b]] = 0.25 / len(regional)
                    for br, sh in parts.items():
                        funder = PUBLIC_OFFICE if br in ("Brussels",) else (
                            "Brussels-Capital Region Social Cohesion" if br == "" else REGIONAL_PUBLIC[BRANCHES.index(br)])
                        days = paid(y, 2)
                        for dd in days:
                            rows.append((dd, funder, t, amount * sh / 2, br))
            elif t in (1, 2, 3):
                pool = {1: EU_FUNDERS, 2: FOUNDATIONS, 3: CORPORATES}[t]
                funders = [f for f, a, b in pool if a <= y <= b]
                w = rng.dirichlet(np.full(len(funders), 3.0))
                for f, share_f in zip(funders, w):
                    n_pay = 2 if t == 1 else int(rng.integers(1, 3))
                    br = "" if rng.random() < 0.7 else BRANCHES[int(rng.integers(0, 1 + (3 if y >= 2019 else 0)))]
                    for dd in paid(y, n_pay):
                        rows.append((dd, f, t, amount * share_f / n_pay, br))
            elif t == 4:
                # many small gifts; a loyal core gives again and again
                gifts = np.exp(rng.normal(np.log(60), 0.9, max(1, int(amount / 95))))
                n = len(gifts)
                lo, hi = day(f"{y}-01-01"), min(day(f"{y}-12-31"), END)
                when = lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)
                # end-of-year giving (not in the half year before the snapshot day)
                december = (rng.random(n) < 0.25) & (day(f"{y}-12-01") <= hi)
                when[december] = np.minimum(day(f"{y}-12-01") + rng.integers(0, 31, int(december.sum())), hi)
                pool_size = max(20, int(len(donors) * min(1.0, 0.15 + 0.1 * (y - 2013))))
                who = np.minimum(np.floor(rng.pareto(1.2, n) * pool_size / 8), pool_size - 1).astype(np.int64)
                # a few donors earmark their gift for a branch; most give to the whole programme
                earmark = rng.random(n) < 0.15
                gift_branch = rng.integers(0, 4 if y >= 2019 else 1, n)
                names = [donors[i] for i in donor_order[who % len(donors)]]
                branch_names = [BRANCHES[b] if em else "" for b, em in zip(gift_branch.tolist(), earmark.tolist())]
                rows.extend(zip(when.tolist(), names, [t] * n, np.maximum(gifts, 5.0).tolist(), branch_names))
            else:
                for dd in paid(y, 4):
                    rows.append((dd, EARNED, t, amount / 4, ""))
    rows = [(int(d), f, types[t], round(float(a), 2), br) for d, f, t, a, br in rows if d <= END]
    rows.sort()
    return rows


# --------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# CSV writing (pyarrow, chunked, byte-deterministic)
# --------------------------------------------------------------------------

CHUNK = 1_000_000
Column = Callable[[int, int], pa.Array]


def id_col(prefix: str, numbers: np.ndarray, width: int) -> Column:
    def build(s: int, e: int) -> pa.Array:
        digits = pc.utf8_lpad(pc.cast(pa.array(numbers[s:e]), pa.string()), width=width, padding="0")
        return pc.binary_join_element_wise(prefix, digits, "")
    return build


def ref_col(prefix: str, numbers: np.ndarray, width: int) -> Column:
    """An id column with empty cells where number < 0."""
    def build(s: int, e: int) -> pa.Array:
        v = numbers[s:e]
        ids = id_col(prefix, np.where(v < 0, 0, v), width)(0, len(v))
        return pc.if_else(pa.array(v < 0), pa.scalar(None, pa.string()), ids)
    return build


def date_col(days: np.ndarray) -> Column:
    def build(s: int, e: int) -> pa.Array:
        v = days[s:e]
        missing = v == NODATE
        return pa.array(np.where(missing, 0, v).astype(np.int32), type=pa.int32(),
                        mask=missing).cast(pa.date32())
    return build


def cat_col(pool: list[str], codes: np.ndarray) -> Column:
    dictionary = pa.array(pool, pa.string())

    def build(s: int, e: int) -> pa.Array:
        v = codes[s:e]
        return pc.take(dictionary, pa.array(np.where(v < 0, 0, v), mask=v < 0))
    return build


def bool_col(codes: np.ndarray) -> Column:
    return cat_col(["false", "true"], codes)


def int_col(values: np.ndarray) -> Column:
    """Integers; negative means empty."""
    def build(s: int, e: int) -> pa.Array:
        v = values[s:e]
        return pc.cast(pa.array(v, mask=v < 0), pa.string())
    return build


def fmt_number(x: float) -> str:
    """Plain decimal without thousands separator: 2, 2.5, 1234.56 (never 1e+06)."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0")


def list_col(values: list) -> Column:
    arr = pa.array([None if v is None or v == "" else str(v) for v in values], pa.string())
    return lambda s, e: arr.slice(s, e - s)


def write_csv(path: Path, n_rows: int, columns: dict[str, Column]) -> int:
    names = list(columns)
    options = pacsv.WriteOptions(quoting_style="none", quoting_header="none")
    schema = pa.schema([(n, pa.string()) for n in names])
    with pacsv.CSVWriter(path, schema, write_options=options) as writer:
        for s in range(0, max(n_rows, 1), CHUNK):
            e = min(n_rows, s + CHUNK)
            if e <= s:
                break
            arrays = [pc.cast(columns[n](s, e), pa.string()) for n in names]
            writer.write_table(pa.Table.from_arrays(arrays, names=names))
    return n_rows


def width_for(n: int) -> int:
    return max(6, len(str(max(n, 1))))


# --------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------

def generate_programme(out_dir: Path, seed: int = 2013, duos: int | None = None) -> dict[str, int]:
    """Write the ten record-format tables for a synthetic programme; return row counts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_duos = DEFAULT_DUOS if duos is None else int(duos)
    if n_duos < 1:
        raise ValueError("duos must be at least 1")
    branch, life, duo_mentee, is_rematch, n_primary = build_duos(seed, n_duos)
    scale = n_duos / DEFAULT_DUOS  # people and money grow with it

    (duo_mentor, _chain_depth, chain_end, m_branch, m_first_duo,
     quit_ids, quit_days) = assign_mentors(seed, branch, life)
    mentees = mentee_table(seed, branch, life, duo_mentee, is_rematch, n_primary)
    mentors = mentor_table(seed, life, duo_mentor, chain_end, m_branch, m_first_duo, quit_ids, quit_days)
    staff = staff_table(seed, scale, branch, life)
    coordinator = choose_assignable(stream(seed, "coordinators"), staff, branch, life.matched)
    coordinator[stream(seed, "coordinator-gaps").random(len(coordinator)) < 0.004] = -1
    trouble = open_trouble(seed, life)
    # a check-in with a missing coordinator falls back to a colleague
    ci_coord = np.where(coordinator < 0, choose_assignable(stream(seed, "ci"), staff, branch, life.matched),
                        coordinator)

    counts: dict[str, int] = {}
    E = END

    # ---- snapshot: keep what exists on END, blank what lies after it ----
    keep_duo = life.matched <= E
    duo_rows = np.nonzero(keep_duo)[0]  # already in id order (sorted by matched)
    duo_number = np.full(len(keep_duo), -1, np.int64)
    duo_number[duo_rows] = np.arange(1, len(duo_rows) + 1)

    # mentees: id order by application day
    keep_mt = mentees["applied"] <= E
    mt_rows = np.nonzero(keep_mt)[0]
    mt_rows = mt_rows[np.lexsort((mt_rows, mentees["applied"][mt_rows]))]
    mt_number = np.full(len(keep_mt), -1, np.int64)
    mt_number[mt_rows] = np.arange(1, len(mt_rows) + 1)
    w_mt = width_for(len(mt_rows))

    def blank_after(days):
        return np.where(days > E, NODATE, days)

    interviewed = blank_after(mentees["interviewed"])
    decision = np.where(interviewed == NODATE, -1, mentees["decision"])
    withdrawn = blank_after(mentees["withdrawn"])
    names_pool, name_code = mentees["names"]
    name_code = np.where(mentees["name_missing"], -1, name_code)
    country_pool, country_code = mentees["country"]
    r = mt_rows
    counts["mentees"] = write_csv(out_dir / "mentees.csv", len(r), {
        "mentee_id": id_col("ME", np.arange(1, len(r) + 1), w_mt),
        "branch": cat_col(BRANCHES, mentees["branch"][r]),
        "applied_on": date_col(mentees["applied"][r]),
        "interviewed_on": date_col(interviewed[r]),
        "decision": cat_col(DECISIONS, decision[r]),
        "withdrawn_on": date_col(withdrawn[r]),
        "birth_date": date_col(mentees["birth"][r]),
        "gender": cat_col(GENDERS, mentees["gender"][r]),
        "country_of_origin": cat_col(country_pool, country_code[r]),
        "education_level": cat_col(EDUCATION, mentees["education"][r]),
        "registered_jobseeker": bool_col(mentees["registered"][r]),
        "sector_sought": cat_col(SECTORS, mentees["sector"][r]),
        "first_name": cat_col(names_pool, name_code[r]),
    })

    # mentors
    keep_mr = mentors["applied"] <= E
    mr_rows = np.nonzero(keep_mr)[0]
    mr_rows = mr_rows[np.lexsort((mr_rows, mentors["applied"][mr_rows]))]
    mr_number = np.full(len(keep_mr), -1, np.int64)
    mr_number[mr_rows] = np.arange(1, len(mr_rows) + 1)
    w_mr = width_for(len(mr_rows))
    names_pool, name_code = mentors["names"]
    name_code = np.where(mentors["name_missing"], -1, name_code)
    r = mr_rows
    counts["mentors"] = write_csv(out_dir / "mentors.csv", len(r), {
        "mentor_id": id_col("MR", np.arange(1, len(r) + 1), w_mr),
        "branch": cat_col(BRANCHES, mentors["branch"][r]),
        "applied_on": date_col(mentors["applied"][r]),
        "interviewed_on": date_col(blank_after(mentors["interviewed"])[r]),
        "birth_date": date_col(mentors["birth"][r]),
        "gender": cat_col(GENDERS, mentors["gender"][r]),
        "former_sector": cat_col(MENTOR_SECTORS, mentors["sector"][r]),
        "work_status": cat_col(WORK_STATUS, mentors["status"][r]),
        "training_completed_on": date_col(blank_after(mentors["training"])[r]),
        "left_on": date_col(blank_after(mentors["left"])[r]),
        "first_name": cat_col(names_pool, name_code[r]),
    })

    # staff: id order by start day
    st_rows = np.lexsort((np.arange(len(staff["start"])), staff["start"]))
    st_number = np.full(len(st_rows), -1, np.int64)
    st_number[st_rows] = np.arange(1, len(st_rows) + 1)
    r = st_rows
    counts["staff"] = write_csv(out_dir / "staff.csv", len(r), {
        "staff_id": id_col("ST", np.arange(1, len(r) + 1), 4),
        "branch": cat_col(BRANCHES, staff["branch"][r]),
        "role": cat_col(ROLES, staff["role"][r]),
        "fte": list_col([fmt_number(x) for x in staff["fte"][r]]),
        "started_on": date_col(staff["start"][r]),
        "left_on": date_col(blank_after(staff["left"])[r]),
    })

    # duos
    r = duo_rows
    w_duo = width_for(len(r))
    first_meeting = blank_after(life.first_meeting)
    ended = blank_after(life.ended)
    reason = np.where(ended == NODATE, -1, life.reason)
    staff_first = np.where(first_meeting == NODATE, -1, life.staff_first)
    coord_num = np.where(coordinator < 0, -1, st_number[np.maximum(coordinator, 0)])
    counts["duos"] = write_csv(out_dir / "duos.csv", len(r), {
        "duo_id": id_col("D", duo_number[r], w_duo),
        "mentee_id": id_col("ME", mt_number[duo_mentee[r]], w_mt),
        "mentor_id": id_col("MR", mr_number[duo_mentor[r]], w_mr),
        "coordinator_id": ref_col("ST", coord_num[r], 4),
        "branch": cat_col(BRANCHES, branch[r]),
        "matched_on": date_col(life.matched[r]),
        "first_meeting_on": date_col(first_meeting[r]),
        "staff_at_first_meeting": bool_col(staff_first[r]),
        "ended_on": date_col(ended[r]),
        "end_reason": cat_col(END_REASONS, reason[r]),
    })

    # meetings
    m_duo, m_day, m_hours, m_mode = meetings(seed, life, trouble)
    n_meet = len(m_duo)
    hour_strings = [fmt_number(h / 2) for h in range(0, 25)]
    counts["meetings"] = write_csv(out_dir / "meetings.csv", n_meet, {
        "meeting_id": id_col("MT", np.arange(1, n_meet + 1), width_for(n_meet)),
        "duo_id": id_col("D", duo_number[m_duo], w_duo),
        "met_on": date_col(m_day),
        "hours": cat_col(hour_strings, np.round(m_hours * 2).astype(np.int64)),
        "mode": cat_col(MODES, m_mode.astype(np.int64)),
    })
    del m_duo, m_day, m_hours, m_mode

    # check-ins
    c_duo, c_day, c_staff, c_mentee, c_mentor, c_concern, c_note = check_ins(
        seed, life, trouble, ci_coord, branch, staff)
    n_ci = len(c_duo)
    c_staff_num = np.where(c_staff < 0, -1, st_number[np.maximum(c_staff, 0)])
    counts["check_ins"] = write_csv(out_dir / "check_ins.csv", n_ci, {
        "check_in_id": id_col("CI", np.arange(1, n_ci + 1), width_for(n_ci)),
        "duo_id": id_col("D", duo_number[c_duo], w_duo),
        "staff_id": ref_col("ST", c_staff_num, 4),
        "checked_on": date_col(c_day),
        "mentee_satisfaction": int_col(c_mentee),
        "mentor_satisfaction": int_col(c_mentor),
        "concern": bool_col(c_concern.astype(np.int64)),
        "note": cat_col(ROUTINE_NOTES + CONCERN_NOTES, c_note),
    })
    del c_duo, c_day, c_staff, c_mentee, c_mentor, c_concern, c_note

    # outcomes
    o_duo, o_stage, o_day, o_status, o_contract, o_sector = outcomes(seed, life, mentees["sector"], duo_mentee)
    n_out = len(o_duo)
    counts["outcomes"] = write_csv(out_dir / "outcomes.csv", n_out, {
        "outcome_id": id_col("OC", np.arange(1, n_out + 1), width_for(n_out)),
        "duo_id": id_col("D", duo_number[o_duo], w_duo),
        "stage": cat_col(STAGES, o_stage),
        "recorded_on": date_col(o_day),
        "status": cat_col(STATUSES, o_status),
        "contract": cat_col(CONTRACTS, o_contract),
        "sector": cat_col(SECTORS, o_sector),
    })

    # costs, funding, targets (small tables)
    kept_mentors = {k: (v[mr_rows] if isinstance(v, np.ndarray) else v) for k, v in mentors.items()}
    kept_mentors["training"] = blank_after(kept_mentors["training"])
    cost_rows = costs(seed, scale, staff, kept_mentors, life, branch)
    counts["costs"] = write_csv(out_dir / "costs.csv", len(cost_rows), {
        "month": list_col([str(np.datetime64(int(m), "M")) for m, *_ in cost_rows]),
        "branch": list_col([b for _, b, _, _ in cost_rows]),
        "category": list_col([COST_CATEGORIES[c] for _, _, c, _ in cost_rows]),
        "amount_eur": list_col([f"{a:.2f}" for *_, a in cost_rows]),
    })
    fund_rows = funding(seed, cost_rows, life)
    counts["funding"] = write_csv(out_dir / "funding.csv", len(fund_rows), {
        "received_on": list_col([str(np.datetime64(d, "D")) for d, *_ in fund_rows]),
        "funder": list_col([f for _, f, _, _, _ in fund_rows]),
        "funder_type": list_col([t for _, _, t, _, _ in fund_rows]),
        "amount_eur": list_col([f"{a:.2f}" for _, _, _, a, _ in fund_rows]),
        "branch": list_col([b for *_, b in fund_rows]),
    })
    target_rows = targets(life, branch)
    counts["targets"] = write_csv(out_dir / "targets.csv", len(target_rows), {
        "year": list_col([y for y, *_ in target_rows]),
        "branch": list_col([b for _, b, _, _ in target_rows]),
        "indicator": list_col([k for _, _, k, _ in target_rows]),
        "target": list_col([fmt_number(t) for *_, t in target_rows]),
    })
    return counts


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def _handle(args: argparse.Namespace) -> int:
    counts = generate_programme(Path(args.out), seed=args.seed, duos=args.duos)
    for table, n in counts.items():
        print(f"{table}: {n} rows")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "generate",
        help="write a synthetic programme (record-format CSV files)",
        description="Write a realistic synthetic mentoring programme as record-format CSV "
                    f"files, a snapshot on {END_DATE}. The same seed gives byte-identical files.",
    )
    p.add_argument("--out", required=True, help="folder to write the CSV files into")
    p.add_argument("--seed", type=int, default=2013, help="random seed (default 2013)")
    p.add_argument("--duos", type=int, default=None,
                   help=f"number of duos; scales the whole programme (default {DEFAULT_DUOS})")
    p.set_defaults(handler=_handle)
