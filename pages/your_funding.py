"""Your funding: what the signed-in funder's grants covered (branches and
days), what happened there against the rest of the programme, and their share
of the income, on the as-of date the programme published. Every figure comes
suppressed from ``ui.data.your_funding``; other donors appear by type only."""
from __future__ import annotations

import streamlit as st

from ui import auth, data, fmt, labels, page, reports
from ui.i18n import _

user, _f = page.start("your_funding")

funders = user.funders
if not funders and (user.demo or user.role == auth.MANAGER):  # a manager previews a funder's view
    choices = data.institutional_funders()
    if choices:
        funders = (st.selectbox(_("View as funder"), choices, key="view_as", bind="query-params"),)
if not funders:
    st.info(_("Your account is not bound to a funder, so there is no grant to show: the other pages show "
              "the whole programme. Ask a manager to add you with your funder's name."))
    st.stop()
try:
    view = data.your_funding(tuple(funders))
except data.FundingScopeError as error:
    st.error(_("Your funding cannot be shown: {reason}").format(reason=str(error)))
    st.stop()

st.caption(_("As of {day}, the date the programme published. Figures over fewer than {n} people or duos "
             "are not shown (<{n}, or * when they would give a small number back).").format(
    day=fmt.day(view.as_of), n=view.threshold))

st.subheader(_("What your grants covered"))
every = _("Every branch")
st.dataframe(reports.frame(
    [[fmt.day(g.received_on), fmt.money(g.amount_eur), g.branch if g.branch is not None else every,
      fmt.date_range(g.covers_from, g.covers_to)] for g in view.grants],
    columns=[_("Received"), _("Amount"), _("Branch"), _("Covers")]), hide_index=True, width="stretch")

st.subheader(_("What happened there"))
if view.window_from is not None:
    st.caption(_("From {range}: what your grants covered beside the rest of the programme over the same "
                 "months.").format(range=fmt.date_range(view.window_from, view.window_to)))
if view.whole_below_threshold:
    st.info(_("Fewer than {n} duos started in these months in the whole programme: no figure can be "
              "shown without pointing at a few people.").format(n=view.threshold))
else:
    PARTS = {"scope": _("Your grants"), "rest": _("Rest of the programme"), "programme": _("Whole programme")}
    FIGURES = [("duos_started", _("Duos started"), fmt.integer), ("mentees", _("Mentees"), fmt.integer),
               ("duos_ended", _("Duos ended"), fmt.integer), ("positive_exits", _("Positive exits"), fmt.integer),
               ("costs_eur", _("Costs"), fmt.money)]
    rows = []
    for key, title, formatter in FIGURES:
        rows.append([title, *[view.cell(p, key).text(formatter) for p in PARTS]])
    rows.append([_("Cost per duo started"), *[view.ratio(view.cost_per_duo, p).text(fmt.money) for p in PARTS]])
    rows.append([_("Cost per positive exit"),
                 *[view.ratio(view.cost_per_positive_exit, p).text(fmt.money) for p in PARTS]])
    st.dataframe(reports.frame(rows, columns=[_("Figure"), *PARTS.values()]), hide_index=True, width="stretch")

st.subheader(_("Your share of the income"))
st.caption(_("The funding received in the years you gave; other donors by type only, and a type's amount "
             "only when it does not show a single donor's money."))
names = {"yours": _("Your funding"), "total": _("Total income")}
st.dataframe(reports.frame(
    [[names.get(g) or labels.label(g, "funder_type"), view.income.cell(g, "amount_eur").text(fmt.money)]
     for g in view.income.values.index],
    columns=[_("Donors"), _("Amount")]), hide_index=True, width="stretch")
st.metric(_("Your share of the income"), view.income_share.text(fmt.percent))
