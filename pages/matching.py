"""Matching assistant: for every mentee waiting, the free trained mentors who fit best, and why."""
import streamlit as st

from ui import charts, data, export, fmt, matching, page, signin
from ui.i18n import _

user, f = page.start("matching")
st.caption(_("Suggestions, not an assignment: each waiting mentee's list is ranked on its own, so one "
             "mentor may be suggested to several mentees. Nothing is recorded here: record a match in "
             "your own files and import them."))

defaults = data.weights_default()
with st.expander(_("Rules and weights"), expanded=False):
    cols = st.columns(len(defaults))
    weights = {}
    for col, (name, default) in zip(cols, defaults.items()):
        weights[name] = col.number_input(_(matching.WEIGHT_LABELS[name]), min_value=0.0, max_value=100.0,
                                         value=float(default), step=0.5, key=f"weight_{name}")
    left, right = st.columns(2)
    top = int(left.number_input(_("Suggestions per mentee"), min_value=1, max_value=50, value=5, step=1,
                                key="match_top"))
    widen = right.toggle(_("Suggest mentors of every branch"), value=False, key="match_widen")
    st.markdown(_("A suggestion's score is the sum of the points of the rules it meets; ties go to the "
                  "smaller mentor id. Free trained mentors: trained, not in an open duo, not left."))
    for line in matching.rules_text(weights):
        st.markdown("- " + fmt.md_escape(line))

mentees = data.waiting_mentees(f.at_risk_key())
pairs = data.match_suggestions(f.at_risk_key(), top, widen, weights)

st.subheader(_("Mentees waiting, longest first"))
if mentees.empty:
    st.info(_("No mentee is waiting on the as-of date in these branches."))
else:
    st.dataframe(matching.mentee_table(mentees, pairs, widen), hide_index=True, width="stretch",
                 column_config={_("Suggested mentors"): st.column_config.TextColumn(width="large")})
    shortlist = matching.shortlist(pairs, widen)
    shortlist_file = f"matching-shortlist-{f.as_of.isoformat()}.csv"
    st.download_button(_("Download the shortlist (CSV)"), lambda: export.safe_csv(shortlist),
                       file_name=shortlist_file, mime="text/csv", icon=":material/download:",
                       key="shortlist_csv", on_click=signin.audit_export,
                       args=("matching shortlist", len(shortlist), shortlist_file))

st.subheader(_("Free trained mentors and the mentees they fit"))
fits = data.mentor_fits(f.at_risk_key(), top, widen, weights)
if fits.empty:
    st.info(_("No free trained mentor on the as-of date in these branches."))
else:
    st.dataframe(matching.fits_table(fits), hide_index=True, width="stretch")

st.header(_("Supply and demand"))
st.caption(_("Per branch and sector, on the as-of date: mentees waiting, free trained mentors, mentors in "
             "training, and the gap (waiting minus free; above 0, mentors are short)."))
st.dataframe(matching.supply_table(data.supply_demand(f.at_risk_key())), hide_index=True, width="stretch")
history, forecast, fit = data.eligible_forecast(f.at_risk_key())
if len(history):
    charts.show(matching.forecast_chart(history, forecast), help=matching.forecast_caption(fit),
                key="eligible_forecast")
st.subheader(_("Mentors to recruit and train over the next six months"))
st.caption(_("So that every mentee waiting now or expected can be offered a mentor within 30 days: the "
             "mentees waiting plus the new eligible mentees forecast, less the free trained mentors, the "
             "mentors in training and the mentors of open duos expected to mentor again (every open duo "
             "ends within the six months a duo lasts; the branch's past share of mentors who mentored "
             "again). The high figure uses the top of the forecast's interval."))
st.dataframe(matching.recruitment_table(data.recruitment(f.at_risk_key())), hide_index=True, width="stretch")

st.header(_("Waiting-list flow"))
waited, curve, withdrawn = data.waiting_flow(f.at_risk_key())
st.dataframe(matching.waited_table(waited), hide_index=True, width="stretch")
if len(curve):
    charts.show(matching.time_to_match_chart(curve), key="time_to_match",
                help=_("Kaplan–Meier estimate over the eligible mentees: a mentee still waiting counts "
                       "until the as-of date (censored there), one who withdrew until the withdrawal."))
st.subheader(_("Withdrawals while waiting"))
if withdrawn.empty:
    st.caption(_("No eligible mentee withdrew before a match."))
else:
    st.dataframe(matching.withdrawals_table(withdrawn), hide_index=True, width="stretch")
