"""The funder impact report: one model, three renderings (HTML, PDF, CSV).

:func:`build` computes the report for a query (period, branch filter, as-of
date) and returns a :class:`ReportModel` whose every value has already gone
through :mod:`analytics.disclosure.suppression` and then been formatted for the
report's language. The renderers (:func:`render_html`, :func:`render_pdf`,
:func:`render_csv`) only lay that model out; they never see a raw figure.

Suppression across the report. Several tables share totals with the
headline (the duos that ended in the period, split into positive exits and
job exits; the duos realized, split by quarter). The headline's small
tables are suppressed first; their hidden cells are carried into every
table that repeats them (``hide``) and their visible cells are kept visible
where possible (``keep``), so no table gives back what another hides.
Rates are read off those suppressed tables (a rate is shown only when the
counts it is made of are visible and the rate passes the handbook's rule);
means and cost ratios over fewer than the threshold are hidden, and a cost
ratio whose denominator is hidden elsewhere is hidden too.

What never appears: names, notes, birth dates, ids, free text, and the names
of ``individual`` funders (shown together as "individual donors"). The
report reads only aggregates (engine and insights), labels groups from fixed
lists, and :func:`build` checks the rendered text against the data set's
personal values before it returns (:func:`check_no_personal_data`).

Language: ``lang`` in ``en``, ``fr``, ``nl``. Translation and number
formatting come from the interface's gettext catalogs and Babel formatting,
reached only through :func:`_text` and :func:`_formatter`.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pandas as pd

from analytics.disclosure import suppression
from analytics.engine import query as engine
from analytics.text import fmt, i18n
from analytics.text.i18n import translations
from analytics.engine.registry import INDICATORS
from analytics.disclosure.suppression import Cell

LANGUAGES: tuple[str, ...] = ("en", "fr", "nl")
FORMATS: tuple[str, ...] = ("html", "pdf", "csv")
MISSING = "—"

# Okabe–Ito, as the dashboard's charts (ui.palette)
BLUE, ORANGE, GREEN, VERMILLION, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9"
GREY = "#7F7F7F"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


class ReportError(ValueError):
    """The report cannot be made as asked (bad language, threshold, baseline…)."""


def N_(message: str) -> str:
    """Marks a module-level string for extraction; translated where used."""
    return message


# ---------------------------------------------------------------- language
def _text(lang: str) -> Callable[[str], str]:
    """The gettext function of ``lang``: the project's one set of catalogs
    (locales/<lang>/LC_MESSAGES/messages.po, see ``analytics.text.i18n``); English is the
    msgid itself."""
    return translations(lang).gettext


@dataclass(frozen=True)
class _Fmt:
    """Babel formatting in one locale (``analytics.text.fmt`` with an explicit locale)."""

    locale: str

    def number(self, x, decimals: int = 0) -> str:
        return fmt.number(x, decimals, locale=self.locale)

    def percent(self, x, decimals: int = 0) -> str:
        return fmt.percent(x, decimals, locale=self.locale)

    def money(self, x, decimals: int = 0) -> str:
        return fmt.money(x, decimals, locale=self.locale)

    def day(self, d, style: str = "medium") -> str:
        return fmt.day(d, style, locale=self.locale)

    def month(self, d) -> str:
        return fmt.month(d, locale=self.locale)

    def separators(self) -> str:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        return get_decimal_symbol(self.locale) + get_group_symbol(self.locale)

    # a suppressed cell as text
    def count(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.number(v, 0))

    def rate(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.percent(v, 0))

    def eur(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.money(v, 0))

    def index(self, cell: Cell) -> str:
        return cell.text(lambda v: MISSING if v is None else self.number(v, 2))


def _formatter(lang: str) -> _Fmt:
    return _Fmt(i18n.LANGUAGES[lang])


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class Baseline:
    """A comparison value the manager enters, e.g. a control group's job rate.

    ``value`` is a rate in [0, 1]; ``indicator`` the programme figure it is
    compared with (a rate of the headline). Shown as a difference in
    percentage points, never as an effect of the programme.
    """

    label: str
    value: float
    indicator: str = "job_exit_rate"
    source: str = ""


@dataclass
class Figure:
    """A headline figure: suppressed, then formatted."""

    key: str
    label: str
    value: str              # as shown: "43 %", "<5", "*", "—"
    note: str               # what it is over ("of 24 duos that ended"), coverage
    cell: Cell
    iris_code: str = ""
    group: str = ""         # the headline's sub-heading (reach, outcomes, costs, funding)


@dataclass
class Table:
    """A table as shown: headers and text cells (already suppressed and formatted),
    and the plain numbers behind the visible cells for the CSV."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    values: list[list[float | None]] = field(default_factory=list)  # None: text, hidden or n/a
    note: str = ""


@dataclass
class Chart:
    key: str
    title: str
    figure: object          # plotly Figure, built from suppressed values only
    table: Table            # the same data as a table (accessible, CSV)
    note: str = ""


@dataclass
class MethodEntry:
    key: str
    label: str
    definition: str
    period: str
    as_of: str
    coverage: str
    iris_code: str = ""


@dataclass
class BaselineComparison:
    label: str
    source: str
    indicator_label: str
    programme: str
    baseline: str
    difference: str
    caution: str


@dataclass
class ReportModel:
    lang: str
    title: str
    subtitle: str
    scope: list[tuple[str, str]]           # (label, value) lines: period, as-of, branches…
    threshold: int
    headline: list[Figure]
    baseline: BaselineComparison | None
    charts: list[Chart]
    breakdowns: list[Table]
    funding: list[Table]
    methodology: list[MethodEntry]
    method_notes: list[str]
    legend: str
    labels: dict[str, str]                 # section titles and fixed words, translated
    generated_on: str


# ---------------------------------------------------------------- labels
GROUP_LABELS = {
    "gender": {"F": N_("Women"), "M": N_("Men"), "X": N_("Gender X"), "not_recorded": N_("Not recorded")},
    "education_level": {"none": N_("No formal education"), "primary": N_("Primary"),
                        "secondary": N_("Secondary"), "tertiary": N_("Tertiary (higher education)"),
                        "not_recorded": N_("Not recorded")},
    "region": {"Maghreb": N_("Maghreb"), "Middle East": N_("Middle East"),
               "Sub-Saharan Africa": N_("Sub-Saharan Africa"), "Europe (non-EU)": N_("Europe (non-EU)"),
               "Asia": N_("Asia"), "Americas": N_("Americas"), "EU": N_("EU"), "Other": N_("Other")},
}
BREAKDOWN_TITLES = {
    "gender": N_("Exit outcomes by gender"),
    "education_level": N_("Exit outcomes by education level"),
    "region": N_("Exit outcomes by region of origin"),
}
FUNDER_TYPES = {"public": N_("Public"), "eu": N_("European Union"), "foundation": N_("Foundations"),
                "corporate": N_("Companies"), "individual": N_("Individual donors"), "earned": N_("Earned income")}

# the ended-duos split shared by the headline, the trend and the breakdowns
ENDED_COLS = ("positive", "not_positive", "job", "not_job", "completed", "not_completed", "ended")
ENDED_PARTS = ((("positive", "not_positive"), "ended"), (("job", "not_job"), "ended"),
               (("completed", "not_completed"), "ended"))
TOTAL = "__total__"
TOP_FUNDERS = 12


