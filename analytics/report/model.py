"""The report's model, and :func:`build`, which computes it section by section.

:func:`build` computes the report for a query (period, branch filter, as-of
date) and returns a :class:`ReportModel` whose every value has already gone
through :mod:`analytics.disclosure.suppression` and then been formatted for the
report's language. Each section has its own function (scope, headline,
baseline, trends, breakdowns, funding, methodology); the renderers
(:mod:`analytics.report.html_page`, :mod:`~analytics.report.csv_file`,
:mod:`~analytics.report.pdf_file`) only lay the model out; they never see a
raw figure.

Suppression across the report (:mod:`analytics.report.cells`). The
headline's small tables are suppressed first; the trend and breakdown tables
that repeat their totals carry their hidden and visible cells. Rates are read
off those suppressed tables (a rate is shown only when the counts it is made
of are visible and the rate passes the handbook's rule); means and cost
ratios over fewer than the threshold are hidden, and a cost ratio whose
denominator is hidden elsewhere is hidden too.

What never appears: names, notes, birth dates, ids, free text, and the names
of ``individual`` funders (shown together as "individual donors"). The
report reads only aggregates (engine and insights, :mod:`analytics.report.data`),
labels groups from fixed lists (:data:`CATEGORY_LABELS`), and :func:`build`
checks the model's text against the data set's personal values before it
returns (:mod:`analytics.report.privacy`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import math
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from typing import Callable, Sequence

import pandas as pd

from analytics.disclosure import suppression
from analytics.disclosure.suppression import Cell
from analytics.engine import query as engine
from analytics.engine import standards as field_standards
from analytics.engine.registry import INDICATORS, OUTCOME_KEYS
from analytics.report import cells as report_cells
from analytics.report import charts, data
from analytics.report.cells import ENDED_COLS, ENDED_PARTS, TOTAL, carry, check_same_totals, count_frame
from analytics.report.common import (LANGUAGES, MISSING, N_, Branding, Formatter, ReportError, formatter_for,
                                    gettext_for)
from analytics.report.privacy import check_no_personal_data, model_text
from analytics.text import categories


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
    group: str = ""         # the headline's sub-heading: its Results-Based Accountability question
    section: str = ""       # that question's key: how_much, how_well, better_off (RBA_SECTIONS)
    definition: str = ""    # the registry's definition, shown under the figure
    coverage: str = ""      # the data it was computed from, shown under the figure
    outcome_note: str = ""  # the outcome definition, on every figure it changes
    previous: str = ""      # the same figure for the same days one year earlier (context)
    field_context: str = "" # a published figure of the field beside it (context, never causal)


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
    # the plain numbers behind the texts, for the CSV (None where hidden or not available):
    # rates in [0, 1], the difference in percentage points
    programme_value: float | None = None
    baseline_value: float | None = None
    difference_points: float | None = None


@dataclass
class StandardRow:
    """One standard of practice beside the programme's figure (the "How well" panel)."""

    key: str
    label: str
    figure_label: str
    value: str               # the programme's figure, suppressed ("82 %", "*", "—")
    standard: str            # the field's value and when it counts as met ("≥ 95 %")
    met: str                 # "Met", "Not met", or "—" (hidden or not available)
    source: str
    cell: Cell = field(default_factory=lambda: Cell(None))


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
    generated_on: str                      # empty when SOURCE_DATE_EPOCH is set (reproducible)
    fingerprint: dict | None = None        # analytics.pipeline.fingerprint: which data, which query
    standards: list[StandardRow] = field(default_factory=list)   # shown in "How well did we do it"
    outcome: str = "positive"              # the outcome definition (handbook v2, --outcome)
    outcome_label: str = ""                # ... as the report names it
    sections: list[tuple[str, str]] = field(default_factory=list)  # (key, title) of the RBA sections
    branding: Branding | None = None       # the programme's name, logo and colours (docs/report.md)

    @property
    def fingerprint_text(self) -> str:
        """The fingerprint as one line of JSON (keys sorted), as every rendering prints it."""
        return json.dumps(self.fingerprint, sort_keys=True, ensure_ascii=False) if self.fingerprint else ""


# ---------------------------------------------------------------- labels
# The words of the record format's list values, as the report shows them
# (translated where used). One dict, so it can become an import of the
# project's one list of category labels.
# The one label source of every category (shared with the dashboard and the CSVs).
CATEGORY_LABELS = {c.name: c.labels for c in (categories.GENDER, categories.EDUCATION_LEVEL,
                                              categories.REGION, categories.FUNDER_TYPE)}
BREAKDOWNS = ("gender", "education_level", "region")
BREAKDOWN_TITLES = {
    "gender": N_("Exit outcomes by gender"),
    "education_level": N_("Exit outcomes by education level"),
    "region": N_("Exit outcomes by region of origin"),
}
BASELINE_KEYS = ("job_exit_rate", "positive_exit_rate", "completion_rate", "job_rate_12m")

