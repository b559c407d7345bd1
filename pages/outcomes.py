"""Outcomes and costs: what duos lead to, and what it costs."""
import streamlit as st

from ui import charts, data, page, series
from ui.i18n import _
from ui.meta import help_text, meta

user, f = page.start("outcomes", _("Outcomes and costs"))

OUTCOMES = ("exit_outcome_coverage", "positive_exit_rate", "job_exit_rate",
            "followup_12m_coverage", "job_rate_12m")
COSTS = ("total_costs_eur", "beneficiaries_served", "cost_per_beneficiary_eur", "cost_per_duo_eur",
         "cost_per_positive_exit_eur", "total_funding_eur", "funding_hhi", "largest_funder_share")

now = data.indicators(f.key())
before = data.indicators(f.previous_key())

st.subheader(_("Outcomes"))
for col, key in zip(st.columns(len(OUTCOMES)), OUTCOMES):
    with col:
        page.tile(key, now.get(key), before.get(key), previous_label=f.previous_label())

grain = st.segmented_control(_("Per"), series.GRAINS, default="quarter", key="outcomes_grain",
                             format_func=lambda g: _(series.GRAIN_LABELS[g])) or "quarter"
grain_label = _(series.GRAIN_LABELS[grain])
total = data.series(f.key(), grain)

cats, values = series.over_time(total, {k: meta(k).label for k in ("positive_exit_rate", "job_exit_rate",
                                                                    "exit_outcome_coverage")}, grain)
charts.show(charts.line(cats, values, title=_("Exit outcomes of the duos that ended, per {grain}").format(
    grain=grain_label.lower()), x_title=grain_label, y_title=_("Share of duos that ended (%)"),
    y_format=".0%", y_range=(0, 1.02)),
    help=" ".join(help_text(k) for k in ("positive_exit_rate", "job_exit_rate", "exit_outcome_coverage")),
    key="exit_rates")

for title, name in ((_("Exit outcomes by status and contract"), "exit_outcomes"),
                    (_("Outcomes by gender, education and region of origin"), "outcome_breakdowns"),
                    (_("Positive situation within 12 months, per mentee"), "headline_per_person")):
    st.subheader(title)
    if data.call(name, f.key()) is None:
        page.not_available(title)

st.subheader(_("Costs and funding"))
for start in range(0, len(COSTS), 4):
    for col, key in zip(st.columns(4), COSTS[start:start + 4]):
        with col:
            page.tile(key, now.get(key), before.get(key), previous_label=f.previous_label())

cats, values = series.over_time(total, {k: meta(k).label for k in ("cost_per_beneficiary_eur", "cost_per_duo_eur",
                                                                    "cost_per_positive_exit_eur")}, grain)
charts.show(charts.line(cats, values, title=_("Unit costs per {grain}").format(grain=grain_label.lower()),
                        x_title=grain_label, y_title=_("Euros (€)"), y_format=",.0f"),
            help=" ".join(help_text(k) for k in ("cost_per_beneficiary_eur", "cost_per_duo_eur",
                                                 "cost_per_positive_exit_eur")),
            key="unit_costs")

cats, values = series.over_time(total, {k: meta(k).label for k in ("total_costs_eur", "total_funding_eur")}, grain)
charts.show(charts.bar(cats, values, title=_("Costs and funding received per {grain}").format(grain=grain_label.lower()),
                       x_title=grain_label, y_title=_("Euros (€)"), y_format=",.0f"),
            help=help_text("total_costs_eur") + " " + help_text("total_funding_eur"), key="costs_funding")

for title, name in ((_("Costs with central costs allocated to branches"), "cost_series"),
                    (_("Funding mix by funder type"), "funding_mix")):
    st.subheader(title)
    if data.call(name, f.key()) is None:
        page.not_available(title)
