"""Growth: volume over time, by branch, applications against matches, the waiting list, the funnel.
A funder sees the suppressed growth series of the reporting year they chose instead (ui.funder_growth)."""
import streamlit as st

from ui import auth, charts, data, fmt, funder_growth, labels, page, series, suppressed
from ui.i18n import _
from ui.meta import help_text, meta

user, f = page.start("growth", compares=True)
if user.role == auth.FUNDER:
    funder_growth.show(f)
    st.stop()

compared = data.compare(f.key(), ("duos_realized", "growth_rate_duos_realized", "duos_matched", "active_mentors"))
page.tiles(compared, ("duos_realized", "growth_rate_duos_realized", "duos_matched", "active_mentors"),
           previous_label=f.previous_label())

trend = page.trend_controls(f, "growth")
grain, grain_label = trend.grain, trend.grain_label

cats, values = series.by_branch(data.series(trend.key, grain, by_branch=True), "duos_realized", grain)
values = suppressed.counts_for(user, values)
charts.show(charts.bar(cats, values, stacked=True,
                       title=_("Duos realized per {grain}, by branch").format(grain=grain_label.lower()),
                       x_title=grain_label, y_title=_("Duos (count)"), legend_title=_("Branch"),
                       colours=series.branch_colours()),
            help=" ".join(filter(None, [help_text("duos_realized"), suppressed.counts_note(user)])),
            key="realized_by_branch")

total = data.series(trend.key, grain)
CUMULATIVE = {"duos_realized_cumulative": meta("duos_realized_cumulative").label}
cats, values = series.over_time(total, CUMULATIVE, grain)
charts.show(charts.line(cats, values, title=_("Duos realized since the start of the programme"),
                        x_title=grain_label, y_title=_("Duos (count)"), colours=series.colours(CUMULATIVE)),
            help=help_text("duos_realized_cumulative"), key="cumulative")

VOLUME = {"mentee_applications": meta("mentee_applications").label, "duos_matched": meta("duos_matched").label,
          "duos_realized": meta("duos_realized").label}
cats, values = series.over_time(total, VOLUME, grain)
charts.show(charts.bar(cats, values, title=_("Applications against matches"), x_title=grain_label,
                       y_title=_("Mentees or duos (count)"), colours=series.colours(VOLUME)),
            help=" ".join(help_text(k) for k in ("mentee_applications", "duos_matched", "duos_realized")),
            key="applications")

ACTIVE = {"active_duos": meta("active_duos").label, "active_mentors": meta("active_mentors").label}
cats, values = series.over_time(total, ACTIVE, grain)
charts.show(charts.line(cats, values, title=_("Active duos and active mentors at the end of each {grain}").format(
    grain=grain_label.lower()), x_title=grain_label, y_title=_("Duos or mentors (count)"),
    colours=series.colours(ACTIVE)),
            help=help_text("active_duos") + " " + help_text("active_mentors"), key="active")

extras = data.growth_extras(f.key())
st.subheader(_("Waiting list on {date}").format(date=fmt.day(min(f.as_of, f.period_to))))
for col, key in zip(st.columns(4), ("mentees_waiting", "mentees_waiting_over_30d", "median_days_waiting",
                                    "free_trained_mentors")):
    with col:
        page.tile(key, extras.get(key))
waiting = data.waiting_list(f.key()) if user.role == auth.MANAGER else None
if waiting is not None and len(waiting):
    charts.show(charts.histogram(waiting["days_waiting"], bin_size=7,
                                 title=_("How long the waiting mentees have waited"),
                                 x_title=_("Days since application"), y_title=_("Mentees (count)"),
                                 marker=30, marker_label=_("30 days")),
                help=help_text("mentees_waiting"), key="waiting")
    if user.role == auth.MANAGER:
        with st.expander(_("Who is waiting (staff only)")):
            st.dataframe(waiting, hide_index=True)

st.subheader(_("Mentors who come back"))
left, right = st.columns([1, 2], vertical_alignment="center")
with left:
    page.tile("mentor_return_rate_12m", data.indicators(f.key()).get("mentor_return_rate_12m"))
right.markdown(_("{reengaged} of the {ended} mentors whose first duo has ended started another duo, "
                 "since the programme began.").format(
    reengaged=fmt.integer(extras.get("mentors_reengaged")), ended=fmt.integer(extras.get("mentors_first_duo_ended"))))

st.subheader(_("From application to positive outcome"))
steps = extras.get("funnel")
if steps is not None and len(steps):
    rows = steps.to_dict(orient="records")
    running = page.cohort_in_progress({r["step"]: r["mentees"] for r in rows})
    title = _("Mentees who applied in the period, step by step")
    charts.show(charts.funnel(
        [labels.label(r["step"], "step") for r in rows], [r["mentees"] for r in rows],
        [fmt.integer(r["mentees"]) + " · " + fmt.percent(r["share_of_applied"]) for r in rows],
        title=title + (" " + _("(in progress)") if running else ""), x_title=_("Mentees (count)")),
        help=_("Each step keeps the mentees of the step before; shares are of those who applied."),
        key="funnel")
    if running:
        st.caption(running)
