"""Outcomes and costs: what duos lead to, and what it costs."""
import streamlit as st

from ui import auth, charts, data, export, filters, fmt, labels, page, series, suppressed
from ui.i18n import _
from ui.meta import help_text, meta

user, f = page.start("outcomes", compares=True, outcomes=True)

OUTCOMES = ("positive_exit_rate", "job_exit_rate", "exit_outcome_coverage", "job_rate_12m", "followup_12m_coverage",
            "positive_rate_12m", "worked_90d_rate_12m")
COSTS = ("total_costs_eur", "beneficiaries_served", "cost_per_beneficiary_eur", "cost_per_duo_eur",
         "cost_per_positive_exit_eur", "total_funding_eur", "funding_hhi", "largest_funder_share")
compared = data.compare(f.key(), OUTCOMES + COSTS)

st.subheader(_("Outcomes"))
missing = data.unavailable(f.key())   # figures a table not provided makes impossible: said so, with why
page.tiles(compared, OUTCOMES, columns=3, previous_label=f.previous_label(), unavailable=missing)
for note in data.completeness_notes(f.key(), OUTCOMES):   # beside the figures an empty field weakens
    st.caption(note)
DEFINITION = filters.outcome_text(f.outcome) + "."   # named on every figure the definition changes

# the non-response band beside the headline rates: lowest = every non-respondent counted as not
# positive (not in a job), highest = every one counted as positive (in a job)
figures = data.indicators(f.key())
bands = [("positive_exit_rate", "positive_exit_rate", "positive_exit_rate_high"),
         ("job_rate_12m", "job_rate_12m_low", "job_rate_12m_high")]
for key, low, high in bands:
    if figures.get(low) is not None and figures.get(high) is not None:
        st.caption(_("{indicator}: {value}; between {low} and {high} whatever those who did not answer "
                     "would have said (non-response band).").format(
            indicator=meta(key).label, value=fmt.percent(figures.get(key)), low=fmt.percent(figures[low]),
            high=fmt.percent(figures[high])) + (" " + DEFINITION if key in data.OUTCOME_KEYS else ""))

headline = data.person_headline(f.key())
st.markdown("**" + _("Headline per person") + "**")
cols = st.columns(3)
with cols[0]:
    page.tile("person_positive_rate_12m", headline.get("person_positive_rate_12m"))
with cols[1]:
    page.tile("person_outcome_coverage_12m", headline.get("person_outcome_coverage_12m"))
with cols[2]:
    page.tile("mentees", headline.get("mentees"), label=_("Mentees whose last duo ended in the period"))
st.caption(_("Mentees (not duos) whose last duo ended in the period and whose 12-month mark has passed: "
             "the share with a job, a training or an internship recorded within 12 months of that end."))
if not headline.get("mentees"):
    st.info(_("No mentee whose last duo ended in this period has reached the 12-month mark by the as-of "
              "date. Choose an earlier period (for example last year) to see this headline."))

trend = page.trend_controls(f, "outcomes")
grain, grain_label = trend.grain, trend.grain_label
total = data.series(trend.key, grain)

exits = data.exit_outcomes(f.key())
EXIT_HELP = _("Duos realized that ended in the period, by their exit outcome (the latest exit record) and "
              "its contract.") + " " + DEFINITION
if len(exits):
    if user.role == auth.FUNDER:
        st.markdown("**" + _("Exit outcomes of the duos that ended in the period, by contract") + "**")
        st.dataframe(suppressed.exit_table(exits), hide_index=True)
        st.caption(EXIT_HELP + " " + _(suppressed.LEGEND))
    else:
        cats, values = series.pivot(exits, "exit_status", "contract", "duos", x_label=labels.label,
                                    color_label=lambda c: labels.label(c, "contract"))
        charts.show(charts.bar(cats, values, stacked=True,
                               title=_("Exit outcomes of the duos that ended in the period, by contract"),
                               x_title=_("Situation at the end of the duo"), y_title=_("Duos (count)"),
                               legend_title=_("Contract"),
                               colours=series.category_colours(
                                   exits, "contract", lambda c: labels.label(c, "contract"))),
                    help=EXIT_HELP, key="exit_outcomes")

