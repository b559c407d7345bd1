"""Growth: volume over time, by branch, applications against matches, the waiting list."""
import streamlit as st

from ui import charts, data, fmt, page, series
from ui.i18n import _
from ui.meta import help_text, meta

user, f = page.start("growth", _("Growth"))

grain = st.segmented_control(_("Per"), series.GRAINS, default="month", key="grain",
                             format_func=lambda g: _(series.GRAIN_LABELS[g])) or "month"
grain_label = _(series.GRAIN_LABELS[grain])

now = data.indicators(f.key())
for col, key in zip(st.columns(4), ("duos_realized", "growth_rate_duos_realized", "active_mentors",
                                     "mentees_waiting")):
    with col:
        page.tile(key, now.get(key))

by_branch = data.series(f.key(), grain, by_branch=True)
cats, values = series.by_branch(by_branch, "duos_realized", grain)
charts.show(charts.bar(cats, values, stacked=True, title=_("Duos realized per {grain}, by branch").format(grain=grain_label.lower()),
                       x_title=grain_label, y_title=_("Duos (count)"), legend_title=_("Branch")),
            help=help_text("duos_realized"), key="realized_by_branch")

total = data.series(f.key(), grain)
cats, values = series.over_time(total, {"duos_realized_cumulative": meta("duos_realized_cumulative").label}, grain)
charts.show(charts.line(cats, values, title=_("Duos realized since the start"), x_title=grain_label,
                        y_title=_("Duos (count)")),
            help=help_text("duos_realized_cumulative"), key="cumulative")

cats, values = series.over_time(total, {"mentee_applications": meta("mentee_applications").label,
                                        "duos_matched": meta("duos_matched").label,
                                        "duos_realized": meta("duos_realized").label}, grain)
charts.show(charts.bar(cats, values, title=_("Applications against matches"), x_title=grain_label,
                       y_title=_("People or duos (count)")),
            help=" ".join(help_text(k) for k in ("mentee_applications", "duos_matched", "duos_realized")),
            key="applications")

cats, values = series.over_time(total, {"active_duos": meta("active_duos").label,
                                        "active_mentors": meta("active_mentors").label}, grain)
charts.show(charts.line(cats, values, title=_("Active duos and active mentors at the end of each {grain}").format(
    grain=grain_label.lower()), x_title=grain_label, y_title=_("Count")),
            help=help_text("active_duos") + " " + help_text("active_mentors"), key="active")

st.subheader(_("Waiting list now"))
waiting = data.call("waiting_list", f.key())
if waiting is None:
    st.metric(meta("mentees_waiting").label, fmt.integer(now.get("mentees_waiting")), help=help_text("mentees_waiting"))
    page.not_available(_("Waiting times and trained mentors free to take a duo"))
else:
    st.dataframe(waiting, hide_index=True)

st.subheader(_("Mentors who come back"))
if data.call("mentor_reengagement", f.key()) is None:
    page.not_available(_("Share of mentors who start another duo"))
st.subheader(_("From application to positive outcome"))
if data.call("funnel", f.key()) is None:
    page.not_available(_("The funnel from application to positive outcome"))