# Results-Based Accountability (Friedman): the report's three questions, and
# the section of every headline figure.
HOW_MUCH, HOW_WELL, BETTER_OFF = "how_much", "how_well", "better_off"
SECTION_OF = {
    "duos_realized": HOW_MUCH, "beneficiaries_served": HOW_MUCH, "total_costs_eur": HOW_MUCH,
    "total_funding_eur": HOW_MUCH, "funding_hhi": HOW_MUCH, "largest_funder_share": HOW_MUCH,
    "completion_rate": HOW_WELL, "followup_12m_coverage": HOW_WELL, "cost_per_beneficiary_eur": HOW_WELL,
    "cost_per_duo_eur": HOW_WELL,
    "positive_exit_rate": BETTER_OFF, "job_exit_rate": BETTER_OFF, "job_rate_12m": BETTER_OFF,
    "cost_per_positive_exit_eur": BETTER_OFF,
}
# The outcome definitions as the report names them (handbook v2, "Outcome definitions").
OUTCOME_LABELS = {
    "positive": N_("positive (a job, self-employment, a training or an internship)"),
    "job": N_("job (employed or self-employed)"),
    "stable_job": N_("stable job (self-employed, or employed on a permanent or fixed-term contract)"),
}


def rba_sections(_: Callable[[str], str]) -> list[tuple[str, str]]:
    """The three questions of Results-Based Accountability, in the report's order."""
    return [(HOW_MUCH, _("How much did we do?")), (HOW_WELL, _("How well did we do it?")),
            (BETTER_OFF, _("Is anyone better off?"))]


def outcome_line(ctx: "_Context") -> str:
    """The outcome definition in force, as every figure it changes names it."""
    _ = ctx.gettext
    return _("Outcome definition: {name}.").format(name=_(OUTCOME_LABELS[ctx.q.outcome]))


# ---------------------------------------------------------------- build
@dataclass(frozen=True)
class _Context:
    """What every section reads: the resolved query, the engine's figures,
    the threshold, and the language's gettext and formatter."""

    con: object
    q: engine.Query
    figures: dict
    t: int
    gettext: Callable[[str], str]
    fmt: Formatter
    funders: tuple[str, ...] = ()     # the viewer's own funders (named; every other donor by type only)


@dataclass(frozen=True)
class _Headline:
    """The headline figures, and the suppressed small tables behind them that
    the trend and breakdown tables repeat."""

    figures: list[Figure]
    ended: dict[str, float | None]               # raw counts of the duos that ended
    ended_cols: list[str]                        # the ones known
    ended_parts: list[tuple[list[str], str]]
    head_ended: suppression.SuppressedTable
    realized: Cell
    due_12m: int | None = None                   # raw: duos whose 12-month mark is in the period

    @property
    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}


def build(con, query: engine.Query, *, lang: str = "en", threshold: int = suppression.THRESHOLD,
          baseline: Baseline | None = None, generated_on: dt.date | None = None,
          fingerprint: dict | None = None, funders: Sequence[str] = (),
          branding: Branding | None = None) -> ReportModel:
    """The report model for ``query`` (resolved with the handbook's defaults).

    ``fingerprint`` (:func:`analytics.pipeline.fingerprint`) is printed in
    the report. ``funders`` are the viewer's own funders (a funder user's
    binding): only they are named in the funding mix, every other donor
    by type. The day of generation stands in the footer only, and not at
    all when the ``SOURCE_DATE_EPOCH`` environment variable is set (the
    reproducible-builds convention): the same snapshot and arguments then
    give the same bytes."""
    _check_request(lang, threshold, baseline)
    _ = gettext_for(lang)
    fmt = formatter_for(lang)
    q = engine.resolve(con, query)
    ctx = _Context(con=con, q=q, figures=engine.indicators(con, q), t=threshold, gettext=_, fmt=fmt,
                   funders=tuple(dict.fromkeys(str(f).strip() for f in funders)))
    reproducible = bool(os.environ.get("SOURCE_DATE_EPOCH")) and generated_on is None
    generated_on = generated_on or dt.date.today()

    money = _money(ctx)
    head = _headline(ctx, money)
    charts_ = _trend_charts(ctx, head, money)
    breakdowns = [_breakdown(ctx, by, head) for by in BREAKDOWNS]
    if "positive" in head.ended_cols:
        charts_.append(_breakdown_chart(ctx, breakdowns))
    funding, funding_chart = _funding(ctx, money)
    if funding_chart is not None:
        charts_.append(funding_chart)
    _context(ctx, head)
    methodology = _methodology(ctx, head)
    for fig, entry in zip(head.figures, methodology):
        fig.coverage = entry.coverage
    model = ReportModel(
        lang=lang, title=_("Impact report"),
        subtitle=_("Mentoring for employment: young job seekers paired with experienced mentors"),
        scope=_scope(ctx), threshold=threshold, headline=head.figures,
        baseline=_baseline_comparison(ctx, baseline, head), charts=charts_, breakdowns=breakdowns,
        funding=funding, methodology=methodology, method_notes=_method_notes(ctx),
        legend=_legend(ctx), labels=_labels(ctx, baseline, None if reproducible else generated_on),
        generated_on="" if reproducible else fmt.day(generated_on), fingerprint=fingerprint,
        standards=_standards(ctx, head), outcome=q.outcome, outcome_label=_(OUTCOME_LABELS[q.outcome]),
        sections=rba_sections(_), branding=branding)
    # a last check, on the kinds of value that cannot pass for ordinary words
    # or numbers (a first name or a numeric id could: the tests check those)
    check_no_personal_data(model_text(model), suppression.personal_values(
        con, kinds=("birth_dates", "notes", "individual_funders"), min_length=6))
    return model