EXIT_RATES = {k: meta(k).label for k in ("positive_exit_rate", "job_exit_rate", "exit_outcome_coverage")}
cats, values = series.over_time(total, EXIT_RATES, grain)
# the positive exit rate's non-response band: from the rate itself to positive_exit_rate_high
_c, exit_high = series.over_time(total, {"positive_exit_rate_high": ""}, grain)
exit_band = ({EXIT_RATES["positive_exit_rate"]: (values[EXIT_RATES["positive_exit_rate"]], next(iter(exit_high.values())))}
             if values and exit_high else None)
charts.show(charts.line(cats, values, title=_("Exit outcomes of the duos that ended, per {grain}").format(
    grain=grain_label.lower()), x_title=grain_label, y_title=_("Share of duos that ended (%)"),
    y_format=".0%", y_range=(0, 1.02), colours=series.colours(EXIT_RATES), bands=exit_band),
    help=_("Per {grain}: of the duos realized that ended in it, the share with a positive exit outcome, with a "
           "job, and with any exit outcome recorded.").format(grain=grain_label.lower()) + " " + DEFINITION
    + " " + help_text("positive_exit_rate_high"),
    key="exit_rates")

cats, values = series.over_time(total, {"job_rate_12m": meta("job_rate_12m").label}, grain)
_c, low = series.over_time(total, {"job_rate_12m_low": ""}, grain)
_c, high = series.over_time(total, {"job_rate_12m_high": ""}, grain)
if values:
    name = meta("job_rate_12m").label
    charts.show(charts.line(cats, values, title=_("In a job at 12 months, with its non-response band, per {grain}").format(
        grain=grain_label.lower()), x_title=grain_label, y_title=_("Share (%)"), y_format=".0%", y_range=(0, 1.02),
        bands={name: (next(iter(low.values())), next(iter(high.values())))}),
        help=" ".join(help_text(k) for k in ("job_rate_12m", "job_rate_12m_low", "job_rate_12m_high")),
        key="job_rate_band")

st.markdown("**" + _("Follow-ups due, done and overdue, by the year the duo ended") + "**")
coverage = data.followup_coverage(f.key())
if len(coverage):
    STAGE_NAMES = {"followup_3m": _("3 months"), "followup_6m": _("6 months"), "followup_12m": _("12 months")}
    st.dataframe([{_("Year the duo ended"): str(r.cohort), _("Branch"): r.branch,
                   _("Follow-up"): STAGE_NAMES[r.stage], _("Due"): fmt.integer(r.due),
                   _("Done"): fmt.integer(r.done), _("Overdue"): fmt.integer(r.overdue),
                   _("Coverage"): fmt.percent(r.coverage)} for r in coverage.itertuples()],
                 hide_index=True)
    st.caption(_("A follow-up is due on its mark (the end of the duo plus 91, 182 or 365 days), done when "
                 "one was recorded by the as-of date, and overdue 30 days after the mark with none recorded."))
else:
    st.info(_("No follow-up can be counted: the outcomes table was not provided."))

follow = data.followup_12m(trend.key, grain)
if len(follow):
    FOLLOW = {"job_rate_12m": meta("job_rate_12m").label,
              "followup_12m_coverage": meta("followup_12m_coverage").label}
    cats, values = series.over_time(follow, FOLLOW, grain)
    charts.show(charts.line(cats, values, title=_("12-month follow-up: in a job, and coverage, per {grain}").format(
        grain=grain_label.lower()), x_title=grain_label, y_title=_("Share (%)"), y_format=".0%", y_range=(0, 1.02),
        colours=series.colours(FOLLOW)),
        help=help_text("job_rate_12m") + " " + help_text("followup_12m_coverage"), key="followup")

st.subheader(_("Who the programme reaches"))
BREAKDOWNS = ("gender", "education_level", "region")
filters.from_url("breakdown_by", "gender", options=BREAKDOWNS)
by = st.segmented_control(_("Outcomes by"), BREAKDOWNS,
                          key="breakdown_by", format_func=lambda b: {
                              "gender": _("Gender"), "education_level": _("Education"),
                              "region": _("Region of origin")}[b]) or "gender"
