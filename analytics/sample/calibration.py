"""What the synthetic programme is calibrated on: its calendar, its branches
and the published figures of the programme it imitates.

The realized-duo curve (335 by end 2015, ~2,400 by end 2019, ~6,000 by end
2023, then ~1,000 a year), the snapshot day, when each branch opened, the
2019 quality dip and the lockdowns' move to remote meetings are declared
here, so that the programme's shape is tuned in one file. ``DEFAULT_DUOS``,
the size of the bundled sample, follows from the curve.

Only numpy is imported: the command line reads ``END_DATE`` and
``DEFAULT_DUOS`` for its help without loading the CSV writer (pyarrow).
"""
from __future__ import annotations

import numpy as np

from analytics.sample.arrays import month_of, month_start


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


def blank_after(days: np.ndarray) -> np.ndarray:
    """A date array as the snapshot shows it: what lies after END is not known yet."""
    return np.where(days > END, NODATE, days)
