"""Overview: the headline figures against the previous period and the targets."""
import streamlit as st

from ui import data, fmt, page, summary
from ui.i18n import _

user, f = page.start("overview", _("Overview"))

TILES = ("duos_realized", "duos_realized_cumulative", "active_duos", "mentees_waiting",
         "positive_exit_rate", "job_exit_rate", "completion_rate", "cost_per_beneficiary_eur")

now = data.indicators(f.key())
before = data.indicators(f.previous_key())
targets = data.call("targets", f.key()) or {}

st.caption(_("Changes are against {range}.").format(range=f.previous_label()))
for row in (TILES[:4], TILES[4:]):
    for col, key in zip(st.columns(4), row):
        with col:
            page.tile(key, now.get(key), before.get(key), targets.get(key),
                      previous_label=f.previous_label())

st.subheader(_("In brief"))
st.write(summary.paragraph(now, before, fmt.date_range(f.period_from, f.period_to),
                           fmt.day(now.get("as_of"))))
if not targets and not data.engine_has("targets"):
    st.caption(_("Targets: not available yet in this version."))
