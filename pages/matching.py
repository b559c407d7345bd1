"""Matching assistant: for every mentee waiting, the free trained mentors who fit best, and why."""
import streamlit as st

from ui import data, export, fmt, matching, page, signin
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
