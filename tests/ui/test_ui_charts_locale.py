"""Chart axes write numbers as the session's locale does: its decimal and
thousands separators (plotly's layout `separators`) and its percent sign,
on the ticks and in the hover labels alike. French writes ``40 %`` (Babel's
fr_BE, as every other percentage of the dashboard), which d3's ``%`` cannot:
the values are then drawn in percent with the sign as tick suffix."""
import plotly.graph_objects as go
import pytest

from analytics.text.fmt import percent
from ui import charts, i18n

NBSP, NNBSP = "\u00a0", "\u202f"
CATS = ["Q1 2024", "Q2 2024", "Q3 2024"]


@pytest.fixture
def lang():
    def use(code: str) -> None:
        i18n.use_language(code)

    yield use
    i18n.use_language("en")


def _rate_line() -> dict:
    return charts.line(CATS, {"Rate": [0.1, 0.455, None]}, title="T", x_title="Quarter", y_title="Share (%)",
                       y_format=".0%", y_range=(0, 1.02))


@pytest.mark.parametrize("code, separators", [("en", ".,"), ("fr", "," + NNBSP), ("nl", ",.")])
def test_separators_are_the_locales(lang, code, separators):
    lang(code)
    assert _rate_line()["layout"]["separators"] == separators
    euros = charts.bar(CATS, {"East": [1234.5, 2000, 3000]}, title="T", x_title="Quarter", y_title="Euros (€)",
                       y_format=",.0f")
    assert euros["layout"]["separators"] == separators
    assert euros["layout"]["yaxis"]["tickformat"] == ",.0f"          # thousands grouped with the locale's sign


def test_french_percent_axis_has_the_sign_apart_on_ticks_and_hover(lang):
    lang("fr")
    spec = _rate_line()
    go.Figure(spec)                                                  # still valid plotly
    axis = spec["layout"]["yaxis"]
    suffix = percent(0.4, locale="fr_BE")[len("40"):]
    assert suffix == NBSP + "%"                                      # Babel's fr_BE, as fmt.percent writes
    assert axis["ticksuffix"] == suffix
    assert axis["tickformat"] == axis["hoverformat"] == ".0f"        # hover labels carry the tick suffix too
    assert "%" not in axis["tickformat"]
    assert axis["range"] == pytest.approx([0, 102])
    assert spec["data"][0]["y"][:2] == pytest.approx([10, 45.5])      # drawn in percent
    assert spec["data"][0]["y"][2] is None                           # gaps stay gaps


@pytest.mark.parametrize("code", ["en", "nl"])
def test_percent_axis_stays_d3_where_the_sign_follows_the_number(lang, code):
    lang(code)
    spec = _rate_line()
    axis = spec["layout"]["yaxis"]
    assert axis["tickformat"] == axis["hoverformat"] == ".0%"
    assert "ticksuffix" not in axis
    assert axis["range"] == [0, 1.02]
    assert spec["data"][0]["y"] == [0.1, 0.455, None]


def test_every_builder_with_a_rate_scales_values_and_axis_together_in_french(lang):
    lang("fr")
    step = charts.step([], {"2024": ([0, 1, 2], [1.0, 0.9, 0.8])}, title="T", x_title="Weeks",
                       y_title="Share (%)", y_format=".0%")
    assert step["data"][0]["y"] == pytest.approx([100, 90, 80])
    assert step["layout"]["yaxis"]["range"] == pytest.approx([0, 102])
    assert step["layout"]["yaxis"]["ticksuffix"] == NBSP + "%"

    bars = charts.bar(CATS, {"East": [0.5, 0.25, None]}, title="T", x_title="Quarter", y_title="Share (%)",
                      y_format=".0%")
    assert bars["data"][0]["y"][:2] == pytest.approx([50, 25])
    assert bars["layout"]["yaxis"]["ticksuffix"] == NBSP + "%"

    both = charts.volume_and_quality(CATS, [3, 4, 5], {"Rate": [0.2, 0.3, 0.4]}, title="T", x_title="Quarter",
                                     volume_title="Duos (count)", quality_title="Share (%)",
                                     quality_format=".0%", quality_range=(0, 1.02))
    go.Figure(both)
    assert both["data"][0]["y"] == [3, 4, 5]                          # the volume is a count: untouched
    assert both["data"][1]["y"] == pytest.approx([20, 30, 40])
    assert "ticksuffix" not in both["layout"]["yaxis"]
    assert both["layout"]["yaxis2"]["ticksuffix"] == NBSP + "%"
    assert both["layout"]["yaxis2"]["range"] == pytest.approx([0, 102])


def test_non_rate_formats_are_untouched_in_french(lang):
    lang("fr")
    score = charts.line(CATS, {"Score": [3.5, 4.0, 4.2]}, title="T", x_title="Quarter", y_title="Score (1–5)",
                        y_format=".1f", y_range=(0, 5.1))
    axis = score["layout"]["yaxis"]
    assert axis["tickformat"] == ".1f" and "ticksuffix" not in axis and axis["range"] == [0, 5.1]
    assert score["data"][0]["y"] == [3.5, 4.0, 4.2]
