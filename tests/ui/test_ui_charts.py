"""The chart helpers: every spec is valid plotly (validated here, since the app
skips validation for speed), has a title and axis titles, bars start at 0,
and the colours are the Okabe–Ito palette."""
import plotly.graph_objects as go
import pytest

from ui import charts
from ui.palette import OKABE_ITO, SEQUENCE

CATS = ["Q1 2024", "Q2 2024", "Q3 2024"]
BUILDERS = {
    "bar": lambda: charts.bar(CATS, {"East": [1, 2, 3], "West": [4, None, 6]}, stacked=True, title="T",
                              x_title="Quarter", y_title="Duos (count)", legend_title="Branch"),
    "line": lambda: charts.line(CATS, {"Rate": [0.1, 0.5, None]}, title="T", x_title="Quarter",
                                y_title="Share (%)", y_format=".0%", y_range=(0, 1.02)),
    "step": lambda: charts.step([], {"2024": ([0, 1, 2], [1.0, 0.9, 0.8])}, title="T", x_title="Weeks",
                                y_title="Share (%)", y_format=".0%"),
    "histogram": lambda: charts.histogram([1, 5, 40], title="T", x_title="Days", y_title="Mentees (count)",
                                          bin_size=7, marker=30, marker_label="30 days"),
    "funnel": lambda: charts.funnel(["Applied", "Matched"], [10, 4], ["10 · 100%", "4 · 40%"], title="T",
                                    x_title="Mentees (count)"),
    "volume_and_quality": lambda: charts.volume_and_quality(
        CATS, [3, 4, 5], {"Median days": [20, 22, 21]}, title="T", x_title="Quarter",
        volume_title="Duos (count)", quality_title="Days"),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_spec_is_valid_plotly_with_titles(name):
    spec = BUILDERS[name]()
    go.Figure(spec)                                       # raises on any invalid property
    layout = spec["layout"]
    assert layout["title"]["text"]
    assert layout["xaxis"]["title"]["text"] or layout.get("xaxis2", {}).get("title", {}).get("text") \
        or name == "funnel"
    assert layout["yaxis"]["title"]["text"] or name == "funnel"
    assert layout["colorway"] == SEQUENCE


@pytest.mark.parametrize("name", ["bar", "histogram", "volume_and_quality"])
def test_bars_start_at_zero(name):
    layout = BUILDERS[name]()["layout"]
    assert layout["yaxis"]["rangemode"] == "tozero"


def test_funnel_value_axis_starts_at_zero():
    assert BUILDERS["funnel"]()["layout"]["xaxis"]["rangemode"] == "tozero"


def test_palette_is_okabe_ito():
    assert set(SEQUENCE) == set(OKABE_ITO.values())
    spec = BUILDERS["bar"]()
    assert [t["marker"]["color"] for t in spec["data"]] == SEQUENCE[:2]


def test_figure_wraps_without_validation_and_keeps_gaps():
    fig = charts.figure(BUILDERS["line"]())
    assert fig.to_dict()["data"][0]["y"] == [0.1, 0.5, None]


def test_st_plotly_chart_sends_the_spec_as_written():
    """charts.figure relies on st.plotly_chart calling only to_dict() on a Figure."""
    import json

    from streamlit.testing.v1 import AppTest

    def app():
        from ui import charts as c

        c.show(c.bar(["a", "b"], {"East": [1, 2]}, title="Duos per quarter", x_title="Quarter",
                     y_title="Duos (count)"), help="A definition.")

    at = AppTest.from_function(app).run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Duos per quarter"
    assert spec["data"][0]["y"] == [1, 2]
    assert at.caption[0].value == "A definition."


def test_bands_are_shaded_behind_their_line():
    # a band is two traces (lower edge, upper edge filled down to it) before the line it belongs to
    from ui import charts as c

    spec = c.line(["Q1", "Q2"], {"In a job": [0.5, 0.6]}, title="t", x_title="x", y_title="y",
                  y_format=".0%", bands={"In a job": ([0.3, 0.4], [0.7, 0.8])})
    lower, upper, line = spec["data"]
    assert lower["y"] == [0.3, 0.4] and upper["y"] == [0.7, 0.8] and line["y"] == [0.5, 0.6]
    assert upper["fill"] == "tonexty" and not lower["showlegend"] and upper["fillcolor"].startswith("rgba(")
    spec = c.step([], {"2025": ([0, 3], [1.0, 0.5])}, title="t", x_title="x", y_title="y", y_format=".0%",
                  bands={"2025": ([1.0, 0.2], [1.0, 0.8])})
    assert [t["line"]["shape"] for t in spec["data"]] == ["hv", "hv", "hv"]
