"""Funder-safe tables: the handbook's small-cell rules applied with
``analytics.disclosure.suppression`` before anything is formatted."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.disclosure import suppression
from ui import auth, fmt, labels
from ui.i18n import N_, _, current_language


def breakdown(frame: pd.DataFrame, group_title: str, by: str | None = None) -> pd.DataFrame:
    """See :func:`_breakdown`; cached per table and language (secondary
    suppression solves small linear systems: worth not redoing every rerun)."""
    return _breakdown(frame, group_title, current_language(), by)


@st.cache_data(max_entries=64, show_spinner=False)
def _breakdown(frame: pd.DataFrame, group_title: str, lang: str, by: str | None = None) -> pd.DataFrame:
    """An outcome breakdown (``analytics.engine.insights.outcome_breakdown``) as display
    text: duos as a count (1–4 → "<5"), positive and job exit rates only when
    their numerator, complement and denominator are large enough. The group
    total equals a figure published on the page (duos ended), so secondary
    suppression runs with that total row and the two partitions
    (positive + not positive = duos, job + not job = duos)."""
    columns = [group_title, _("Duos ended"), _("Positive exit rate"), _("Job exit rate")]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.DataFrame({
        "duos": frame["duos"].astype(float).values,
        "positive": frame["positive_exits"].astype(float).values,
        "not_positive": (frame["duos"] - frame["positive_exits"]).astype(float).values,
        "job": frame["jobs"].astype(float).values,
        "not_job": (frame["duos"] - frame["jobs"]).astype(float).values,
    }, index=[str(g) for g in frame["group"]])
    total = "__total__"
    counts.loc[total] = counts.sum(axis=0)
    table = suppression.suppress_counts(
        counts, total_row=total,
        partitions=[(["positive", "not_positive"], "duos"), (["job", "not_job"], "duos")])
    rows = []
    for g in counts.index:
        if g == total:
            continue
        rows.append({
            columns[0]: labels.label(g, by),
            columns[1]: table.cell(g, "duos").text(lambda v: fmt.integer(v)),
            columns[2]: suppression.derived_rate(table, g, ["positive"], "duos").text(lambda v: fmt.percent(v)),
            columns[3]: suppression.derived_rate(table, g, ["job"], "duos").text(lambda v: fmt.percent(v)),
        })
    return pd.DataFrame(rows, columns=columns)


def plain_breakdown(frame: pd.DataFrame, group_title: str, by: str | None = None) -> pd.DataFrame:
    """The same table for staff: every count and rate shown as it is (small-cell
    suppression is for funder output, not for the programme's own managers)."""
    columns = [group_title, _("Duos ended"), _("Positive exit rate"), _("Job exit rate")]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for r in frame.to_dict(orient="records"):
        duos = r["duos"]
        rows.append({
            columns[0]: labels.label(str(r["group"]), by),
            columns[1]: fmt.integer(duos),
            columns[2]: fmt.percent(r["positive_exits"] / duos) if duos else fmt.MISSING,
            columns[3]: fmt.percent(r["jobs"] / duos) if duos else fmt.MISSING,
        })
    return pd.DataFrame(rows, columns=columns)


def breakdown_for(user, frame: pd.DataFrame, group_title: str, by: str | None = None) -> pd.DataFrame:
    """Suppressed for a funder, plain for staff."""
    if user.role == auth.FUNDER:
        return breakdown(frame, group_title, by)
    return plain_breakdown(frame, group_title, by)


def legend_for(user) -> str:
    """What the marks mean (funder), or that the staff view hides nothing."""
    if user.role == auth.FUNDER:
        return _(LEGEND)
    return _("Staff view: every figure is shown in full; the impact report for funders hides small numbers.")


LEGEND = N_("<5: fewer than 5 (1 to 4) duos, not shown so that no one can be singled out. "
          "*: hidden because it would give a small number back, or because it is over fewer than 5 duos.")


def counts_for(user, values: dict[str, list]) -> dict[str, list]:
    """Chart series of counts as the role may see them: for a funder, counts of
    1 to 4 are left out of the chart (a gap, not a bar).
    TODO(issue 5): secondary suppression against totals shown elsewhere."""
    if user.role != auth.FUNDER:
        return values
    return {name: [None if v is not None and suppression.small(v) else v for v in vs]
            for name, vs in values.items()}


def counts_note(user) -> str | None:
    return _("Counts of 1 to 4 are not shown to funders.") if user.role == auth.FUNDER else None


def exit_table(frame: pd.DataFrame) -> pd.DataFrame:
    return _exit_table(frame, current_language())


@st.cache_data(max_entries=64, show_spinner=False)
def _exit_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Exit outcomes by status and contract as a funder may see them: a table of
    counts with totals, small cells and what would give them back hidden."""
    if frame is None or frame.empty:
        return pd.DataFrame()
    statuses = list(dict.fromkeys(frame["exit_status"]))
    contracts = list(dict.fromkeys(frame["contract"]))
    grid = pd.DataFrame(0.0, index=statuses, columns=contracts)
    for r in frame.to_dict(orient="records"):
        grid.at[r["exit_status"], r["contract"]] = float(r["duos"])
    total = "__total__"
    grid = suppression.add_margins(grid, label=total)
    table = suppression.suppress_counts(grid, total_row=total, total_col=total)
    shown = table.display(lambda v: fmt.MISSING if v is None else fmt.integer(v))
    shown.index = [_("Total") if i == total else labels.label(i) for i in shown.index]
    shown.columns = [_("Total") if c == total else labels.label(c, "contract") for c in shown.columns]
    return shown.reset_index(names=_("Situation at the end of the duo"))
