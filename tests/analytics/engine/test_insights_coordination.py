"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: what coordinators use: the follow-up worklist, a duo's timeline, quality
under growth and the coordinators' caseloads.

Every expected value below is worked out by hand from the rows written next
to it (the working is in the comments); the worked example
tests/fixtures/tiny (working in its README) serves where its edges help.
Where a figure is a handbook key, the test also checks it agrees with the
engine. Data sets are built with ``helpers.make_con`` (the data contract).
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import insights
from analytics.engine.query import Query
from tests.analytics.engine.helpers import D, H1, TINY, load_folder, records


# ------------------------------------------------------------------ follow-up worklist
WORKLIST_COLUMNS = ["duo_id", "branch", "coordinator_id", "task", "due_on", "days_overdue"]


def test_followup_worklist(tiny):
    # A = 2024-06-30, horizon 30 -> due on or before 07-30. Ended realized duos: D1 (05-20, exit
    # O1; 3 months due 08-19: later), D3 (06-10, exit O2/O3; 3 months 09-09), D11 (04-10, exit
    # O6; 3 months 04-10 + 91 = 07-10: due in 10 days), D9 (2023-06-25: no exit -> 366 + 5 = 371
    # days overdue; 3 months 09-24 -> 280; 6 months 12-24 -> 189; 12 months recorded (O4/O5)),
    # D10 (2023-07-05: no exit -> 361; 3 months 10-04 -> 270; 6 months 2024-01-03 -> 179;
    # 12 months 2024-07-04 -> due in 4 days). D7 ends 07-08, after A: still open.
    frame = insights.followup_worklist(tiny, H1)
    assert list(frame.columns) == WORKLIST_COLUMNS + ["ended_on"]
    assert records(frame, WORKLIST_COLUMNS) == [
        ("D9", "West", "ST2", "exit_outcome", D("2023-06-25"), 371),
        ("D10", "East", "ST1", "exit_outcome", D("2023-07-05"), 361),
        ("D9", "West", "ST2", "followup_3m", D("2023-09-24"), 280),
        ("D10", "East", "ST1", "followup_3m", D("2023-10-04"), 270),
        ("D9", "West", "ST2", "followup_6m", D("2023-12-24"), 189),
        ("D10", "East", "ST1", "followup_6m", D("2024-01-03"), 179),
        ("D10", "East", "ST1", "followup_12m", D("2024-07-04"), -4),
        ("D11", "East", "ST1", "followup_3m", D("2024-07-10"), -10),
    ]
    # East only
    east = Query(H1.as_of, H1.period_from, H1.period_to, ("East",))
    assert insights.followup_worklist(tiny, east)["duo_id"].tolist() == ["D10"] * 4 + ["D11"]
    # no horizon: only what is due by A; at most 200 days overdue
    got = insights.followup_worklist(tiny, H1, horizon_days=0, max_overdue_days=200)
    assert records(got, ["duo_id", "task", "days_overdue"]) == [
        ("D9", "followup_6m", 189), ("D10", "followup_6m", 179)]
    # without outcomes, no task fires (as an at-risk rule that needs an absent table)
    assert insights.followup_worklist(load_folder(TINY, without=("outcomes",)), H1).empty