def _check_request(lang: str, threshold, baseline: Baseline | None) -> None:
    if lang not in LANGUAGES:
        raise ReportError(f"the language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
        raise ReportError(f"the suppression threshold must be a whole number of at least 2, not {threshold!r}")
    if baseline is not None:
        if baseline.indicator not in BASELINE_KEYS:
            raise ReportError(f"a baseline compares with one of {', '.join(BASELINE_KEYS)}")
        if not (isinstance(baseline.value, (int, float)) and 0 <= baseline.value <= 1):
            raise ReportError("a baseline is a rate between 0 and 1 (e.g. 0.42 for 42 %)")


# ---------------------------------------------------------------- scope
def _period(ctx: _Context, style: str = "medium") -> str:
    _, fmt, q = ctx.gettext, ctx.fmt, ctx.q
    return _("{start} – {end}").format(start=fmt.day(q.period_from, style), end=fmt.day(q.period_to, style))


def _scope(ctx: _Context) -> list[tuple[str, str]]:
    """The lines under the title: period, as-of date, branches, threshold."""
    _, fmt, q = ctx.gettext, ctx.fmt, ctx.q
    period = _period(ctx)
    as_of = fmt.day(q.as_of)
    scope_period = period if q.period_to <= q.as_of else \
        _("{period} (the data go up to {date})").format(period=period, date=as_of)
    branches = ", ".join(q.branches) if q.branches else _("all branches")
    return [(_("Period"), scope_period), (_("As of"), as_of), (_("Branches"), branches),
            (_("Outcome definition"), _(OUTCOME_LABELS[q.outcome])), (_("Suppression threshold"), str(ctx.t))]


# ---------------------------------------------------------------- headline
def _headline(ctx: _Context, money: "_Money") -> _Headline:
    """The headline figures, from its two small tables (ended duos, 12-month
    follow-up) suppressed together, and the cost ratios."""
    con, q, figures, t, _, fmt = ctx.con, ctx.q, ctx.figures, ctx.t, ctx.gettext, ctx.fmt
    ended = data.ended_counts(con, q, figures)
    ended_cols = [c for c in ENDED_COLS if ended[c] is not None]
    ended_parts = [(list(p), tot) for p, tot in ENDED_PARTS if all(ended[c] is not None for c in p)]
    head_ended = suppression.suppress_counts(
        pd.DataFrame([[ended[c] for c in ended_cols]], index=[TOTAL], columns=ended_cols), t,
        partitions=ended_parts)
    follow = data.followup_counts(con, q, figures)
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

    def cost_ratio(key: str, n_cell: Cell, n_raw) -> Cell:
        value = figures.get(key)
        if value is None:
            return Cell(None)
        if (n_cell.hidden and n_cell.reason != suppression.SMALL_COUNT) or money.costs_total.hidden:
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
         _("of {n} duos that ended").format(n=n_ended), fmt.rate),
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
        ("total_costs_eur", money.costs_total, _("costs of the months in the period"), fmt.eur),
        ("total_funding_eur", money.funding_total, _("funding received in the period"), fmt.eur),
        ("funding_hhi", _funding_hhi(ctx, money), _("1 = a single funder; lower = a more diverse mix"), fmt.index),
        ("largest_funder_share", _largest_share(ctx, money),
         _("share of the largest funder (shown only when it is your own funding)"), fmt.rate),
    ]
    titles = dict(rba_sections(_))
    headline = []
    for key, cell, note, show in cells:
        ind = INDICATORS[key]
        section = SECTION_OF[key]
        outcome_note = outcome_line(ctx) if key in OUTCOME_KEYS else ""
        headline.append(Figure(key=key, label=_(ind.label), value=show(cell), note=note, cell=cell,
                               iris_code=ind.iris_code, group=titles[section], section=section,
                               definition=_(ind.definition), outcome_note=outcome_note))
    order = [key for key, _title in rba_sections(_)]
    headline.sort(key=lambda f: order.index(f.section))   # the three questions in turn (a stable sort)
    return _Headline(figures=headline, ended=ended, ended_cols=ended_cols, ended_parts=ended_parts,
                     head_ended=head_ended, realized=realized, due_12m=follow["due"])


# ---------------------------------------------------------------- context
# Published figures of the field, set beside the programme's as context (never
# as a measure of its effect). The sources are copied in docs/report.md.
FIELD_FIGURES = {
    "duos_realized": N_("DUO for a JOB (Brussels), the programme this one follows: 335 duos realized since 2013 "
                        "(its case study)."),
    "cost_per_beneficiary_eur": N_("DUO for a JOB's case study gives a cost per beneficiary of more than "
                                   "US$100."),
}


