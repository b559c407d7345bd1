"""Properties the indicators must have on any valid programme (hypothesis).

- every rate is in [0, 1];
- cumulative counts never decrease along a time series;
- summed over all branches, duos_matched, duos_realized and active_duos equal
  the unfiltered figures (each duo belongs to exactly one branch).
"""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.engine import query as engine
from analytics.engine.query import Query
from analytics.records.importer import open_dataset
from analytics.engine.registry import INDICATORS
from tests.conftest import write_programme

START = dt.date(2023, 1, 1)
AS_OF = dt.date(2024, 6, 30)
BRANCHES = ("Antwerp", "Brussels", "Ghent")
END_REASONS = ("completed", "job_found", "mentee_withdrew", "mismatch")


@st.composite
def programmes(draw):
    n_mentees = draw(st.integers(1, 12))
    mentees, duos, meetings = [], [], []
    for i in range(n_mentees):
        applied = START + dt.timedelta(days=draw(st.integers(0, 540)))
        decision = draw(st.sampled_from(["eligible", "ineligible", ""]))
        branch = draw(st.sampled_from(BRANCHES))
        mentees.append(f"M{i},{branch},{applied},{applied + dt.timedelta(days=2)},{decision},2000-01-01,SY,true")
        for _ in range(draw(st.integers(0, 2))):
            d = len(duos)
            matched = applied + dt.timedelta(days=draw(st.integers(0, 90)))
            first = draw(st.one_of(st.none(), st.integers(0, 30).map(lambda k: matched + dt.timedelta(days=k))))
            ended, reason = "", ""
            if draw(st.booleans()):
                ended = (first or matched) + dt.timedelta(days=draw(st.integers(0, 250)))
                reason = draw(st.sampled_from(END_REASONS))
            duos.append(f"D{d},M{i},R{draw(st.integers(0, 2))},{draw(st.sampled_from(BRANCHES))},"
                        f"{matched},{first or ''},{ended},{reason}")
            if first:
                meetings.append(f"MT{d},D{d},{first},2")
    return {
        "mentees": "\n".join(["mentee_id,branch,applied_on,interviewed_on,decision,birth_date,"
                              "country_of_origin,registered_jobseeker", *mentees]),
        "mentors": "mentor_id,branch,applied_on,birth_date\n" + "\n".join(
            f"R{r},{BRANCHES[r]},2022-01-01,1960-01-01" for r in range(3)),
        "duos": "\n".join(["duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason",
                           *duos]),
        "meetings": "\n".join(["meeting_id,duo_id,met_on,hours", *meetings]),
    }


def _open(tmp_path_factory, tables):
    con, result = open_dataset(write_programme(tmp_path_factory.mktemp("p"), tables))
    assert result.rejected_count == 0
    return con


PROPERTY_SETTINGS = settings(max_examples=25, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(tables=programmes())
def test_rates_are_shares(tmp_path_factory, tables):
    figures = engine.indicators(_open(tmp_path_factory, tables), Query(AS_OF))
    for key, entry in INDICATORS.items():
        if entry.unit == "rate" and figures.get(key) is not None:
            assert 0.0 <= figures[key] <= 1.0, key


@PROPERTY_SETTINGS
@given(tables=programmes())
def test_cumulative_counts_never_decrease(tmp_path_factory, tables):
    series = engine.indicator_series(_open(tmp_path_factory, tables), Query(AS_OF, START, AS_OF), grain="month")
    cumulative = list(series["duos_realized_cumulative"])
    assert cumulative == sorted(cumulative)


@PROPERTY_SETTINGS
@given(tables=programmes())
def test_branches_add_up_to_the_whole(tmp_path_factory, tables):
    con = _open(tmp_path_factory, tables)
    whole = engine.indicators(con, Query(AS_OF))
    parts = [engine.indicators(con, Query(AS_OF, branches=(b,))) for b in BRANCHES]
    for key in ("duos_matched", "duos_realized", "active_duos"):
        assert sum(p[key] for p in parts) == whole[key], key
    by_branch = engine.indicator_series(con, Query(AS_OF), grain="year", by_branch=True)
    assert by_branch["duos_realized"].sum() == whole["duos_realized"]
