"""One colour per category and per figure, in the dashboard's charts and the
report's (analytics.text.categories / analytics.text.palette), and lines that
lie on top of each other still both show."""
from __future__ import annotations

from analytics.report import charts as report_charts
from analytics.report.common import formatter_for
from analytics.disclosure.suppression import Cell
from analytics.text import categories
from analytics.text.palette import NEUTRAL, OKABE_ITO, SEQUENCE
from ui import charts, labels, series


def _identity(text: str) -> str:
    return text


def test_a_positive_exit_has_one_colour_on_the_dashboard_and_in_the_report():
    green, blue = OKABE_ITO["bluish_green"], OKABE_ITO["blue"]
    shown = series.colours({"positive_exit_rate": "Positive", "job_exit_rate": "Job"})
    assert shown == {"Positive": green, "Job": blue}
    spec = charts.line(["Q1"], {"Job": [0.3], "Positive": [0.5]}, title="t", x_title="x", y_title="y",
                       colours=shown)
    assert {t["name"]: t["line"]["color"] for t in spec["data"]} == {"Job": blue, "Positive": green}
    cells = [Cell(0.5)]
    fig = report_charts.exit_rates_trend("t", ["Q1"], ["Q1"], cells, cells, _identity, formatter_for("en"))
    assert {t.name: t.line.color for t in fig.data} == {"Positive exit rate": green, "Job exit rate": blue}


def test_funder_types_have_their_category_colour_in_both():
    codes = ["public", "foundation"]
    frame = __import__("pandas").DataFrame({"funder_type": codes})
    dashboard = series.category_colours(frame, "funder_type", labels.label)
    report = report_charts.funding_mix("t", ["Public", "Foundation"], [0.4, 0.6], _identity, formatter_for("en"),
                                       codes=codes).data[0].marker.color
    assert list(dashboard.values()) == list(report) == [categories.FUNDER_TYPE.colour(c) for c in codes]


def test_branches_keep_their_colour_whatever_a_chart_shows():
    # colours by name order over every branch of the data set; central grey
    got = categories.branch_colours(["Ghent", "Antwerp", "central", "Brussels"])
    assert got == {"Antwerp": SEQUENCE[0], "Brussels": SEQUENCE[1], "Ghent": SEQUENCE[2], "central": NEUTRAL}


def test_equal_lines_are_told_apart_by_dash_and_marker():
    spec = charts.line(["Q1", "Q2"], {"Active duos": [5, 6], "Active mentors": [5, 6]},
                       title="t", x_title="x", y_title="y")
    first, second = spec["data"]
    assert first["line"]["dash"] != second["line"]["dash"]
    assert first["marker"]["symbol"] != second["marker"]["symbol"]


def test_the_funnel_steps_are_words_not_registry_keys():
    assert labels.label("funnel_applied", "step") == "Applied"
    assert labels.label("funnel_positive_exit", "step") == "Positive exit"
    assert all(not categories.FUNNEL_STEP.label(v).startswith("Funnel") for v in categories.FUNNEL_STEP.values)