def _context(ctx: _Context, head: _Headline) -> None:
    """Each headline figure beside the same figure for the same days one year
    earlier (``insights.previous_period``, as the overview tiles compare:
    [F − 1 year, d − 1 year], the same as-of date and branches), suppressed by
    the same rules, and beside a published figure of the field where one
    exists. Context only: the texts say what they are, never an effect."""
    from analytics.engine import insights

    _, fmt = ctx.gettext, ctx.fmt
    prev_q = insights.previous_period(ctx.q)
    prev_ctx = dc_replace(ctx, q=prev_q, figures=engine.indicators(ctx.con, prev_q))
    previous = _headline(prev_ctx, _money(prev_ctx)).by_key
    period = _("{start} – {end}").format(start=fmt.day(prev_q.period_from, "short"),
                                         end=fmt.day(prev_q.period_to, "short"))
    for fig in head.figures:
        fig.previous = _("Same days a year earlier ({period}): {value}").format(
            period=period, value=previous[fig.key].value)
        if fig.key in FIELD_FIGURES:
            fig.field_context = _("In the field: {figure}").format(figure=_(FIELD_FIGURES[fig.key]))


# ---------------------------------------------------------------- standards
def _standards(ctx: _Context, head: _Headline) -> list[StandardRow]:
    """The field's standards of practice beside the programme's figures
    (:mod:`analytics.engine.standards`), each figure suppressed by the rate
    rule over the duos behind it; a figure whose count the report cannot
    read (the duo-months of the monthly check-in) is hidden (fail closed)."""
    from analytics.engine import insights

    _, fmt, figures, t = ctx.gettext, ctx.fmt, ctx.figures, ctx.t
    denominators = {
        "trained_before_match_rate": figures.get("duos_matched"),
        "staff_at_first_meeting_rate": figures.get("duos_realized"),
        "matched_within_30d_rate": len(insights.days_to_match_distribution(ctx.con, ctx.q)),
        "closed_before_term_rate": head.ended.get("ended"),
        "mentor_return_rate_12m": head.due_12m,
    }
    rows = []
    for std in field_standards.STANDARDS:
        value = figures.get(std.figure)
        n = denominators.get(std.figure)
        if value is None:
            cell = Cell(None)
        elif n is None:
            cell = suppression.hidden(suppression.FROM_HIDDEN, t)
        else:
            numerator = round(value * n)
            cell = (suppression.rate(numerator, n, t) if n and abs(numerator / n - value) < 1e-9
                    else suppression.hidden(suppression.FROM_HIDDEN, t))
        met = field_standards.is_met(std, cell.value)
        sign = "≥" if std.direction == "up" else "≤"
        rows.append(StandardRow(
            key=std.key, label=_(std.label), figure_label=_(INDICATORS[std.figure].label), value=fmt.rate(cell),
            standard=_("{value} (met when {sign} {threshold})").format(
                value=fmt.percent(std.standard), sign=sign, threshold=fmt.percent(std.threshold)),
            met=MISSING if met is None else (_("Met") if met else _("Not met")), source=_(std.source), cell=cell))
    return rows


# ---------------------------------------------------------------- baseline
def _baseline_comparison(ctx: _Context, baseline: Baseline | None, head: _Headline) -> BaselineComparison | None:
    """The manager's baseline beside the programme's figure, as a plain difference."""
    if baseline is None:
        return None
    _, fmt = ctx.gettext, ctx.fmt
    by_key = head.by_key
    programme = by_key[baseline.indicator].cell
    diff = None
    if programme.value is None:
        difference = programme.mark if programme.hidden else MISSING
    else:
        diff = (programme.value - baseline.value) * 100
        sign = "+" if diff > 0.05 else ("−" if diff < -0.05 else "±")
        difference = _("{sign}{n} percentage points").format(sign=sign, n=fmt.number(abs(diff), 1))
    return BaselineComparison(
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
                  "the difference."),
        programme_value=None if programme.hidden else programme.value, baseline_value=baseline.value,
        difference_points=None if diff is None else round(diff, 6))