# ---------------------------------------------------------------- data
def _ended_counts(con, q: engine.Query, figures: dict) -> dict[str, float | None]:
    """The duos that ended in the period, split three ways (None: unknown)."""
    from analytics.engine import insights

    frame = insights.outcome_breakdown(con, q, "gender")
    ended = int(frame["duos"].sum()) if len(frame) else 0
    if len(frame) and frame["positive_exits"].isna().any():
        positive = job = None
    else:
        positive = int(frame["positive_exits"].sum()) if len(frame) else 0
        job = int(frame["jobs"].sum()) if len(frame) else 0
    rate = figures.get("completion_rate")
    completed = None if ended == 0 or rate is None else int(round(rate * ended))
    if completed is None and ended == 0:
        completed = 0
    _consistent(figures.get("positive_exit_rate"), positive, ended, "positive_exit_rate")
    _consistent(figures.get("job_exit_rate"), job, ended, "job_exit_rate")
    return {
        "ended": ended,
        "positive": positive, "not_positive": None if positive is None else ended - positive,
        "job": job, "not_job": None if job is None else ended - job,
        "completed": completed, "not_completed": None if completed is None else ended - completed,
    }


def _consistent(rate, numerator, denominator, key) -> None:
    """The insights counts must give the engine's rate back (fail closed)."""
    if rate is None or numerator is None or not denominator:
        return
    if abs(numerator / denominator - rate) > 1e-9:
        raise ReportError(f"internal inconsistency for {key}: {numerator}/{denominator} != {rate}")


def _followup_counts(con, q: engine.Query, figures: dict) -> dict[str, float | None]:
    """Duos due their 12-month follow-up in the period, followed up, in a job."""
    from analytics.engine import insights

    whole_months = q.period_from.day == 1 and (q.period_to + dt.timedelta(days=1)).day == 1
    if whole_months:  # the months of the period add up to it
        frame = insights.followup_12m(con, q, grain="month")
    else:  # calendar months would overshoot the period: the period as one bucket
        frame = insights.run_model(con, "ins_followup_12m", q.as_of, insights.one_bucket(q))
    due = int(frame["duos_due_12m"].sum()) if len(frame) else 0
    if len(frame) and frame["duos_followed_up_12m"].isna().any():
        followed = job = None
    else:
        followed = int(frame["duos_followed_up_12m"].sum()) if len(frame) else 0
        job = int(frame["duos_in_job_12m"].sum()) if len(frame) else 0
    _consistent(figures.get("followup_12m_coverage"), followed, due, "followup_12m_coverage")
    _consistent(figures.get("job_rate_12m"), job, followed, "job_rate_12m")
    return {"due": due, "followed": followed, "not_followed": None if followed is None else due - followed,
            "job12": job, "not_job12": None if job is None or followed is None else followed - job}


def _funding_rows(con, q: engine.Query) -> pd.DataFrame:
    """Funding received in the period, by the handbook's rules (received by A,
    branch filter with `central` for rows without a branch)."""
    present = con.execute("select coalesce(bool_or(is_present), false) from dataset_tables "
                          "where table_name = 'funding'").fetchone()[0]
    if not present:
        return pd.DataFrame(columns=["funder", "funder_type", "amount_eur"])
    return con.execute(
        """
        select funder, funder_type, sum(amount_eur) as amount_eur
        from funding
        where received_on between $f and $t and received_on <= $a
          and (len($b) = 0 or list_contains($b, coalesce(branch, 'central')))
        group by funder, funder_type
        """, {"f": q.period_from, "t": q.period_to, "a": q.as_of, "b": list(q.branches)}).df()


def _table_coverage(con) -> dict[str, tuple[bool, int]]:
    try:
        rows = con.execute("select table_name, is_present, rows_loaded from dataset_tables").fetchall()
    except Exception:  # pragma: no cover - every loaded data set has it
        return {}
    return {name: (bool(present), int(loaded or 0)) for name, present, loaded in rows}


CONTEXT_YEARS = 2   # the trend charts show this many years before the period, for context


def _buckets(q: engine.Query) -> tuple[str, list[tuple[dt.date, dt.date, bool]]]:
    """Calendar buckets for the trend charts: (start, end, in the period).

    The period's buckets (cut to it, starting on or before A), preceded, when
    the period starts on a bucket boundary, by the buckets of the
    :data:`CONTEXT_YEARS` years before it (for context; they are not part of
    the period's totals).
    """
    months = (q.period_to.year - q.period_from.year) * 12 + q.period_to.month - q.period_from.month + 1
    grain = "month" if months <= 4 else ("quarter" if months <= 36 else "year")
    out = []
    aligned = engine.bucket_bounds(q.period_from, q.period_from, grain)[0][0] == q.period_from
    if aligned:
        start = q.period_from.replace(year=q.period_from.year - CONTEXT_YEARS)
        out += [(f, t, False) for f, t in engine.bucket_bounds(start, q.period_from - dt.timedelta(days=1), grain)]
    for f, t in engine.bucket_bounds(q.period_from, q.period_to, grain):
        f, t = max(f, q.period_from), min(t, q.period_to)
        if f <= q.as_of:
            out.append((f, t, True))
    return grain, out


