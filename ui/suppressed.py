"""Funder-safe tables: the handbook's small-cell rules applied with
``analytics.suppression`` before anything is formatted."""
from __future__ import annotations

import pandas as pd

from ui import fmt, labels
from ui.i18n import _


def breakdown(frame: pd.DataFrame, group_title: str) -> pd.DataFrame:
    """An outcome breakdown (``analytics.insights.outcome_breakdown``) as display
    text: duos as a count (1–4 → "<5"), positive and job exit rates only when
    their numerator, complement and denominator are large enough. The group
    total equals a figure published on the page (duos ended), so secondary
    suppression runs with that total row and the two partitions
    (positive + not positive = duos, job + not job = duos)."""
    from analytics import suppression

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
            columns[0]: labels.label(g),
            columns[1]: table.cell(g, "duos").text(lambda v: fmt.integer(v)),
            columns[2]: suppression.derived_rate(table, g, ["positive"], "duos").text(lambda v: fmt.percent(v)),
            columns[3]: suppression.derived_rate(table, g, ["job"], "duos").text(lambda v: fmt.percent(v)),
        })
    return pd.DataFrame(rows, columns=columns)


LEGEND = ("<5: fewer than 5 (1 to 4) duos, not shown so that no one can be singled out. "
          "*: hidden because it would give a small number back, or because it is over fewer than 5 duos.")