# ---------------------------------------------------------------- trends
def _bucket_label(start: dt.date, grain: str, _, fmt: Formatter) -> str:
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return _("Q{n} {year}").format(n=(start.month - 1) // 3 + 1, year=start.year)
    return fmt.month(start)


def _trend_charts(ctx: _Context, head: _Headline, money: "_Money") -> list[Chart]:
    """Duos realized, exit rates, and costs and funding per calendar bucket,
    the period's buckets adding up to the headline."""
    con, q, figures, t, _, fmt = ctx.con, ctx.q, ctx.figures, ctx.t, ctx.gettext, ctx.fmt
    grain, bounds = data.buckets(q)
    if not bounds:
        return []
    rows_realized: dict[object, dict] = {}
    rows_ended: dict[object, dict] = {}
    amounts: list[tuple[float | None, float | None]] = []
    hide_costs: dict[object, str] = {}
    hide_funding: dict[object, str] = {}
    given = data.funding_received(con, q, bounds[0][0], bounds[-1][1])
    labels, in_period = [], []
    by_bucket = data.bucket_figures(con, q, bounds, grain)
    for f, to, inside in bounds:
        bq = dc_replace(q, period_from=f, period_to=to)
        fig = by_bucket[(f, to)]
        if not inside and not labels and not fig["duos_realized"] and not fig["duos_matched"]:
            continue  # before the programme began
        labels.append(_bucket_label(f, grain, _, fmt))
        if inside:
            in_period.append(labels[-1])
        rows_realized[labels[-1]] = {"duos_realized": fig["duos_realized"]}
        rows_ended[labels[-1]] = data.ended_counts(con, bq, fig)
        amounts.append((fig.get("total_costs_eur"), fig.get("total_funding_eur")))
        served = fig.get("beneficiaries_served")
        if fig.get("total_costs_eur") is not None and served is not None and suppression.small(served, t):
            hide_costs[labels[-1]] = suppression.FEW_PEOPLE      # what a small group cost
        if _few_donors(ctx, given[(given["received_on"] >= f) & (given["received_on"] <= to)]):
            hide_funding[labels[-1]] = suppression.FEW_PEOPLE    # a single donor's money
    if len(set(labels)) != len(labels):  # pragma: no cover - calendar buckets have distinct labels
        raise ReportError("duplicate bucket labels")
    out = []
    grain_word = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}[grain]
    period_note = (_("The shaded part is the period of the report; what comes before it is shown for "
                     "comparison.") if len(in_period) < len(labels) else "")

    # duos realized per bucket: the period's buckets add up to the headline
    rows_realized[TOTAL] = {"duos_realized": figures["duos_realized"]}
    frame = count_frame(rows_realized, ["duos_realized"])
    lines = suppression.table_lines(frame, total_row=TOTAL, total_row_parts=in_period)
    hide = {(TOTAL, "duos_realized"): head.realized.reason} if head.realized.hidden else {}
    table = suppression.suppress_cells(frame, lines, t, hide=hide,
                                       keep=set() if hide else {(TOTAL, "duos_realized")})
    cells = [table.cell(b, "duos_realized") for b in labels]
    title = _("Duos realized per {grain}").format(grain=grain_word)
    out.append(Chart(key="duos_realized_trend", title=title,
                     figure=charts.realized_trend(title, labels, in_period, cells, _, fmt),
                     table=Table(key="duos_realized_trend", title=title,
                                 columns=[_("Period"), _("Duos realized")],
                                 rows=[[b, fmt.count(c)] for b, c in zip(labels, cells)],
                                 values=[[None, c.value] for c in cells]),
                     note=" ".join(x for x in (period_note, _(
                         "A bar is missing where the number is hidden (<{t}: fewer than {t}; *: hidden to "
                         "protect another bar).").format(t=t)) if x)))

    # exit rates per bucket: the buckets' ended duos add up to the headline's
    if "positive" in head.ended_cols:
        cols = [c for c in head.ended_cols if not c.endswith("completed")]
        parts = [(p, tot) for p, tot in head.ended_parts if all(c in cols for c in (*p, tot))]
        rows = {b: {c: r[c] for c in cols} for b, r in rows_ended.items()}
        rows[TOTAL] = {c: sum(rows[b][c] for b in in_period) for c in cols}
        check_same_totals(head.head_ended, rows[TOTAL], cols)
        frame = count_frame(rows, cols)
        hide, keep = carry(head.head_ended, cols)
        lines = suppression.table_lines(frame, total_row=TOTAL, partitions=parts, total_row_parts=in_period)
        table = suppression.suppress_cells(frame, lines, t, hide=hide, keep=keep)
        pos = [suppression.derived_rate(table, b, ["positive"], "ended") for b in labels]
        job = [suppression.derived_rate(table, b, ["job"], "ended") for b in labels]
        title = _("Exit outcomes of the duos that ended, per {grain}").format(grain=grain_word)
        out.append(Chart(
            key="exit_rates_trend", title=title,
            figure=charts.exit_rates_trend(title, labels, in_period, pos, job, _, fmt),
            table=Table(key="exit_rates_trend", title=title,
                        columns=[_("Period"), _("Duos that ended"), _("Positive exit rate"), _("Job exit rate")],
                        rows=[[b, fmt.count(table.cell(b, "ended")), fmt.rate(p), fmt.rate(j)]
                              for b, p, j in zip(labels, pos, job)],
                        values=[[None, table.cell(b, "ended").value, p.value, j.value]
                                for b, p, j in zip(labels, pos, job)]),
            note=" ".join(x for x in (period_note, outcome_line(ctx), _(
                "A point is missing where the rate is hidden to protect small numbers.")) if x)))

    # costs and funding per bucket (money: the money rule, the period's buckets adding up to the headline)
    if any(c is not None for c, _f in amounts) or any(f is not None for _c, f in amounts):
        def money_cells(column: int, hide: dict, total: Cell) -> list[Cell]:
            values = {b: v[column] for b, v in zip(labels, amounts)}
            hidden_total = {TOTAL: total.reason} if total.hidden else {}
            values[TOTAL] = None if total.hidden else total.value
            table = report_cells.suppress_amounts(values, {**hide, **hidden_total}, total=TOTAL, parts=in_period,
                                                  keep=[] if total.hidden else [TOTAL])
            return [table.cell(b, report_cells.AMOUNT) for b in labels]

        head_costs = money.costs_total if money.costs_total.available else suppression.shown(figures.get("total_costs_eur"))
        costs = money_cells(0, hide_costs, head_costs)
        funding = money_cells(1, hide_funding, money.funding_total)
        title = _("Costs and funding received per {grain}").format(grain=grain_word)
        out.append(Chart(
            key="costs_funding_trend", title=title,
            figure=charts.costs_funding_trend(title, labels, in_period, [c.value for c in costs],
                                              [f.value for f in funding], _, fmt),
            note=" ".join(x for x in (period_note, _(
                "A bar is missing where the amount is hidden: the costs of fewer than {t} beneficiaries, or "
                "the gifts of fewer than {t} donors.").format(t=t)) if x),
            table=Table(key="costs_funding_trend", title=title,
                        columns=[_("Period"), _("Costs"), _("Funding received")],
                        rows=[[b, fmt.eur(c), fmt.eur(f)] for b, c, f in zip(labels, costs, funding)],
                        values=[[None, c.value, f.value] for c, f in zip(costs, funding)])))
    return out