# ------------------------------------------------------------------ timeline
def test_duo_timeline(tiny):
    # D2 as of 06-30: matched 03-02, first meeting 03-10 with MT06 (1 h), check-ins C2 and C3
    # on 05-17 (by id), meetings MT08 06-03 and MT07 06-05 (by date, not by id)
    frame = insights.duo_timeline(tiny, "D2", D("2024-06-30"))
    assert records(frame, ["event_on", "event", "event_id", "hours"]) == [
        (D("2024-03-02"), "matched", "D2", None),
        (D("2024-03-10"), "first_meeting", "D2", None),
        (D("2024-03-10"), "meeting", "MT06", 1.0),
        (D("2024-05-17"), "check_in", "C2", None),
        (D("2024-05-17"), "check_in", "C3", None),
        (D("2024-06-03"), "meeting", "MT08", 0.5),
        (D("2024-06-05"), "meeting", "MT07", 1.5),
    ]
    assert records(frame.iloc[3:5], ["mentee_satisfaction", "mentor_satisfaction", "concern", "staff_id"]) == [
        (2, 4, None, "ST1"), (5, 5, False, "ST1")]
    assert frame["note"].isna().all()          # no notes unless asked
    notes = insights.duo_timeline(tiny, "D2", D("2024-06-30"), include_notes=True)["note"].tolist()
    assert notes[3:5] == ["first call", "second call same day"]
    # D7 as of 06-30: C6 (07-01), MT16 (07-10) and the end (07-08) are not known yet
    assert insights.duo_timeline(tiny, "D7", D("2024-06-30"))["event"].tolist() == [
        "matched", "first_meeting", "meeting"]
    frame = insights.duo_timeline(tiny, "D7", D("2024-07-10"))
    assert records(frame, ["event_on", "event", "end_reason"])[-3:] == [
        (D("2024-07-01"), "check_in", None), (D("2024-07-08"), "ended", "job_found"),
        (D("2024-07-10"), "meeting", None)]
    # D3: the tie O2/O3 both shown, as outcomes; the default as-of date is 2024-07-10
    frame = insights.duo_timeline(tiny, "D3")
    assert records(frame[frame["event"] == "outcome"], ["event_id", "stage", "status"]) == [
        ("O2", "exit", "training"), ("O3", "exit", "searching")]
    assert insights.duo_timeline(tiny, "D8", D("2024-05-01")).empty   # matched 05-20
    assert insights.duo_timeline(tiny, "nope").empty


# ------------------------------------------------------------------ quality under growth
def test_quality_under_growth(tiny):
    frame = insights.quality_under_growth(tiny, H1, grain="quarter")
    assert list(frame.columns) == ["period_from", "period_to", "duos_realized", "active_duos",
                                   *insights.QUALITY_KEYS]
    # Q1: realized D1, D2, D11; active on 03-31: D1, D2, D5, D11 -> 4; first duos matched in Q1:
    # D1 26, D2 30, D11 123, D3? no (04-01) -> median 30. Q2: D3, D7, D8; active on 06-30: 4.
    assert frame["duos_realized"].tolist() == [3, 3]
    assert frame["active_duos"].tolist() == [4, 4]
    assert frame["median_days_to_match"].tolist() == [30, 42.5]   # Q2: D3 31, D6 30, D7 54, D8 121
    series = engine.indicator_series(tiny, H1, grain="quarter")
    pd.testing.assert_frame_equal(frame, series[frame.columns.tolist()])
    by_branch = insights.quality_under_growth(tiny, H1, grain="quarter", by_branch=True)
    assert by_branch["branch"].tolist() == ["East", "West", "East", "West"]


# ------------------------------------------------------------------ coordinators
@pytest.mark.parametrize("branches, expected", [
    # d = 06-30: in post ST1 (East), ST3 (West, started on d); ST2 left on d (not in post) but
    # coordinates D4 (open, not started) and D5 (active). ST1: D2, D7 active; ST3: D8.
    ((), [("ST1", "East", True, 2, 2), ("ST2", "West", False, 1, 2), ("ST3", "West", True, 1, 1)]),
    (("East",), [("ST1", "East", True, 2, 2)]),
    (("West",), [("ST2", "West", False, 1, 2), ("ST3", "West", True, 1, 1)]),
    (("central",), []),
])
def test_coordinators(tiny, branches, expected):
    q = Query(H1.as_of, H1.period_from, H1.period_to, branches)
    frame = insights.coordinators(tiny, q)
    assert records(frame, ["coordinator_id", "branch", "is_in_post", "active_duos", "open_duos"]) == expected
    if expected:
        # the caseload of the coordinators in post is the handbook's active duos (no orphan duo here)
        assert frame["active_duos"].sum() == engine.indicators(tiny, q)["active_duos"]


def test_coordinators_without_staff():
    con = load_folder(TINY, without=("staff", "check_ins"))
    assert insights.coordinators(con, H1).empty
