"""Quality of service: is the service holding up as the programme grows?"""
import streamlit as st

from ui import charts, data, page, series
from ui.i18n import _
from ui.meta import help_text, meta

user, f = page.start("quality", _("Quality of service"))

KEYS = ("median_days_to_match", "matched_within_30d_rate", "staff_at_first_meeting_rate",
        "mentor_trained_rate", "check_in_coverage", "caseload_per_coordinator_fte",
        "median_weekly_hours", "completion_rate", "early_closure_rate",
        "mean_mentee_satisfaction", "mean_mentor_satisfaction", "eligibility_exception_rate")

now = data.indicators(f.key())
before = data.indicators(f.previous_key())
for start in range(0, len(KEYS), 4):
    for col, key in zip(st.columns(4), KEYS[start:start + 4]):
        with col:
            page.tile(key, now.get(key), before.get(key), previous_label=f.previous_label())

st.divider()
left, right = st.columns([2, 1])
with left:
    chosen = st.selectbox(_("Indicator over time"), KEYS, key="quality_key",
                          format_func=lambda k: meta(k).label)
with right:
    grain = st.segmented_control(_("Per"), series.GRAINS, default="quarter", key="quality_grain",
                                 format_func=lambda g: _(series.GRAIN_LABELS[g])) or "quarter"
m = meta(chosen)
grain_label = _(series.GRAIN_LABELS[grain])
y_format, y_range = charts.axis_format(m.unit)
unit_title = {"rate": _("Share (%)"), "days": _("Days"), "hours": _("Hours per week"),
              "score": _("Mean score (1–5)"), "ratio": _("Duos per FTE")}.get(m.unit, m.label)

total = data.series(f.key(), grain)
cats, volume = series.over_time(total, {"duos_realized": meta("duos_realized").label}, grain)
_cats, quality = series.over_time(total, {chosen: m.label}, grain)
charts.show(charts.volume_and_quality(
    cats, next(iter(volume.values()), []), quality,
    title=_("Quality under growth: {indicator} against duos realized").format(indicator=m.label),
    x_title=grain_label, volume_title=_("Duos realized (count)"), quality_title=unit_title,
    quality_format=y_format, quality_range=y_range),
    help=m.definition, key="quality_under_growth")

cats, values = series.by_branch(data.series(f.key(), grain, by_branch=True), chosen, grain)
charts.show(charts.line(cats, values, title=_("{indicator} by branch").format(indicator=m.label),
                        x_title=grain_label, y_title=unit_title, y_format=y_format, y_range=y_range,
                        legend_title=_("Branch")),
            help=m.definition, key="quality_by_branch")

st.subheader(_("How long duos last"))
if data.call("survival", f.key()) is None:
    page.not_available(_("Duo survival curves (Kaplan–Meier)"))
st.subheader(_("Time to match"))
if data.call("time_to_match", f.key()) is None:
    page.not_available(_("The distribution of days from application to match"))