# ---------------------------------------------------------------- breakdowns
def _breakdown(ctx: _Context, by: str, head: _Headline) -> Table:
    """Exit outcomes of the duos that ended by a characteristic of the mentee,
    adding up to the headline (whose hidden cells it carries)."""
    from analytics.engine import insights

    t, _, fmt = ctx.t, ctx.gettext, ctx.fmt
    frame = insights.outcome_breakdown(ctx.con, ctx.q, by)
    cols = [c for c in head.ended_cols if not c.endswith("completed")]  # no completion by group
    rows: dict[object, dict] = {}
    for r in frame.itertuples(index=False):
        duos = int(r.duos)
        pos_raw = getattr(r, data.positive_column(ctx.q))
        pos = None if pd.isna(pos_raw) else int(pos_raw)
        job = None if pd.isna(r.jobs) else int(r.jobs)
        rows[r.group] = {"ended": duos, "positive": pos, "not_positive": None if pos is None else duos - pos,
                         "job": job, "not_job": None if job is None else duos - job}
    rows[TOTAL] = {c: sum(r[c] for r in rows.values()) if rows else 0 for c in cols}
    check_same_totals(head.head_ended, rows[TOTAL], cols)
    frame_counts = count_frame(rows, cols)
    hide, keep = carry(head.head_ended, cols)
    parts = [(list(p), tot) for p, tot in ENDED_PARTS if all(c in cols for c in (*p, tot))]
    lines = suppression.table_lines(frame_counts, total_row=TOTAL, partitions=parts)
    table = suppression.suppress_cells(frame_counts, lines, t, hide=hide, keep=keep)
    labels = CATEGORY_LABELS[by]
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
    note = _("Duos realized that ended in the period, by a characteristic of the mentee.") + " " + outcome_line(ctx)
    return Table(key=f"outcomes_by_{by}", title=_(BREAKDOWN_TITLES[by]), columns=columns, rows=out_rows,
                 values=out_values, note=note)


def _breakdown_chart(ctx: _Context, breakdowns: list[Table]) -> Chart:
    """Positive exit rate per group of every breakdown, from the suppressed tables."""
    _ = ctx.gettext
    groups = [(table.key, row[0], vals[3], row[3])
              for table in breakdowns for row, vals in zip(table.rows, table.values)
              if row[0] != _("All groups")]
    title = _("Positive exit rate by group")
    return Chart(key="positive_exit_by_group", title=title,
                 figure=charts.rate_by_group(title, groups, _, ctx.fmt),
                 table=Table(key="positive_exit_by_group", title=title,
                             columns=[_("Group"), _("Positive exit rate")],
                             rows=[[n, x] for _k, n, _v, x in groups],
                             values=[[None, v] for _k, _n, v, _x in groups]),
                 note=_("Gender in blue, education level in orange, region of origin in green. "
                        "A bar is missing where the rate is hidden to protect small numbers.") + " "
                 + outcome_line(ctx))


# ---------------------------------------------------------------- money
YOURS_PREFIX, TYPE_PREFIX = "yours:", "type:"


@dataclass(frozen=True)
class _Money:
    """The period's funding mix and its money cells, suppressed once for every
    section that shows them (headline, trend, funding tables).

    The money rule (handbook, "Funder output"): other donors are never named
    (individuals never, institutions by type only; the viewer's own funders
    by name); a type's amount is hidden when fewer than t other donors gave
    (FEW_PEOPLE), with secondary suppression against the total, which the
    headline, the trend's buckets and the shares repeat; costs are hidden
    where they are the costs of fewer than t beneficiaries."""

    rows: pd.DataFrame                      # funder, funder_type, amount_eur (the period)
    mix: suppression.SuppressedTable | None  # index: yours:NAME…, type:TYPE…, TOTAL; column AMOUNT
    costs_total: Cell
    funding_total: Cell

    @property
    def mix_hidden(self) -> bool:
        return self.mix is not None and self.mix.hidden_count > 0