filters.to_url("breakdown_by", by, "gender")
breakdown = data.outcome_breakdown(f.key(), by)
group_title = {"gender": _("Gender"), "education_level": _("Education"), "region": _("Region of origin")}[by]
st.dataframe(suppressed.breakdown_for(user, breakdown, group_title, by), hide_index=True)
st.caption(suppressed.legend_for(user))
if f.outcome != data.DEFAULT_OUTCOME:   # this table does not follow the switch yet: it says so
    st.caption(_("The positive exits of this table count a job, self-employment, a training or an internship "
                 "(the default definition), whatever the definition chosen."))

st.subheader(_("Costs and funding"))
page.tiles(compared, COSTS, previous_label=f.previous_label(), unavailable=missing)
st.download_button(_("Download these figures (CSV)"),
                   lambda: export.safe_csv(export.figures_frame(compared, OUTCOMES + COSTS, lambda k: meta(k).label,
                                                                f.outcome, missing)),
                   file_name="outcomes.csv", mime="text/csv", key="outcomes_csv", on_click="ignore")

filters.from_url("allocate_central", False, "bool")
allocate = st.toggle(_("Share central costs among branches (in proportion to their duos realized)"),
                     key="allocate_central")
filters.to_url("allocate_central", allocate, False, "bool")
costs = data.cost_series(trend.key, grain, allocate)
if len(costs):
    cats, values = series.by_bucket(costs, "branch", "total_costs_eur", grain, color_label=labels.label)
    charts.show(charts.bar(cats, values, stacked=True, title=_("Costs per {grain}, by branch").format(
        grain=grain_label.lower()), x_title=grain_label, y_title=_("Euros (€)"), y_format=",.0f",
        legend_title=_("Branch"), colours=series.branch_colours(labels.label)),
        help=help_text("total_costs_eur"), key="costs_by_branch")
    cats, values = series.by_bucket(costs, "branch", "cost_per_beneficiary_eur", grain, color_label=labels.label)
    charts.show(charts.line(cats, values, title=_("Cost per beneficiary per {grain}, by branch").format(
        grain=grain_label.lower()), x_title=grain_label, y_title=_("Euros per mentee (€)"), y_format=",.0f",
        legend_title=_("Branch"), colours=series.branch_colours(labels.label)),
        help=help_text("cost_per_beneficiary_eur"), key="cost_per_beneficiary")

UNIT_COSTS = {k: meta(k).label for k in ("cost_per_beneficiary_eur", "cost_per_duo_eur", "cost_per_positive_exit_eur")}
cats, values = series.over_time(total, UNIT_COSTS, grain)
charts.show(charts.line(cats, values, title=_("Unit costs, whole filter, per {grain}").format(grain=grain_label.lower()),
                        x_title=grain_label, y_title=_("Euros (€)"), y_format=",.0f",
                        colours=series.colours(UNIT_COSTS)),
            help=" ".join(help_text(k) for k in ("cost_per_beneficiary_eur", "cost_per_duo_eur",
                                                 "cost_per_positive_exit_eur")) + " " + DEFINITION,
            key="unit_costs")

mix_grain = "year" if grain == "year" else "quarter"
mix = data.funding_mix(trend.key, mix_grain)
if len(mix):
    cats, values = series.by_bucket(mix, "funder_type", "amount_eur", mix_grain, color_label=labels.label)
    charts.show(charts.bar(cats, values, stacked=True, title=_("Funding received by type of funder"),
                           x_title=_(series.GRAIN_LABELS[mix_grain]), y_title=_("Euros (€)"), y_format=",.0f",
                           legend_title=_("Funder type"),
                           colours=series.category_colours(mix, "funder_type", labels.label)),
                help=help_text("total_funding_eur"), key="funding_mix")
    CONCENTRATION = {"funding_hhi": meta("funding_hhi").label,
                     "largest_funder_share": meta("largest_funder_share").label}
    conc = series.over_time(series.first_per_bucket(mix), CONCENTRATION, mix_grain)
    charts.show(charts.line(*conc, title=_("Funding concentration"), x_title=_(series.GRAIN_LABELS[mix_grain]),
                            y_title=_("Index or share (0–1)"), y_format=".2f", y_range=(0, 1.02),
                            colours=series.colours(CONCENTRATION)),
                help=help_text("funding_hhi") + " " + help_text("largest_funder_share"), key="concentration")