# ---------------------------------------------------------------- build
def build(con, query: engine.Query, *, lang: str = "en", threshold: int = suppression.THRESHOLD,
          baseline: Baseline | None = None, generated_on: dt.date | None = None) -> ReportModel:
    """The report model for ``query`` (resolved with the handbook's defaults)."""
    if lang not in LANGUAGES:
        raise ReportError(f"the language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
        raise ReportError(f"the suppression threshold must be a whole number of at least 2, not {threshold!r}")
    if baseline is not None:
        if baseline.indicator not in _BASELINE_KEYS:
            raise ReportError(f"a baseline compares with one of {', '.join(_BASELINE_KEYS)}")
        if not (isinstance(baseline.value, (int, float)) and 0 <= baseline.value <= 1):
            raise ReportError("a baseline is a rate between 0 and 1 (e.g. 0.42 for 42 %)")
    _ = _text(lang)
    fmt = _formatter(lang)
    t = threshold
    q = engine.resolve(con, query)
    figures = engine.indicators(con, q)
    generated_on = generated_on or dt.date.today()

    period = _("{start} – {end}").format(start=fmt.day(q.period_from), end=fmt.day(q.period_to))
    as_of = fmt.day(q.as_of)
    short_period = _("{start} – {end}").format(start=fmt.day(q.period_from, "short"),
                                                end=fmt.day(q.period_to, "short"))
    scope_period = period if q.period_to <= q.as_of else \
        _("{period} (the data go up to {date})").format(period=period, date=as_of)
    branches = ", ".join(q.branches) if q.branches else _("all branches")

    # ---- the headline's small tables
    ended = _ended_counts(con, q, figures)
    ended_cols = [c for c in ENDED_COLS if ended[c] is not None]
    ended_parts = [(list(p), tot) for p, tot in ENDED_PARTS if all(ended[c] is not None for c in p)]
    head_ended = suppression.suppress_counts(
        pd.DataFrame([[ended[c] for c in ended_cols]], index=[TOTAL], columns=ended_cols), t,
        partitions=ended_parts)
    follow = _followup_counts(con, q, figures)
    follow_cols = [c for c in ("job12", "not_job12", "followed", "not_followed", "due") if follow[c] is not None]
    follow_parts = [(list(p), tot) for p, tot in ((("job12", "not_job12"), "followed"),
                                                  (("followed", "not_followed"), "due"))
                    if all(c in follow_cols for c in (*p, tot))]
    head_follow = suppression.suppress_counts(
        pd.DataFrame([[follow[c] for c in follow_cols]], index=[TOTAL], columns=follow_cols), t,
        partitions=follow_parts)

    def head_rate(table, num: str, den: str) -> Cell:
        if num not in table.values.columns:
            return Cell(None)
        return suppression.derived_rate(table, TOTAL, [num], den)

    realized = suppression.count(figures["duos_realized"], t)
    served = suppression.count(figures["beneficiaries_served"], t)
    ended_cell = head_ended.cell(TOTAL, "ended")
    positive_cell = head_ended.cell(TOTAL, "positive") if "positive" in ended_cols else Cell(None)
    costs = figures.get("total_costs_eur")

    def cost_ratio(key: str, n_cell: Cell, n_raw) -> Cell:
        value = figures.get(key)
        if value is None:
            return Cell(None)
        if n_cell.hidden and n_cell.reason != suppression.SMALL_COUNT:
            return suppression.hidden(suppression.FROM_HIDDEN, t)
        return suppression.statistic(value, n_raw, t)

    n_ended = fmt.count(ended_cell)
    followed_text = fmt.count(head_follow.cell(TOTAL, "followed")) if "followed" in follow_cols else MISSING
    due_text = fmt.count(head_follow.cell(TOTAL, "due"))
    cells: list[tuple[str, Cell, str, Callable[[Cell], str]]] = [
        ("duos_realized", realized, _("first meeting in the period"), fmt.count),
        ("beneficiaries_served", served, _("distinct mentees of the duos running in the period"), fmt.count),
        ("completion_rate", head_rate(head_ended, "completed", "ended"),
         _("of {n} duos that ended in the period").format(n=n_ended), fmt.rate),
        ("positive_exit_rate", head_rate(head_ended, "positive", "ended"),
         _("job, training or internship, of {n} duos that ended").format(n=n_ended), fmt.rate),
        ("job_exit_rate", head_rate(head_ended, "job", "ended"),
         _("employed or self-employed, of {n} duos that ended").format(n=n_ended), fmt.rate),
        ("followup_12m_coverage", head_rate(head_follow, "followed", "due"),
         _("of {n} duos due a 12-month follow-up").format(n=due_text), fmt.rate),
        ("job_rate_12m", head_rate(head_follow, "job12", "followed"),
         _("of {n} duos followed up 12 months after the end").format(n=followed_text), fmt.rate),
        ("cost_per_beneficiary_eur", cost_ratio("cost_per_beneficiary_eur", served,
                                                figures["beneficiaries_served"]),
         _("total costs divided by beneficiaries served"), fmt.eur),
        ("cost_per_duo_eur", cost_ratio("cost_per_duo_eur", realized, figures["duos_realized"]),
         _("total costs divided by duos realized"), fmt.eur),
        ("cost_per_positive_exit_eur", cost_ratio("cost_per_positive_exit_eur", positive_cell, ended.get("positive")),
         _("total costs divided by positive exits"), fmt.eur),
        ("total_costs_eur", suppression.shown(costs), _("costs of the months in the period"), fmt.eur),
        ("total_funding_eur", suppression.shown(figures.get("total_funding_eur")),
         _("funding received in the period"), fmt.eur),
        ("funding_hhi", suppression.shown(figures.get("funding_hhi")),
         _("1 = a single funder; lower = a more diverse mix"), fmt.index),
        ("largest_funder_share", suppression.shown(figures.get("largest_funder_share")),
         _("share of the largest funder"), fmt.rate),
    ]
    groups = {"duos_realized": _("Reach"), "beneficiaries_served": _("Reach"),
              "cost_per_beneficiary_eur": _("Costs"), "cost_per_duo_eur": _("Costs"),
              "cost_per_positive_exit_eur": _("Costs"), "total_costs_eur": _("Costs"),
              "total_funding_eur": _("Funding"), "funding_hhi": _("Funding"), "largest_funder_share": _("Funding")}
    headline = []
    for key, cell, note, show in cells:
        ind = INDICATORS[key]
        headline.append(Figure(key=key, label=_(ind.label), value=show(cell), note=note, cell=cell,
                               iris_code=ind.iris_code, group=groups.get(key, _("Outcomes"))))
    by_key = {f.key: f for f in headline}

    # ---- baseline
    comparison = None
    if baseline is not None:
        programme = by_key[baseline.indicator].cell
        if programme.value is None:
            difference = programme.mark if programme.hidden else MISSING
        else:
            diff = (programme.value - baseline.value) * 100
            sign = "+" if diff > 0.05 else ("−" if diff < -0.05 else "±")
            difference = _("{sign}{n} percentage points").format(sign=sign, n=fmt.number(abs(diff), 1))
        comparison = BaselineComparison(
            label=baseline.label, source=baseline.source,
            indicator_label=_(INDICATORS[baseline.indicator].label),
            programme=(by_key[baseline.indicator].value if programme.value is None
                       else fmt.percent(programme.value, 1)),
            baseline=fmt.percent(baseline.value, 1),
            difference=difference,
            caution=_("This is a plain difference between two figures, not an effect of the programme: "
                      "the baseline was entered by the programme's manager, and the people it describes "
                      "may differ from the programme's mentees in many ways (age, origin, education, "
                      "time, place, how they were selected). It does not show that mentoring caused "
                      "the difference."))

    # ---- trends
    grain, bounds = _buckets(q)
    charts = _trend_charts(con, q, bounds, grain, figures, head_ended, realized, ended_cols, ended_parts,
                           t, _, fmt)

    # ---- breakdowns
    breakdowns = [_breakdown(con, q, by, head_ended, ended_cols, t, _, fmt)
                  for by in ("gender", "education_level", "region")]
    if "positive" in ended_cols:
        charts.append(_breakdown_chart(breakdowns, _, fmt))

    # ---- funding
    funding_tables, funding_chart = _funding(con, q, figures, _, fmt)
    if funding_chart is not None:
        charts.append(funding_chart)

    # ---- methodology
    coverage = _table_coverage(con)
    exit_cov = _exit_outcome_coverage(con, q, ended, t)
    methodology = []
    for fig in headline:
        ind = INDICATORS[fig.key]
        parts = []
        for table in ind.tables:
            present, rows = coverage.get(table, (False, 0))
            parts.append(_("{table}: {rows} rows").format(table=table, rows=fmt.number(rows))
                         if present else _("{table}: not provided").format(table=table))
        text = ", ".join(parts)
        if "outcomes" in ind.tables and fig.key not in ("job_rate_12m", "followup_12m_coverage"):
            text += ". " + _("Exit outcome recorded for {rate} of the duos that ended.").format(
                rate=fmt.rate(exit_cov))
        if fig.key == "job_rate_12m":
            text += ". " + _("12-month follow-up recorded for {rate} of the duos due.").format(
                rate=by_key["followup_12m_coverage"].value)
        methodology.append(MethodEntry(
            key=fig.key, label=fig.label, definition=_(ind.definition),
            period=short_period, as_of=as_of, coverage=text, iris_code=fig.iris_code))
    method_notes = [
        _("Every figure is computed from the records as they stood on the as-of date ({date}); "
          "records dated later are left out, so the report can be reproduced.").format(date=as_of),
        _("Small-cell suppression: a count from 1 to {m} is shown as <{t}; a rate is hidden (*) when "
          "fewer than {t} duos are behind it, or when its numerator or the rest of its denominator is "
          "between 1 and {m}; a mean, median or cost ratio over fewer than {t} people or duos is hidden; "
          "and where a table shows totals, further cells are hidden (*) so that no hidden cell can be "
          "worked out from the others.").format(t=t, m=t - 1),
        _("This report contains no personal data: no names, notes, birth dates or identifiers, and "
          "individual donors are shown only together."),
        _("IRIS+ codes are given only where the match with the IRIS+ catalogue is certain."),
        _("Rates are shares of duos (a mentee may have had more than one duo); beneficiaries are "
          "counted once."),
    ]
    legend = _("<{t}: fewer than {t}. *: hidden to protect small numbers. —: not available "
               "(nothing to count, or the data were not provided).").format(t=t)

    labels = {
        "headline": _("Headline figures"), "baseline": _("Comparison with a baseline"),
        "trends": _("Trends and breakdowns"), "breakdowns": _("Outcomes by group"),
        "funding": _("Funding"), "methodology": _("Methodology"), "figure": _("Figure"),
        "definition": _("Definition"), "period": _("Period"), "as_of": _("As of"),
        "coverage": _("Data coverage"), "iris": _("IRIS+ code"), "legend": _("How to read the tables"),
        "programme": _("Programme"), "baseline_value": _("Baseline"), "difference": _("Difference"),
        "source": _("Source"),
        "source_line": _("Source: {source}").format(source=baseline.source) if baseline else "",
        "baseline_header": _("Baseline: {label}").format(label=baseline.label) if baseline else "",
        "generated": _("Generated on {date} by Duo Impact").format(date=fmt.day(generated_on)),
        "chart_data": _("Data of the chart"),
    }
    model = ReportModel(
        lang=lang, title=_("Impact report"),
        subtitle=_("Mentoring for employment: young job seekers paired with experienced mentors"),
        scope=[(_("Period"), scope_period), (_("As of"), as_of), (_("Branches"), branches),
               (_("Suppression threshold"), str(t))],
        threshold=t, headline=headline, baseline=comparison, charts=charts, breakdowns=breakdowns,
        funding=funding_tables, methodology=methodology, method_notes=method_notes, legend=legend,
        labels=labels, generated_on=fmt.day(generated_on))
    # a last check, on the kinds of value that cannot pass for ordinary words
    # or numbers (a first name or a numeric id could: the tests check those)
    check_no_personal_data(model_text(model), suppression.personal_values(
        con, kinds=("birth_dates", "notes", "individual_funders"), min_length=6))
    return model


_BASELINE_KEYS = ("job_exit_rate", "positive_exit_rate", "completion_rate", "job_rate_12m")


def _exit_outcome_coverage(con, q, ended: dict, t: int) -> Cell:
    from analytics.engine import insights

    frame = insights.outcome_breakdown(con, q, "gender")
    if not len(frame) or frame["exit_outcomes"].isna().any():
        return Cell(None)
    return suppression.rate(int(frame["exit_outcomes"].sum()), ended["ended"], t)


def _ended_frame(rows: dict[object, dict], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame([[r[c] for c in cols] for r in rows.values()], index=list(rows), columns=cols)


def _same_totals(head: suppression.SuppressedTable, totals: dict, cols: Sequence[str]) -> None:
    """A table's total row must be the headline's (where the headline shows it)."""
    for c in cols:
        if not head.is_hidden(TOTAL, c) and abs(float(head.values.at[TOTAL, c]) - float(totals[c])) > 1e-9:
            raise ReportError(f"internal inconsistency: the parts of {c} do not add up to the headline")


def _carry(head: suppression.SuppressedTable, cols: Sequence[str]) -> tuple[dict, set]:
    """The headline's hidden cells (to hide again) and visible ones (to keep)."""
    hide = {(TOTAL, c): head.reasons.at[TOTAL, c] for c in cols if head.is_hidden(TOTAL, c)}
    keep = {(TOTAL, c) for c in cols if not head.is_hidden(TOTAL, c)}
    return hide, keep


def _breakdown(con, q, by: str, head: suppression.SuppressedTable, cols: list[str], t: int, _, fmt) -> Table:
    from analytics.engine import insights

    frame = insights.outcome_breakdown(con, q, by)
    cols = [c for c in cols if not c.endswith("completed")]  # no completion by group
    rows: dict[object, dict] = {}
    for r in frame.itertuples(index=False):
        duos = int(r.duos)
        pos = None if pd.isna(r.positive_exits) else int(r.positive_exits)
        job = None if pd.isna(r.jobs) else int(r.jobs)
        rows[r.group] = {"ended": duos, "positive": pos, "not_positive": None if pos is None else duos - pos,
                         "job": job, "not_job": None if job is None else duos - job}
    rows[TOTAL] = {c: sum(r[c] for r in rows.values()) if rows else 0 for c in cols}
    _same_totals(head, rows[TOTAL], cols)
    frame_counts = _ended_frame(rows, cols)
    hide, keep = _carry(head, cols)
    parts = [(list(p), tot) for p, tot in ENDED_PARTS if all(c in cols for c in (*p, tot))]
    lines = suppression.table_lines(frame_counts, total_row=TOTAL, partitions=parts)
    table = suppression.suppress_cells(frame_counts, lines, t, hide=hide, keep=keep)
    labels = GROUP_LABELS[by]
    has_outcomes = "positive" in cols
    columns = [_("Group"), _("Duos that ended")]
    if has_outcomes:
        columns += [_("Positive exits"), _("Positive exit rate"), _("Job exits"), _("Job exit rate")]
    out_rows, out_values = [], []
    for g in rows:
        name = _("All groups") if g == TOTAL else _(labels.get(g, g))
        line = [name, fmt.count(table.cell(g, "ended"))]
        vals: list[float | None] = [None, table.cell(g, "ended").value]
        if has_outcomes:
            pos_rate = suppression.derived_rate(table, g, ["positive"], "ended")
            job_rate = suppression.derived_rate(table, g, ["job"], "ended")
            line += [fmt.count(table.cell(g, "positive")), fmt.rate(pos_rate),
                     fmt.count(table.cell(g, "job")), fmt.rate(job_rate)]
            vals += [table.cell(g, "positive").value, pos_rate.value, table.cell(g, "job").value, job_rate.value]
        out_rows.append(line)
        out_values.append(vals)
    note = _("Duos realized that ended in the period, by a characteristic of the mentee. "
             "Positive exit: a job, self-employment, a training or an internship.")
    return Table(key=f"outcomes_by_{by}", title=_(BREAKDOWN_TITLES[by]), columns=columns, rows=out_rows,
                 values=out_values, note=note)


# ---------------------------------------------------------------- charts
def _layout(fig, title: str, y_title: str, fmt: _Fmt, y_format: str | None = None, height: int = 340):
    fig.update_layout(
        title={"text": html.escape(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 12, "color": "#222"},
        separators=fmt.separators(), template="plotly_white", height=height, width=760,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=html.escape(y_title), rangemode="tozero", tickformat=y_format)
    if y_format == ".0%":
        _percent_axis(fig.update_yaxes, fmt)
    return fig


def _percent_axis(update, fmt: _Fmt) -> None:
    """Rates on an axis as the locale writes them ("40 %" in French, "40%" in English)."""
    ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    update(tickmode="array", tickvals=ticks, ticktext=[fmt.percent(v) for v in ticks], tickformat=None)


def _bucket_label(start: dt.date, grain: str, _, fmt: _Fmt) -> str:
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return _("Q{n} {year}").format(n=(start.month - 1) // 3 + 1, year=start.year)
    return fmt.month(start)


def _bucket_figures(con, q, bounds, grain) -> dict[tuple[dt.date, dt.date], dict]:
    """The handbook's figures per bucket: one engine series when the buckets
    are the calendar buckets the engine makes, else one query per bucket."""
    start, end = bounds[0][0], bounds[-1][1]
    calendar = [(f, t) for f, t in engine.bucket_bounds(start, end, grain) if f <= q.as_of]
    if calendar == [(f, t) for f, t, _inside in bounds]:
        series = engine.indicator_series(con, engine.Query(q.as_of, start, end, q.branches), grain=grain)
        out = {}
        for row in series.to_dict(orient="records"):
            key = (pd.Timestamp(row["period_from"]).date(), pd.Timestamp(row["period_to"]).date())
            out[key] = {k: engine.clean_value(v) for k, v in row.items()}
        if set(out) == set(calendar):
            return out
    return {(f, t): engine.indicators(con, engine.Query(q.as_of, f, t, q.branches)) for f, t, _inside in bounds}


def _trend_charts(con, q, bounds, grain, figures, head_ended, realized_cell, ended_cols, ended_parts,
                  t: int, _, fmt: _Fmt) -> list[Chart]:
    import plotly.graph_objects as go

    if not bounds:
        return []
    rows_realized: dict[object, dict] = {}
    rows_ended: dict[object, dict] = {}
    money: list[tuple[float | None, float | None]] = []
    labels, in_period = [], []
    by_bucket = _bucket_figures(con, q, bounds, grain)
    for f, to, inside in bounds:
        bq = engine.Query(q.as_of, f, to, q.branches)
        fig = by_bucket[(f, to)]
        if not inside and not labels and not fig["duos_realized"] and not fig["duos_matched"]:
            continue  # before the programme began
        labels.append(_bucket_label(f, grain, _, fmt))
        if inside:
            in_period.append(labels[-1])
        rows_realized[labels[-1]] = {"duos_realized": fig["duos_realized"]}
        rows_ended[labels[-1]] = _ended_counts(con, bq, fig)
        money.append((fig.get("total_costs_eur"), fig.get("total_funding_eur")))
    if len(set(labels)) != len(labels):  # pragma: no cover - calendar buckets have distinct labels
        raise ReportError("duplicate bucket labels")
    charts = []
    grain_word = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}[grain]
    period_note = (_("The shaded part is the period of the report; what comes before it is shown for "
                     "comparison.") if len(in_period) < len(labels) else "")

    def shade(figure) -> None:
        if len(in_period) < len(labels) and in_period:
            first, last = labels.index(in_period[0]), labels.index(in_period[-1])
            figure.add_vrect(x0=first - 0.5, x1=last + 0.5, fillcolor="#E69F00", opacity=0.10, line_width=0,
                             layer="below")

    def marks(figure, cells: list[Cell]) -> None:
        """Say on the chart what a missing bar or point is ("<5", "*")."""
        for label, cell in zip(labels, cells):
            if cell.hidden:
                figure.add_annotation(x=label, y=0, text=html.escape(cell.mark), showarrow=False, yshift=9,
                                      font={"size": 10, "color": GREY})

    # duos realized per bucket: the period's buckets add up to the headline
    rows_realized[TOTAL] = {"duos_realized": figures["duos_realized"]}
    frame = _ended_frame(rows_realized, ["duos_realized"])
    lines = suppression.table_lines(frame, total_row=TOTAL, total_row_parts=in_period)
    hide = {(TOTAL, "duos_realized"): realized_cell.reason} if realized_cell.hidden else {}
    table = suppression.suppress_cells(frame, lines, t, hide=hide,
                                       keep=set() if hide else {(TOTAL, "duos_realized")})
    cells = [table.cell(b, "duos_realized") for b in labels]
    title = _("Duos realized per {grain}").format(grain=grain_word)
    fig = go.Figure(go.Bar(x=labels, y=[c.value for c in cells], marker_color=BLUE,
                           name=_("Duos realized")))
    _layout(fig, title, _("Duos"), fmt, ",d")
    shade(fig)
    marks(fig, cells)
    charts.append(Chart(key="duos_realized_trend", title=title, figure=fig,
                        table=Table(key="duos_realized_trend", title=title,
                                    columns=[_("Period"), _("Duos realized")],
                                    rows=[[b, fmt.count(c)] for b, c in zip(labels, cells)],
                                    values=[[None, c.value] for c in cells]),
                        note=" ".join(x for x in (period_note, _(
                            "A bar is missing where the number is hidden (<{t}: fewer than {t}; *: hidden to "
                            "protect another bar).").format(t=t)) if x)))

    # exit rates per bucket: the buckets' ended duos add up to the headline's
    if "positive" in ended_cols:
        cols = [c for c in ended_cols if not c.endswith("completed")]
        parts = [(p, tot) for p, tot in ended_parts if all(c in cols for c in (*p, tot))]
        rows = {b: {c: r[c] for c in cols} for b, r in rows_ended.items()}
        rows[TOTAL] = {c: sum(rows[b][c] for b in in_period) for c in cols}
        _same_totals(head_ended, rows[TOTAL], cols)
        frame = _ended_frame(rows, cols)
        hide, keep = _carry(head_ended, cols)
        lines = suppression.table_lines(frame, total_row=TOTAL, partitions=parts, total_row_parts=in_period)
        table = suppression.suppress_cells(frame, lines, t, hide=hide, keep=keep)
        pos = [suppression.derived_rate(table, b, ["positive"], "ended") for b in labels]
        job = [suppression.derived_rate(table, b, ["job"], "ended") for b in labels]
        title = _("Exit outcomes of the duos that ended, per {grain}").format(grain=grain_word)
        fig = go.Figure()
        fig.add_scatter(x=labels, y=[c.value for c in pos], name=_("Positive exit rate"), mode="lines+markers",
                        line={"color": GREEN, "width": 2}, connectgaps=False)
        fig.add_scatter(x=labels, y=[c.value for c in job], name=_("Job exit rate"), mode="lines+markers",
                        line={"color": BLUE, "width": 2}, connectgaps=False)
        _layout(fig, title, _("Share of the duos that ended"), fmt, ".0%")
        fig.update_yaxes(range=[0, 1.05])
        shade(fig)
        charts.append(Chart(
            key="exit_rates_trend", title=title, figure=fig,
            table=Table(key="exit_rates_trend", title=title,
                        columns=[_("Period"), _("Duos that ended"), _("Positive exit rate"), _("Job exit rate")],
                        rows=[[b, fmt.count(table.cell(b, "ended")), fmt.rate(p), fmt.rate(j)]
                              for b, p, j in zip(labels, pos, job)],
                        values=[[None, table.cell(b, "ended").value, p.value, j.value]
                                for b, p, j in zip(labels, pos, job)]),
            note=" ".join(x for x in (period_note, _(
                "A point is missing where the rate is hidden to protect small numbers.")) if x)))

    # costs and funding per bucket (amounts of money: not about people)
    if any(c is not None for c, _f in money) or any(f is not None for _c, f in money):
        title = _("Costs and funding received per {grain}").format(grain=grain_word)
        fig = go.Figure()
        fig.add_bar(x=labels, y=[c for c, _f in money], name=_("Costs"), marker_color=ORANGE)
        fig.add_bar(x=labels, y=[f for _c, f in money], name=_("Funding received"), marker_color=BLUE)
        _layout(fig, title, _("Euros (€)"), fmt, ",.0f")
        shade(fig)
        charts.append(Chart(
            key="costs_funding_trend", title=title, figure=fig, note=period_note,
            table=Table(key="costs_funding_trend", title=title,
                        columns=[_("Period"), _("Costs"), _("Funding received")],
                        rows=[[b, fmt.eur(suppression.shown(c)), fmt.eur(suppression.shown(f))]
                              for b, (c, f) in zip(labels, money)],
                        values=[[None, c, f] for c, f in money])))
    return charts


def _breakdown_chart(breakdowns: list[Table], _, fmt: _Fmt) -> Chart:
    """Positive exit rate per group of every breakdown, from the suppressed tables."""
    import plotly.graph_objects as go

    names, values, texts, colours = [], [], [], []
    palette = {"outcomes_by_gender": BLUE, "outcomes_by_education_level": ORANGE, "outcomes_by_region": GREEN}
    for table in breakdowns:
        for row, vals in zip(table.rows, table.values):
            if row[0] == _("All groups"):
                continue
            names.append(row[0])
            values.append(vals[3])
            texts.append(row[3])
            colours.append(palette.get(table.key, GREY))
    title = _("Positive exit rate by group")
    height = max(300, 26 * len(names) + 110)
    fig = go.Figure(go.Bar(y=[html.escape(n) for n in names], x=values, orientation="h", marker_color=colours,
                           text=[html.escape(x) for x in texts], textposition="outside", cliponaxis=False))
    _layout(fig, title, "", fmt, None, height=height)
    fig.update_xaxes(type="linear", range=[0, 1.15], title_text=html.escape(_("Positive exit rate")))
    _percent_axis(fig.update_xaxes, fmt)
    fig.update_yaxes(type="category", autorange="reversed", title_text="", tickformat=None)
    fig.update_layout(showlegend=False, margin={"l": 200, "r": 20, "t": 60, "b": 50})
    for name, value, text in zip(names, values, texts):
        if value is None and text != MISSING:  # say what a missing bar is
            fig.add_annotation(x=0, y=html.escape(name), text=html.escape(text), showarrow=False, xanchor="left",
                               xshift=4, font={"size": 10, "color": GREY})
    return Chart(key="positive_exit_by_group", title=title, figure=fig,
                 table=Table(key="positive_exit_by_group", title=title,
                             columns=[_("Group"), _("Positive exit rate")],
                             rows=[[n, x] for n, x in zip(names, texts)],
                             values=[[None, v] for v in values]),
                 note=_("Gender in blue, education level in orange, region of origin in green. "
                        "A bar is missing where the rate is hidden to protect small numbers."))


def _funding(con, q, figures, _, fmt: _Fmt) -> tuple[list[Table], Chart | None]:
    import plotly.graph_objects as go

    rows = _funding_rows(con, q)
    if rows.empty and figures.get("total_funding_eur") is None:
        return [], None
    total = float(rows["amount_eur"].sum()) if len(rows) else 0.0
    if figures.get("total_funding_eur") is not None and abs(total - figures["total_funding_eur"]) > 0.005:
        raise ReportError("internal inconsistency: funding rows do not add up to total_funding_eur")
    by_type = rows.groupby("funder_type", as_index=False)["amount_eur"].sum() \
        .sort_values(["amount_eur", "funder_type"], ascending=[False, True]) if len(rows) else rows
    type_rows, type_values = [], []
    for r in by_type.itertuples(index=False):
        share = r.amount_eur / total if total else None
        type_rows.append([_(FUNDER_TYPES.get(r.funder_type, r.funder_type)), fmt.money(r.amount_eur),
                          fmt.percent(share)])
        type_values.append([None, float(r.amount_eur), share])
    type_rows.append([_("Total"), fmt.money(total), fmt.percent(1.0 if total else None)])
    type_values.append([None, total, 1.0 if total else None])
    by_funder = suppression.group_individual_donors(rows, individual_label=_("Individual donors"))
    truncated = len(by_funder) > TOP_FUNDERS
    if truncated:
        rest = by_funder.iloc[TOP_FUNDERS:]
        by_funder = pd.concat([by_funder.iloc[:TOP_FUNDERS], pd.DataFrame([{
            "funder": _("{n} other funders").format(n=fmt.number(len(rest))), "funder_type": "",
            "amount_eur": float(rest["amount_eur"].sum())}])], ignore_index=True)
    funder_rows, funder_values = [], []
    for r in by_funder.itertuples(index=False):
        share = r.amount_eur / total if total else None
        funder_rows.append([r.funder, _(FUNDER_TYPES[r.funder_type]) if r.funder_type in FUNDER_TYPES else "",
                            fmt.money(r.amount_eur), fmt.percent(share)])
        funder_values.append([None, None, float(r.amount_eur), share])
    tables = [
        Table(key="funding_by_type", title=_("Funding mix by type of funder"),
              columns=[_("Type of funder"), _("Amount"), _("Share")], rows=type_rows, values=type_values,
              note=_("Funding received in the period.")),
        Table(key="funding_by_funder", title=_("Funders"),
              columns=[_("Funder"), _("Type of funder"), _("Amount"), _("Share")], rows=funder_rows,
              values=funder_values,
              note=(_("The {n} largest funders, then the others together.").format(n=TOP_FUNDERS) + " "
                    if truncated else "")
              + _("Gifts from private persons are shown together as \"individual donors\".") + " " + _(
                  "Concentration (HHI): {hhi}; largest funder's share: {share}.").format(
                  hhi=fmt.index(suppression.shown(figures.get("funding_hhi"))),
                  share=fmt.rate(suppression.shown(figures.get("largest_funder_share"))))),
    ]
    chart = None
    if len(by_type):
        title = _("Funding mix by type of funder")
        names = [_(FUNDER_TYPES.get(x, x)) for x in by_type["funder_type"]]
        shares = [float(a) / total if total else None for a in by_type["amount_eur"]]
        fig = go.Figure(go.Bar(y=[html.escape(n) for n in names], x=shares, orientation="h", marker_color=SKY,
                               text=[fmt.percent(s) for s in shares], textposition="outside", cliponaxis=False))
        _layout(fig, title, "", fmt, None, height=max(260, 34 * len(names) + 120))
        fig.update_xaxes(type="linear", range=[0, 1.15], title_text=html.escape(_("Share")))
        _percent_axis(fig.update_xaxes, fmt)
        fig.update_yaxes(type="category", autorange="reversed", title_text="", tickformat=None)
        fig.update_layout(showlegend=False, margin={"l": 160, "r": 20, "t": 60, "b": 50})
        chart = Chart(key="funding_mix", title=title, figure=fig, table=tables[0])
    return tables, chart


# ---------------------------------------------------------------- personal data check
def model_text(model: ReportModel) -> str:
    """Every text of the model (what any rendering can show), one per line."""
    parts: list[str] = [model.title, model.subtitle, model.legend, *model.method_notes]
    parts += [f"{a}: {b}" for a, b in model.scope]
    for f in model.headline:
        parts += [f.label, f.value, f.note, f.iris_code]
    if model.baseline:
        b = model.baseline
        parts += [b.label, b.source, b.programme, b.baseline, b.difference]
    tables = [*model.breakdowns, *model.funding, *(c.table for c in model.charts)]
    for table in tables:
        parts += [table.title, table.note, *table.columns]
        for row in table.rows:
            parts += row
    for c in model.charts:
        parts += [c.title, c.note]
    for m in model.methodology:
        parts += [m.label, m.definition, m.coverage, m.iris_code]
    return "\n".join(p for p in parts if p)


def check_no_personal_data(text: str, personal: set[str]) -> None:
    """Fail closed if any personal value of the data set appears in ``text``
    as a whole word (so "D1" does not match "D10", nor "Ali" "Alice")."""
    found = sorted(v for v in personal
                   if re.search(r"(?<![\w])" + re.escape(v) + r"(?![\w])", text))
    if found:
        raise ReportError(f"the report would show personal data ({len(found)} value(s)); nothing was written")


# ---------------------------------------------------------------- HTML
CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; line-height: 1.4; font-size: 11pt; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; color: #0b3d66; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; color: #0b3d66; border-bottom: 2px solid #0072B2;
     padding-bottom: .2rem; break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
.subtitle { color: #555; margin: 0 0 1rem; }
dl.scope { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem;
           font-size: .95rem; }
dl.scope dt { font-weight: bold; }
dl.scope dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: .5rem; }
.card { border: 1px solid #c9d6e2; border-radius: 6px; padding: .55rem .7rem; break-inside: avoid; }
.card .label { font-size: .85rem; color: #333; font-weight: bold; }
.card .value { font-size: 1.45rem; font-weight: bold; color: #0b3d66; margin: .1rem 0; }
.card .note { font-size: .78rem; color: #555; }
.iris { display: inline-block; font-size: .72rem; color: #0b3d66; border: 1px solid #0072B2; border-radius: 3px;
        padding: 0 .25rem; margin-left: .3rem; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .3rem; font-size: .88rem; break-inside: auto; }
th, td { border-bottom: 1px solid #d8dee4; padding: .28rem .45rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
tbody th[scope="row"] { min-width: 9rem; }
thead th { background: #eef3f8; border-bottom: 2px solid #9fb3c8; }
tr { break-inside: avoid; }
tr.total td { font-weight: bold; border-top: 2px solid #9fb3c8; }
table.method td, table.method th { text-align: left; font-size: .8rem; }
table.method th:first-child { width: 16%; } table.method td:nth-child(2) { width: 38%; }
table.method td:nth-child(3) { width: 13%; } table.method td:nth-child(4) { width: 27%; }
table.method td:nth-child(5) { width: 6%; }
.note { font-size: .82rem; color: #555; margin: .2rem 0 .8rem; }
.legend { font-size: .85rem; background: #f6f8fa; border-left: 4px solid #0072B2; padding: .4rem .6rem; }
.caution { font-size: .88rem; background: #fff7e6; border-left: 4px solid #E69F00; padding: .5rem .7rem; }
figure { margin: .6rem 0 1.2rem; break-inside: avoid; }
.block { break-inside: avoid; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .82rem; color: #555; }
details { font-size: .85rem; margin-top: .3rem; }
.chart { min-height: 200px; }
footer { margin-top: 2rem; font-size: .78rem; color: #666; border-top: 1px solid #ccc; padding-top: .4rem; }
ul.notes { font-size: .85rem; padding-left: 1.2rem; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: auto; }
  section.break { break-before: page; }
  details { display: none; }
}
@media screen and (max-width: 700px) { .cards { grid-template-columns: 1fr 1fr; } }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _table_html(table: Table, total_label: str | None = None) -> str:
    out = ["<table>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(c)}</th>' for c in table.columns]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cls = ' class="total"' if total_label is not None and row and row[0] == total_label else ""
        cells = [f'<th scope="row">{_e(row[0])}</th>'] + [f"<td>{_e(v)}</td>" for v in row[1:]]
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


@contextmanager
def _kaleido() -> Iterator[None]:
    """One headless browser for all of a report's static charts."""
    import kaleido

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = False
        try:
            kaleido.start_sync_server(silence_warnings=True)
            started = True
        except Exception:  # already running, or cannot start: to_image starts its own
            pass
        try:
            yield
        finally:
            if started:
                try:
                    kaleido.stop_sync_server(silence_warnings=True)
                except Exception:  # pragma: no cover
                    pass


def _chart_svg(fig) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        svg = fig.to_image(format="svg")
    return base64.b64encode(svg).decode("ascii")


def render_html(model: ReportModel, *, static: bool = False) -> str:
    """The report as one self-contained HTML page.

    ``static=False``: interactive charts (plotly.js inline, no network).
    ``static=True``: charts as SVG images made by kaleido and no JavaScript at
    all (what the PDF is printed from).
    """
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    L = model.labels
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           + ("script-src 'none'" if static else "script-src 'unsafe-inline'"))
    head = [
        "<!DOCTYPE html>", f'<html lang="{_e(model.lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Duo Impact">',
        f"<title>{_e(model.title)} — {_e(model.scope[0][1])}</title>", f"<style>{CSS}</style>",
    ]
    if not static and model.charts:
        head.append(f'<script type="text/javascript">{get_plotlyjs()}</script>')
    head.append("</head>")
    body = ["<body>", "<header>", f"<h1>{_e(model.title)}</h1>", f'<p class="subtitle">{_e(model.subtitle)}</p>',
            '<dl class="scope">']
    body += [f"<dt>{_e(a)}</dt><dd>{_e(b)}</dd>" for a, b in model.scope]
    body += ["</dl>", f'<p class="legend"><strong>{_e(L["legend"])}.</strong> {_e(model.legend)}</p>', "</header>"]

    body += ['<section id="headline">', f"<h2>{_e(L['headline'])}</h2>"]
    for group in dict.fromkeys(f.group for f in model.headline):
        body += [f"<h3>{_e(group)}</h3>", '<div class="cards">']
        for f in model.headline:
            if f.group != group:
                continue
            iris = f' <span class="iris" title="IRIS+">IRIS+ {_e(f.iris_code)}</span>' if f.iris_code else ""
            body.append(f'<div class="card"><div class="label">{_e(f.label)}{iris}</div>'
                        f'<div class="value">{_e(f.value)}</div><div class="note">{_e(f.note)}</div></div>')
        body.append("</div>")
    body.append("</section>")

    if model.baseline:
        b = model.baseline
        body += ['<section id="baseline">', f"<h2>{_e(L['baseline'])}</h2>",
                 "<table><thead><tr>"
                 f'<th scope="col">{_e(L["figure"])}</th><th scope="col">{_e(L["programme"])}</th>'
                 f'<th scope="col">{_e(L["baseline_header"])}</th>'
                 f'<th scope="col">{_e(L["difference"])}</th></tr></thead><tbody><tr>'
                 f'<th scope="row">{_e(b.indicator_label)}</th><td>{_e(b.programme)}</td>'
                 f"<td>{_e(b.baseline)}</td><td>{_e(b.difference)}</td></tr></tbody></table>"]
        if b.source:
            body.append(f'<p class="note">{_e(L["source_line"])}</p>')
        body += [f'<p class="caution">{_e(b.caution)}</p>', "</section>"]

    def chart_html(c: Chart) -> str:
        if static:
            img = (f'<img alt="{_e(c.title)}" src="data:image/svg+xml;base64,{_chart_svg(c.figure)}">')
        else:
            img = pio.to_html(c.figure, full_html=False, include_plotlyjs=False, div_id=f"chart-{c.key}",
                              config={"displaylogo": False, "responsive": True,
                                      "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
        caption = f"<figcaption>{_e(c.note)}</figcaption>" if c.note else ""
        data = (f"<details><summary>{_e(L['chart_data'])}</summary>{_table_html(c.table)}</details>")
        return f'<figure class="chart">{img}{caption}{data}</figure>'

    def with_charts(render: Callable[[], None]) -> None:
        if static:
            with _kaleido():
                render()
        else:
            render()

    def sections() -> None:
        trend = [c for c in model.charts if c.key.endswith("_trend")]
        if trend:
            body.extend(['<section id="trends">', f"<h2>{_e(L['trends'])}</h2>"])
            body.extend(chart_html(c) for c in trend)
            body.append("</section>")
        body.extend(['<section id="breakdowns">', f"<h2>{_e(L['breakdowns'])}</h2>"])
        for c in model.charts:
            if c.key == "positive_exit_by_group":
                body.append(chart_html(c))
        for table in model.breakdowns:
            body.append(f'<div class="block"><h3>{_e(table.title)}</h3>'
                        f"{_table_html(table, total_label=table.rows[-1][0])}"
                        f'<p class="note">{_e(table.note)}</p></div>')
        body.append("</section>")
        if model.funding:
            body.extend(['<section id="funding">', f"<h2>{_e(L['funding'])}</h2>"])
            for c in model.charts:
                if c.key == "funding_mix":
                    body.append(chart_html(c))
            for table in model.funding:
                total_label = table.rows[-1][0] if table.key == "funding_by_type" and table.rows else None
                block = "block" if len(table.rows) <= 16 else ""
                body.append(f'<div class="{block}"><h3>{_e(table.title)}</h3>{_table_html(table, total_label)}'
                            f'<p class="note">{_e(table.note)}</p></div>')
            body.append("</section>")

    with_charts(sections)

    body += ['<section id="methodology" class="break">', f"<h2>{_e(L['methodology'])}</h2>",
             '<ul class="notes">', *(f"<li>{_e(n)}</li>" for n in model.method_notes), "</ul>",
             '<table class="method"><thead><tr>'
             f'<th scope="col">{_e(L["figure"])}</th><th scope="col">{_e(L["definition"])}</th>'
             f'<th scope="col">{_e(L["period"])}</th><th scope="col">{_e(L["coverage"])}</th>'
             f'<th scope="col">{_e(L["iris"])}</th></tr></thead><tbody>']
    for m in model.methodology:
        body.append(f'<tr><th scope="row">{_e(m.label)}</th><td>{_e(m.definition)}</td>'
                    f"<td>{_e(m.period)}</td><td>{_e(m.coverage)}</td><td>{_e(m.iris_code)}</td></tr>")
    body += ["</tbody></table>", "</section>", f"<footer>{_e(L['generated'])}</footer>", "</body>", "</html>"]
    return "\n".join(head + body) + "\n"


# ---------------------------------------------------------------- PDF
def chromium_path() -> str:
    for candidate in (os.environ.get("DUO_IMPACT_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    raise ReportError("PDF export needs Chromium (apt-get install chromium), which was not found")


def html_to_pdf(html_text: str, timeout: float = 180) -> bytes:
    """Print an HTML page to PDF with headless Chromium (no network, no profile)."""
    with tempfile.TemporaryDirectory(prefix="duo-report-") as tmp:
        page = Path(tmp) / "report.html"
        out = Path(tmp) / "report.pdf"
        page.write_text(html_text, encoding="utf-8")
        cmd = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired as error:
            raise ReportError("Chromium did not finish printing the PDF in time") from error
        if not out.exists() or out.stat().st_size == 0:
            raise ReportError("Chromium could not print the PDF: "
                              + proc.stderr.decode("utf-8", "replace")[-500:])
        data = out.read_bytes()
    if not data.startswith(b"%PDF"):
        raise ReportError("Chromium wrote something that is not a PDF")
    return data


def render_pdf(model: ReportModel) -> bytes:
    """The report as PDF: the static HTML (SVG charts, no JavaScript) printed by Chromium."""
    return html_to_pdf(render_html(model, static=True))


# ---------------------------------------------------------------- CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ TAB or CR
    gets a leading apostrophe (plain numbers stay numbers)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _plain(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return repr(round(float(v), 6)) if not float(v).is_integer() else str(int(v))


def render_csv(model: ReportModel) -> bytes:
    """Every figure and table of the report in one CSV (UTF-8 with BOM).

    Columns: ``section, table, row, column, value, shown``: ``value`` is the
    plain number where it is shown (empty where hidden or not available),
    ``shown`` the text as in the report (``<5``, ``*``, formatted numbers).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    L = model.labels
    writer.writerow(["section", "table", "row", "column", "value", "shown"])

    def row(*cells):
        writer.writerow([csv_safe(c) for c in cells])

    for label, value in model.scope:
        row("scope", "", label, "", "", value)
    for f in model.headline:
        row("headline", "", f.label, L["figure"], _plain(f.cell.value) if not f.cell.hidden else "", f.value)
        row("headline", "", f.label, "note", "", f.note)
        if f.iris_code:
            row("headline", "", f.label, L["iris"], "", f.iris_code)
    if model.baseline:
        b = model.baseline
        row("baseline", "", b.indicator_label, L["programme"], "", b.programme)
        row("baseline", "", b.indicator_label, L["baseline_header"], "", b.baseline)
        row("baseline", "", b.indicator_label, L["difference"], "", b.difference)
        row("baseline", "", b.indicator_label, "note", "", b.caution)
    sections = ([("chart", c.table) for c in model.charts if c.key != "funding_mix"]
                + [("breakdown", t) for t in model.breakdowns] + [("funding", t) for t in model.funding])
    for section, table in sections:
        for cells, values in zip(table.rows, table.values or [[None] * len(table.columns)] * len(table.rows)):
            for col, text, value in list(zip(table.columns, cells, values))[1:]:
                row(section, table.title, cells[0], col, _plain(value), text)
    for m in model.methodology:
        row("methodology", "", m.label, L["definition"], "", m.definition)
        row("methodology", "", m.label, L["period"], "", m.period)
        row("methodology", "", m.label, L["coverage"], "", m.coverage)
        if m.iris_code:
            row("methodology", "", m.label, L["iris"], "", m.iris_code)
    for n in model.method_notes:
        row("methodology", "", "", "note", "", n)
    row("methodology", "", "", L["legend"], "", model.legend)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render(model: ReportModel, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(model).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(model)
    if fmt == "csv":
        return render_csv(model)
    raise ReportError(f"the format must be one of {', '.join(FORMATS)}, not {fmt!r}")
