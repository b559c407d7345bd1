"""Overview: the headline figures against the previous period and the targets."""
import streamlit as st

from ui import auth, data, export, filters, fmt, funder_growth, page, summary
from ui.i18n import _
from ui.meta import meta

user, f = page.start("overview", compares=True, outcomes=True)

TILES = ("duos_realized", "duos_realized_cumulative", "active_duos", "mentees_waiting",
         "positive_exit_rate", "job_exit_rate", "completion_rate", "cost_per_beneficiary_eur")

compared = data.compare(f.key(), TILES + ("total_costs_eur",))
if user.role == auth.FUNDER:
    st.caption(_("Figures over fewer than 5 people or duos are not shown (<5, or * when they would give a "
                 "small number back). The Impact report explains each figure."))
else:
    st.caption(_("Targets come from the targets table (calendar years, all branches or one branch)."))
missing = data.unavailable(f.key())
# a funder's count tiles are cells of the funder growth table (suppressed with the Growth page's points)
counts = funder_growth.overview_cells(f) if user.role == auth.FUNDER else None
page.tiles(compared, TILES, previous_label=f.previous_label(), unavailable=missing, funder_overrides=counts)

# the non-response band beside the headline positive exit rate (suppressed for a funder: shown only as a
# pair with its coverage, and never when it would give a small number of duos back)
band = data.bands(f.key()).get("positive_exit_rate", {})
if any(c.hidden for c in band.values()):
    st.caption(_("{indicator}: its non-response band is not shown, so that no small number of duos can be "
                 "worked out.").format(indicator=meta("positive_exit_rate").label))
elif band and all(c.available for c in band.values()):
    st.caption(_("{indicator}: between {low} and {high} whatever those who did not answer would have said "
                 "(non-response band); {coverage} of the duos have the outcome recorded.").format(
        indicator=meta("positive_exit_rate").label, low=fmt.percent(band["low"].value),
        high=fmt.percent(band["high"].value), coverage=fmt.percent(band["coverage"].value))
        + " " + filters.outcome_text(f.outcome) + ".")

st.subheader(_("In brief"))
st.write(summary.paragraph(compared, page.shown_values(compared, TILES + ("total_costs_eur",), counts), f.period_from,
                           min(f.period_to, f.as_of), fmt.day(f.as_of),
                           compare=user.role != auth.FUNDER))

if user.role != auth.FUNDER:   # a funder's figures download with the impact report (suppressed)
    st.download_button(_("Download these figures (CSV)"),
                       lambda: export.safe_csv(export.figures_frame(compared, TILES + ("total_costs_eur",),
                                                                    lambda k: meta(k).label, f.outcome, missing)),
                       file_name="overview.csv", mime="text/csv", key="overview_csv", on_click="ignore")
