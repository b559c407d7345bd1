"""The mentees and mentors tables: who applied, when, and who they are
(invented first names, birth dates giving the ages the eligibility rules
expect, origins following the arrival waves).

Mentees are those of the duos plus the applicants never matched (ineligible,
withdrawn, no-shows). Mentors are given to the duos month by month
(``assign_mentors``): a mentor who finishes a duo often takes another one,
which gives the published share of mentors starting a second duo.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import (birth_for_age, civil, month_of, month_start, pick, pick_rows, stream,
                                     uniform_days)
from analytics.sample.calibration import BRANCHES, END, NODATE, blank_after, day, quality_dip
from analytics.sample.codes import (DECISIONS, EDUCATION, GENDERS, MENTOR_SECTOR_WEIGHTS, MENTOR_SECTORS,
                                    R_MENTOR_WD, R_MISMATCH, SECTOR_WEIGHTS, SECTORS, WORK_STATUS)
from analytics.sample.columns import Ids, bool_col, cat_col, date_col, id_col, numbered, write_csv
from analytics.sample.duos import DuoLife


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


def applicant_ids(people: dict) -> Ids:
    """Those who applied by the snapshot day, numbered by application day."""
    rows = np.nonzero(people["applied"] <= END)[0]
    rows = rows[np.lexsort((rows, people["applied"][rows]))]
    return numbered(rows, len(people["applied"]))


def write_mentees(out_dir: Path, mentees: dict, ids: Ids) -> int:
    interviewed = blank_after(mentees["interviewed"])
    decision = np.where(interviewed == NODATE, -1, mentees["decision"])
    withdrawn = blank_after(mentees["withdrawn"])
    names_pool, name_code = mentees["names"]
    name_code = np.where(mentees["name_missing"], -1, name_code)
    country_pool, country_code = mentees["country"]
    r = ids.rows
    return write_csv(out_dir / "mentees.csv", len(r), {
        "mentee_id": id_col("ME", np.arange(1, len(r) + 1), ids.width),
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


def write_mentors(out_dir: Path, mentors: dict, ids: Ids) -> int:
    names_pool, name_code = mentors["names"]
    name_code = np.where(mentors["name_missing"], -1, name_code)
    r = ids.rows
    return write_csv(out_dir / "mentors.csv", len(r), {
        "mentor_id": id_col("MR", np.arange(1, len(r) + 1), ids.width),
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
