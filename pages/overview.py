"""Overview: the headline figures against the previous period and the targets."""
import streamlit as st

from ui import auth, data, fmt, page, summary
from ui.i18n import _

user, f = page.start("overview", compares=True, outcomes=True)

TILES = ("duos_realized", "duos_realized_cumulative", "active_duos", "mentees_waiting",
         "positive_exit_rate", "job_exit_rate", "completion_rate", "cost_per_beneficiary_eur")

compared = data.compare(f.key(), TILES + ("total_costs_eur",))
if user.role == auth.FUNDER:
    st.caption(_("Figures over fewer than 5 people or duos are not shown (<5, or * when they would give a "
                 "small number back). The Impact report explains each figure."))
else:
    st.caption(_("Targets come from the targets table (calendar years, all branches or one branch)."))
page.tiles(compared, TILES, previous_label=f.previous_label())

st.subheader(_("In brief"))
st.write(summary.paragraph(compared, page.shown_values(compared, TILES + ("total_costs_eur",)), f.period_from,
                           min(f.period_to, f.as_of), fmt.day(f.as_of),
                           compare=user.role != auth.FUNDER))
