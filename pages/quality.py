"""Quality of service: is the service holding up as the programme grows?"""
import streamlit as st

from ui import charts, data, filters, fmt, page, series
from ui.i18n import _
from ui.meta import meta

user, f = page.start("quality", compares=True)

KEYS = ("median_days_to_match", "matched_within_30d_rate", "staff_at_first_meeting_rate",
        "mentor_trained_rate", "check_in_coverage", "caseload_per_coordinator_fte",
        "median_weekly_hours", "completion_rate", "early_closure_rate",
        "mean_mentee_satisfaction", "mean_mentor_satisfaction", "eligibility_exception_rate")
UNIT_TITLES = {"rate": _("Share (%)"), "days": _("Days"), "hours": _("Hours per week"),
               "score": _("Mean score (1–5)"), "ratio": _("Duos per FTE")}

page.tiles(data.compare(f.key(), KEYS), KEYS, previous_label=f.previous_label(), unavailable=data.unavailable(f.key()))
for note in data.completeness_notes(f.key(), KEYS):   # beside the figures an empty field weakens
    st.caption(note)

st.subheader(_("Against the field's standards"))
standards = data.standards(f.key())
if len(standards):
    MET = {True: _("met"), False: _("not met"), None: _("not available")}
    columns = [None, *dict.fromkeys(b for b in standards["branch"] if b is not None)]
    table = []
    for key, rows in standards.groupby("standard", sort=False):
        first = rows.iloc[0]
        sign = "≥" if first["direction"] == "up" else "≤"
        line = {_("Standard"): _(first["label"]),
                _("Field's standard"): fmt.percent(first["standard_value"]),
                _("Met when"): f"{sign} {fmt.percent(first['threshold'])}"}
        by_branch = {b: r for b, r in zip(rows["branch"], rows.itertuples())}
        for branch in columns:
            r = by_branch.get(branch)
            name = _("All branches in the filter") if branch is None else branch
            line[name] = "" if r is None else f"{fmt.percent(r.value)} · {MET[r.met]}"
        table.append(line)
    st.dataframe(table, hide_index=True)
    with st.expander(_("The standards and their sources")):
        for _key, rows in standards.groupby("standard", sort=False):
            first = rows.iloc[0]
            st.markdown(f"**{fmt.md_escape(_(first['label']))}** — {fmt.md_escape(_(first['source']))}")

st.subheader(_("Quality under growth"))
filters.from_url("quality_key", KEYS[0], options=KEYS)
chosen = st.selectbox(_("Quality indicator"), KEYS, key="quality_key", format_func=lambda k: meta(k).label)
filters.to_url("quality_key", chosen, KEYS[0])
trend = page.trend_controls(f, "quality")
grain, grain_label = trend.grain, trend.grain_label
m = meta(chosen)
y_format, y_range = charts.axis_format(m.unit)
unit_title = UNIT_TITLES.get(m.unit, m.label)

total = data.series(trend.key, grain)
cats, volume = series.over_time(total, {"duos_realized": meta("duos_realized").label}, grain)
_cats, quality = series.over_time(total, {chosen: m.label}, grain)
charts.show(charts.volume_and_quality(
    cats, next(iter(volume.values()), []), quality,
    title=_("{indicator} against duos realized, per {grain}").format(indicator=m.label, grain=grain_label.lower()),
    x_title=grain_label, volume_title=_("Duos realized (count)"), quality_title=unit_title,
    quality_format=y_format, quality_range=y_range, colours=series.colours({chosen: m.label})),
    help=m.definition, key="quality_under_growth")

cats, values = series.by_branch(data.series(trend.key, grain, by_branch=True), chosen, grain)
charts.show(charts.line(cats, values, title=_("{indicator} by branch").format(indicator=m.label),
                        x_title=grain_label, y_title=unit_title, y_format=y_format, y_range=y_range,
                        legend_title=_("Branch"), colours=series.branch_colours()),
            help=m.definition, key="quality_by_branch")

if len(standards):   # the standards over time: each standard's figure per bucket of the trend range
    STANDARD_LINES = {fig: _(label) for fig, label in dict(zip(standards["figure"], standards["label"])).items()}
    cats, values = series.over_time(total, STANDARD_LINES, grain)
    charts.show(charts.line(cats, values, title=_("The standards over time, per {grain}").format(
        grain=grain_label.lower()), x_title=grain_label, y_title=_("Share (%)"), y_format=".0%", y_range=(0, 1.02),
        colours=series.colours(STANDARD_LINES)),
        help=_("Each standard's figure per {grain}, for the whole filter; the table above gives each one's "
               "standard and the threshold at which it is met.").format(grain=grain_label.lower()),
        key="standards_over_time")

st.subheader(_("How long duos last"))
filters.from_url("survival_by", "cohort", options=("cohort", "branch"))
by = st.segmented_control(_("Curves by"), ("cohort", "branch"), key="survival_by",
                          format_func=lambda b: {"cohort": _("Year of the first meeting"), "branch": _("Branch")}[b]) \
    or "cohort"
filters.to_url("survival_by", by, "cohort")
curves = data.survival_curves(f.key(), by)
lines = series.groups(curves, "group", "week", "survival")
if by == "cohort" and lines:
    years = list(lines)
    filters.from_url("survival_years", years[-5:], "list", options=years)
    shown_years = st.multiselect(_("Years shown"), years, key="survival_years")
    filters.to_url("survival_years", shown_years, years[-5:], "list")
    lines = {y: lines[y] for y in shown_years}
lows = series.groups(curves, "group", "week", "survival_lower")
highs = series.groups(curves, "group", "week", "survival_upper")
charts.show(charts.step([], lines,
                        title=_("Duos still running without an early end, by weeks since the first meeting"),
                        x_title=_("Weeks since the first meeting"), y_title=_("Share still running (%)"),
                        y_format=".0%", legend_title=_("Year of the first meeting") if by == "cohort" else _("Branch"),
                        bands={g: (lows[g][1], highs[g][1]) for g in lines},
                        colours=series.branch_colours() if by == "branch" else None),
            help=meta("duo_survival").definition + " " + _("The shaded band is the 95 % confidence interval "
                                                          "(Greenwood's formula)."),
            key="survival")
if lines:
    counts = data.survival_risk_table(curves)
    counts = counts[counts["group"].astype(str).isin(list(lines))]
    st.dataframe([{(_("Year of the first meeting") if by == "cohort" else _("Branch")): str(r.group),
                   _("Week"): fmt.integer(r.week), _("Still at risk"): fmt.integer(r.at_risk),
                   _("Ended early before"): fmt.integer(r.events), _("Censored before"): fmt.integer(r.censored)}
                  for r in counts.itertuples()], hide_index=True)
    st.caption(_("At each week: the duos still running (at risk), and those that ended early or were "
                 "censored (ended completed, with a job, or still open) in the weeks before."))

st.subheader(_("Time to match"))
dist = data.days_to_match(f.key())
if len(dist):
    charts.show(charts.histogram(dist["days_to_match"], bin_size=7,
                                 title=_("Days from application to match (first duos matched in the period)"),
                                 x_title=_("Days from application to match"), y_title=_("Mentees (count)"),
                                 marker=30, marker_label=_("30 days")),
                help=meta("median_days_to_match").definition, key="days_to_match")