def _is_viewer(ctx: _Context, funder: str, funder_type: str | None) -> bool:
    """A funder the viewer is bound to, and an institution (a private person's name is never shown)."""
    return funder in ctx.funders and (funder_type or "").strip().lower() != suppression.INDIVIDUAL_FUNDER_TYPE


def _few_donors(ctx: _Context, rows: pd.DataFrame) -> bool:
    """Between 1 and t − 1 donors other than the viewer's own funders gave these rows."""
    others = {(f, str(t)) for f, t in zip(rows["funder"], rows["funder_type"]) if not _is_viewer(ctx, f, t)}
    return suppression.small(len(others), ctx.t) if others else False


def _money(ctx: _Context) -> _Money:
    figures, t = ctx.figures, ctx.t
    costs = figures.get("total_costs_eur")
    served = figures.get("beneficiaries_served")
    if costs is None:
        costs_total = Cell(None)
    elif served is not None and suppression.small(served, t):
        costs_total = suppression.hidden(suppression.FEW_PEOPLE, t)   # what a small group cost
    else:
        costs_total = suppression.shown(costs)
    rows = data.funding_rows(ctx.con, ctx.q)
    if rows.empty:
        return _Money(rows, None, costs_total, suppression.shown(figures.get("total_funding_eur")))
    rows = rows.assign(amount_eur=rows["amount_eur"].astype(float))
    # money sums: math.fsum is the correctly rounded sum, whatever the row order
    total = math.fsum(rows["amount_eur"])
    if figures.get("total_funding_eur") is not None and abs(total - figures["total_funding_eur"]) > 0.005:
        raise ReportError("internal inconsistency: funding rows do not add up to total_funding_eur")
    viewer = rows[[_is_viewer(ctx, f, ty) for f, ty in zip(rows["funder"], rows["funder_type"])]]
    others = rows.drop(viewer.index)
    amounts: dict[object, float] = {}
    for name, part in viewer.groupby("funder", sort=True):
        amounts[YOURS_PREFIX + name] = math.fsum(part["amount_eur"])
    hide: dict[object, str] = {}
    types = others.assign(funder_type=others["funder_type"].fillna("").astype(str).str.strip().str.lower())
    by_type = sorted(((ty, math.fsum(part["amount_eur"]), part["funder"].nunique())
                      for ty, part in types.groupby("funder_type", sort=True)), key=lambda x: (-x[1], x[0]))
    for ty, amount, donors in by_type:
        amounts[TYPE_PREFIX + ty] = amount
        if suppression.small(donors, t):
            hide[TYPE_PREFIX + ty] = suppression.FEW_PEOPLE   # would show a single donor's money
    amounts[TOTAL] = total
    mix = report_cells.suppress_amounts(amounts, hide, total=TOTAL,
                                 keep=[k for k in amounts if str(k).startswith(YOURS_PREFIX)])
    funding_total = mix.cell(TOTAL, report_cells.AMOUNT)
    return _Money(rows, mix, costs_total, funding_total)


# ---------------------------------------------------------------- funding
def _funding(ctx: _Context, money: _Money) -> tuple[list[Table], Chart | None]:
    """The funding mix: the viewer's own funders by name, every other donor by
    type only, each amount suppressed by the money rule (:class:`_Money`)."""
    figures, _, fmt = ctx.figures, ctx.gettext, ctx.fmt
    funder_types = CATEGORY_LABELS["funder_type"]
    if money.mix is None:
        if figures.get("total_funding_eur") is None:
            return [], None
        return [Table(key="funding_by_type", title=_("Funding mix by type of funder"),
                      columns=[_("Funder or type of funder"), _("Amount"), _("Share")],
                      rows=[[_("Total"), fmt.eur(money.funding_total), MISSING]], values=[[None, None, None]],
                      note=_("Funding received in the period."))], None
    mix, total = money.mix, money.funding_total
    rows, values, chart_names, chart_shares, chart_codes = [], [], [], [], []
    for label in mix.values.index:
        cell = mix.cell(label, report_cells.AMOUNT)
        if label == TOTAL:
            name = _("Total")
        elif str(label).startswith(YOURS_PREFIX):
            name = _("{funder} (your funding)").format(funder=str(label)[len(YOURS_PREFIX):])
        else:
            code = str(label)[len(TYPE_PREFIX):]
            name = _("Other donors: {type}").format(type=_(funder_types.get(code, code)))
        if cell.hidden or total.hidden or not total.value:
            share = suppression.hidden(suppression.FROM_HIDDEN, ctx.t) if (cell.hidden or total.hidden) else Cell(None)
        else:
            share = Cell(cell.value / total.value)
        rows.append([name, fmt.eur(cell), fmt.rate(share)])
        values.append([None, cell.value, share.value])
        if label != TOTAL:
            chart_names.append(name)
            chart_shares.append(share.value)
            chart_codes.append(str(label)[len(TYPE_PREFIX):] if str(label).startswith(TYPE_PREFIX) else "")
    note = " ".join([
        _("Funding received in the period."),
        _("Other donors are never named: private persons never, institutions by type only."),
        _("An amount is hidden (*) where fewer than {t} donors of a type gave, and further amounts are "
          "hidden so that none can be worked out from the total.").format(t=ctx.t),
        _("Concentration (HHI): {hhi}; largest funder's share: {share}.").format(
            hhi=fmt.index(_funding_hhi(ctx, money)), share=fmt.rate(_largest_share(ctx, money)))])
    table = Table(key="funding_by_type", title=_("Funding mix by type of funder"),
                  columns=[_("Funder or type of funder"), _("Amount"), _("Share")], rows=rows, values=values,
                  note=note)
    title = _("Funding mix by type of funder")
    chart = Chart(key="funding_mix", title=title,
                  figure=charts.funding_mix(title, chart_names, chart_shares, _, fmt, codes=chart_codes),
                  table=table)
    return [table], chart


