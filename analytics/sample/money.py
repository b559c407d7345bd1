"""The costs and funding tables: what the programme spends, month by month,
per branch and category, and the money received, roughly covering each
year's costs (public money first, then a wider mix; invented funders and
donors).

Calibrated to about EUR 1,300-1,500 per realized duo in steady years.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from analytics.sample.arrays import month_of, month_start, stream
from analytics.sample.calibration import BRANCH_OPENS, BRANCHES, END, NODATE, day
from analytics.sample.codes import COST_CATEGORIES
from analytics.sample.columns import list_col, write_csv
from analytics.sample.duos import DuoLife
from analytics.sample.staff import active_by_branch_month


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

DONOR_FIRST = ["Anne", "Marc", "Sophie", "Luc", "Nathalie", "Pieter", "Hélène", "Karim", "Inès",
               "Tom", "Laura", "Bart", "Céline", "Wim", "Saïda", "Jonas", "Elise", "Olivier",
               "Marieke", "Yves", "Leen", "Fabrice", "Nadia", "Stijn", "Amélie", "Ruben"]
DONOR_INITIALS = list("ABCDEFGHJKLMNOPRSTVWZ")


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


def write_costs(out_dir: Path, cost_rows: list) -> int:
    return write_csv(out_dir / "costs.csv", len(cost_rows), {
        "month": list_col([str(np.datetime64(int(m), "M")) for m, *_ in cost_rows]),
        "branch": list_col([b for _, b, _, _ in cost_rows]),
        "category": list_col([COST_CATEGORIES[c] for _, _, c, _ in cost_rows]),
        "amount_eur": list_col([f"{a:.2f}" for *_, a in cost_rows]),
    })


def write_funding(out_dir: Path, fund_rows: list) -> int:
    return write_csv(out_dir / "funding.csv", len(fund_rows), {
        "received_on": list_col([str(np.datetime64(d, "D")) for d, *_ in fund_rows]),
        "funder": list_col([f for _, f, _, _, _ in fund_rows]),
        "funder_type": list_col([t for _, _, t, _, _ in fund_rows]),
        "amount_eur": list_col([f"{a:.2f}" for _, _, _, a, _ in fund_rows]),
        "branch": list_col([b for *_, b in fund_rows]),
    })