def _funding_hhi(ctx: _Context, money: _Money) -> Cell:
    """The concentration index, hidden when the mix hides anything (with the
    viewer's own amount it could give a hidden donor's money back)."""
    value = ctx.figures.get("funding_hhi")
    if value is None:
        return Cell(None)
    return suppression.hidden(suppression.FROM_HIDDEN, ctx.t) if money.mix_hidden else suppression.shown(value)


def _largest_share(ctx: _Context, money: _Money) -> Cell:
    """The largest funder's share is one donor's money: shown only when that
    donor is the viewer's own funder and the total is shown."""
    value = ctx.figures.get("largest_funder_share")
    if value is None or money.rows.empty:
        return Cell(None)
    per_funder = money.rows.groupby(["funder", "funder_type"], dropna=False)["amount_eur"].agg(math.fsum)
    top = per_funder.max()
    largest = [(f, ty) for (f, ty), a in per_funder.items() if abs(a - top) <= 0.005]
    if money.funding_total.hidden or not all(_is_viewer(ctx, f, ty) for f, ty in largest):
        return suppression.hidden(suppression.FEW_PEOPLE, ctx.t)
    return suppression.shown(value)


# ---------------------------------------------------------------- methodology
def _methodology(ctx: _Context, head: _Headline) -> list[MethodEntry]:
    """Per headline figure: its definition, period, and the data it was computed from."""
    _, fmt, q = ctx.gettext, ctx.fmt, ctx.q
    short_period = _period(ctx, "short")
    as_of = fmt.day(q.as_of)
    coverage = data.table_coverage(ctx.con)
    exit_cov = data.exit_outcome_coverage(ctx.con, q, head.ended, ctx.t)
    by_key = head.by_key
    methodology = []
    for fig in head.figures:
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
    return methodology


def _method_notes(ctx: _Context) -> list[str]:
    _, t = ctx.gettext, ctx.t
    return [
        _("Every figure is computed from the records as they stood on the as-of date ({date}); "
          "records dated later are left out, so the report can be reproduced.").format(date=ctx.fmt.day(ctx.q.as_of)),
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


def _legend(ctx: _Context) -> str:
    _ = ctx.gettext
    return _("<{t}: fewer than {t}. *: hidden to protect small numbers. —: not available "
             "(nothing to count, or the data were not provided).").format(t=ctx.t)


def _labels(ctx: _Context, baseline: Baseline | None, generated_on: dt.date | None) -> dict[str, str]:
    """Section titles and fixed words, for the renderers."""
    _ = ctx.gettext
    return {
        "headline": _("Headline figures"), "standards": _("Standards of practice"),
        "standard": _("Standard"), "field_standard": _("The field's standard"), "met": _("Met?"),
        "previous": _("Same days a year earlier"), "field": _("In the field"),
        "context_caution": _("Figures from earlier years and from other programmes are context, not a "
                             "measure of this programme's effect: the people, places and times differ."), "baseline": _("Comparison with a baseline"),
        "trends": _("Trends and breakdowns"), "breakdowns": _("Outcomes by group"),
        "funding": _("Funding"), "methodology": _("Methodology"), "figure": _("Figure"),
        "definition": _("Definition"), "period": _("Period"), "as_of": _("As of"),
        "coverage": _("Data coverage"), "iris": _("IRIS+ code"), "legend": _("How to read the tables"),
        "programme": _("Programme"), "baseline_value": _("Baseline"), "difference": _("Difference"),
        "source": _("Source"),
        "source_line": _("Source: {source}").format(source=baseline.source) if baseline else "",
        "baseline_header": _("Baseline: {label}").format(label=baseline.label) if baseline else "",
        "generated": (_("Generated on {date} by Duo Impact").format(date=ctx.fmt.day(generated_on))
                      if generated_on else _("Generated by Duo Impact")),
        "fingerprint": _("Data fingerprint"),
        "chart_data": _("Data of the chart"),
    }
