"""The shared filters, kept in the URL query string so a view can be shared
as a link: as-of date (``asof``), period (``period`` = year | 12m | quarter |
custom, with ``quarter`` = 2024-Q2, or ``from``/``to``), branches (``branch``,
repeated), the outcome definition (``outcome`` = positive | job | stable_job,
handbook v2; shown on the pages with a period, passed to the engine by every
query key) and the interface language (``lang`` = en | fr | nl). A value
equal to its default is left out of the URL.

Dates and branches are widgets bound to the URL with Streamlit's
``bind="query-params"``. Choices shown in words (period, quarter, language)
are not: a bound selectbox writes its *displayed label* into the URL, which
would be translated (a French link would not open in English); those are
kept in the URL by ``_url_choice`` with their stable codes.

A funder chooses among fixed reporting periods only (``period`` = year |
quarter | month, with ``year`` = 2025, ``quarter`` = 2025-Q2 or ``month`` =
2025-06) and ONE branch or the whole programme (``branch``, one code), and
sees the as-of date the programme published (never an ``asof`` of the URL):
no two views a funder can open differ by a day (docs/disclosure.md).

Pages read the result with ``current()``; they never parse the URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from ui import data, fmt
from ui.auth import FUNDER, User
from ui.i18n import LANG_KEY, LANGUAGE_NAMES, LANGUAGES, N_, _, browser_language

PERIODS: tuple[str, ...] = ("year", "12m", "quarter", "custom")
PERIOD_LABELS = {
    "year": N_("This calendar year"),
    "12m": N_("Last 12 months"),
    "quarter": N_("A quarter"),
    "custom": N_("Custom dates"),
}
_FILTERS_KEY = "_filters"

# A funder's fixed reporting periods (stable codes in the URL) and the code of
# the whole programme in the branch choice (never written to the URL: the default).
FUNDER_PERIODS: tuple[str, ...] = ("year", "quarter", "month")
FUNDER_PERIOD_LABELS = {
    "year": N_("A calendar year"),
    "quarter": N_("A quarter"),
    "month": N_("A month"),
}
WHOLE_PROGRAMME = "__programme__"

# The outcome definitions (handbook v2, ``analytics.engine.query.OUTCOME_DEFINITIONS``):
# a short name for the selector, and the statuses each counts as positive, for
# the captions and help of the figures it changes (``data.OUTCOME_KEYS``).
OUTCOMES: tuple[str, ...] = data.OUTCOMES
OUTCOME_LABELS = {
    "positive": N_("Positive: a job, a training or an internship"),
    "job": N_("A job"),
    "stable_job": N_("A stable job"),
}
OUTCOME_DEFINITIONS = {
    "positive": N_("the latest outcome is a job, self-employment, a training or an internship"),
    "job": N_("the latest outcome is a job or self-employment"),
    "stable_job": N_("the latest outcome is self-employment, or a job on a permanent or fixed-term contract"),
}


def outcome_text(outcome: str) -> str:
    """The definition in force in words, with its name as the URL, the CSVs and the command line write it."""
    return _("positive exit: {definition} (outcome definition “{name}”, {code})").format(
        name=_(OUTCOME_LABELS[outcome]), code=outcome, definition=_(OUTCOME_DEFINITIONS[outcome]))


# ---------------------------------------------------------------- period arithmetic
def _minus_years(d: date, years: int = 1) -> date:
    """Shift back whole years; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def quarter_of(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def quarter_bounds(q: str) -> tuple[date, date]:
    year, n = int(q[:4]), int(q[-1])
    start = date(year, 3 * (n - 1) + 1, 1)
    end = date(year + (n == 4), (3 * n) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def quarter_options(as_of: date, years_back: int = 5) -> list[str]:
    """Quarters from ``years_back`` years before the as-of date up to its quarter, newest first."""
    out, y, n = [], as_of.year, (as_of.month - 1) // 3 + 1
    while y > as_of.year - years_back or (y == as_of.year - years_back and n >= 1):
        out.append(f"{y}-Q{n}")
        n -= 1
        if n == 0:
            y, n = y - 1, 4
        if len(out) >= 4 * years_back:
            break
    return out


def period_bounds(kind: str, as_of: date, quarter: str | None = None,
                  start: date | None = None, end: date | None = None) -> tuple[date, date]:
    if kind == "12m":
        return _minus_years(as_of) + timedelta(days=1), as_of
    if kind == "quarter":
        return quarter_bounds(quarter or quarter_of(as_of))
    if kind == "custom" and start and end:
        return (start, end) if start <= end else (end, start)
    return date(as_of.year, 1, 1), date(as_of.year, 12, 31)


def month_bounds(m: str) -> tuple[date, date]:
    """``2025-06`` -> 1 and 30 June 2025."""
    year, month = int(m[:4]), int(m[5:7])
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return start, end


def funder_period_options(kind: str, first_year: int, as_of: date) -> list[str]:
    """The fixed reporting periods of ``kind`` from ``first_year`` to the
    as-of date, newest first: ``2025`` / ``2025-Q2`` / ``2025-06``."""
    first_year = min(first_year, as_of.year)
    if kind == "year":
        return [str(y) for y in range(as_of.year, first_year - 1, -1)]
    months = [(y, m) for y in range(as_of.year, first_year - 1, -1) for m in range(12, 0, -1)
              if date(y, m, 1) <= as_of]
    if kind == "quarter":
        return list(dict.fromkeys(f"{y}-Q{(m - 1) // 3 + 1}" for y, m in months))
    return [f"{y}-{m:02d}" for y, m in months]


def funder_period_bounds(kind: str, code: str) -> tuple[date, date]:
    """The first and last day of a funder's reporting period (``kind``, its code)."""
    if kind == "quarter":
        return quarter_bounds(code)
    if kind == "month":
        return month_bounds(code)
    return date(int(code), 1, 1), date(int(code), 12, 31)


def previous_bounds(start: date, end: date, as_of: date) -> tuple[date, date]:
    """The period compared with: ``analytics.engine.insights.previous_period`` (the
    registry's definition: the same days one year earlier, ``[F − 1 year, d − 1
    year]``; the as-of date is kept)."""
    from analytics.engine.query import Query
    from analytics.engine.insights import previous_period

    q = previous_period(Query(as_of=as_of, period_from=start, period_to=end))
    return q.period_from, q.period_to


# ---------------------------------------------------------------- the filters
@dataclass(frozen=True)
class Filters:
    as_of: date
    period: str
    period_from: date
    period_to: date
    branches: tuple[str, ...]          # what the query uses (() = all)
    branch_choice: tuple[str, ...]     # what the user picked (for labels)
    outcome: str = data.DEFAULT_OUTCOME  # the outcome definition in force (a name of OUTCOMES)

    def key(self) -> data.QueryKey:
        return data.query_key(self.as_of, self.period_from, self.period_to, self.branches, self.outcome)

    def previous_key(self) -> data.QueryKey:
        f, t = previous_bounds(self.period_from, self.period_to, self.as_of)
        return data.query_key(self.as_of, f, t, self.branches, self.outcome)

    def previous_label(self) -> str:
        f, t = previous_bounds(self.period_from, self.period_to, self.as_of)
        return fmt.date_range(f, t)

    def at_risk_key(self) -> data.QueryKey:
        return data.query_key(self.as_of, None, None, self.branches)

    def branch_label(self) -> str:
        """For captions (Markdown): branch names from the data are escaped."""
        return ", ".join(fmt.md_escape(b) for b in self.branch_choice) if self.branch_choice else _("all branches")

    def describe(self, with_period: bool = True) -> str:
        parts = [_("As of {date}").format(date=fmt.day(self.as_of))]
        if with_period:
            parts.append(_("period {range}").format(range=fmt.date_range(self.period_from, self.period_to)))
        parts.append(self.branch_label())
        return " · ".join(parts)


def _url_choice(label: str, options: list[str], key: str, default: str, format_func, **kwargs) -> str:
    """A selectbox whose *code* is kept in the URL under ``key``: read from the
    URL when the session starts, written back (left out when default)."""
    # The choice is kept under a key of its own too, and given back to the
    # widget before every run: with st.navigation beside a pages/ folder,
    # Streamlit can register the widget afresh on a session's first rerun
    # (a sign-in, any click) and would fall back to the first option.
    chosen = f"_{key}_chosen"
    if chosen not in st.session_state:
        wanted = st.query_params.get(key)
        st.session_state[chosen] = wanted if wanted in options else default
    if st.session_state[chosen] not in options:
        st.session_state[chosen] = default
    st.session_state[key] = st.session_state[chosen]

    def changed() -> None:
        st.session_state[chosen] = st.session_state[key]

    value = st.selectbox(label, options, key=key, format_func=format_func, on_change=changed, **kwargs)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


# ---------------------------------------------------------------- a page's own choices
# Every choice on a page (thresholds, the chosen indicator, the time grain, a
# toggle) is kept in the URL under its widget key, as a code, so a link shares
# the view: ``from_url`` before the widget (a shared link sets it when the
# session starts), ``to_url`` after it (left out when it is the default). The
# widget is then made without ``value=``/``default=``: its state is set here.
def _parse(kind: str, key: str, options=None):
    if kind == "list":
        values = st.query_params.get_all(key)
        if not values:
            return None
        return [v for v in values if options is None or v in options]
    raw = st.query_params.get(key)
    if raw is None:
        return None
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return {"1": True, "true": True, "0": False, "false": False}.get(raw.lower())
    except ValueError:
        return None
    return raw if options is None or raw in options else None


def from_url(key: str, default, kind: str = "str", options=None) -> None:
    """Set a page widget's state from the URL (once per session), else to ``default``.
    ``kind``: str | int | float | bool | list; ``options``: the codes allowed."""
    if key in st.session_state:
        return
    value = _parse(kind, key, options)
    st.session_state[key] = default if value is None else value


def to_url(key: str, value, default, kind: str = "str") -> None:
    """Keep a page widget's value in the URL under ``key`` (left out when default or empty)."""
    if value is None or value == default or (kind == "list" and list(value) == list(default or [])):
        if key in st.query_params:
            del st.query_params[key]
        return
    if kind == "list":
        text = [str(v) for v in value]
        if st.query_params.get_all(key) != text:
            st.query_params[key] = text
        return
    text = ("true" if value else "false") if kind == "bool" else str(value)
    if st.query_params.get(key) != text:
        st.query_params[key] = text


def _drop_from_url(*keys: str) -> None:
    for key in keys:
        if key in st.query_params:
            del st.query_params[key]


def language_switch(container) -> str:
    """The language selector (first widget of a run: everything else is translated)."""
    with container:
        return _url_choice("Language / Langue / Taal", list(LANGUAGES), LANG_KEY, browser_language(),
                           lambda c: LANGUAGE_NAMES[c])


def _date_format() -> str:
    return "YYYY/MM/DD" if st.session_state.get(LANG_KEY, "en") == "en" else "DD/MM/YYYY"


def _funder_sidebar(container, user: User, *, period: bool = True) -> Filters:
    """A funder's filters: the published as-of date (text, not a widget: an
    ``asof`` in the URL is ignored), a fixed reporting period (a year, a
    quarter or a month, from the first year with data to the as-of date) and
    one branch or the whole programme."""
    as_of = data.default_as_of()
    first_year = data.funder_series().years[0]
    branches = user.allowed_branches(list(data.funder_series().branches))
    _drop_from_url("asof", "from", "to")
    with container:
        st.markdown("**" + _("Filters") + "**")
        st.markdown(_("As of {date}, the date the programme published.").format(date=fmt.day(as_of)))
        kind = "year"
        code = str(as_of.year)
        if period:
            kind = _url_choice(_("Reporting period"), list(FUNDER_PERIODS), "period", "year",
                               lambda p: _(FUNDER_PERIOD_LABELS[p]),
                               help=_("Funders see fixed reporting periods only: calendar years, quarters "
                                      "and months."))
            _drop_from_url(*(k for k in FUNDER_PERIODS if k != kind))
            defaults = {"year": str(as_of.year), "quarter": quarter_of(as_of),
                        "month": f"{as_of.year}-{as_of.month:02d}"}
            formats = {"year": str,
                       "quarter": lambda q: _("Q{n} {year}").format(n=q[-1], year=q[:4]),
                       "month": lambda m: fmt.month(month_bounds(m)[0])}
            labels = {"year": _("Year"), "quarter": _("Quarter"), "month": _("Month")}
            code = _url_choice(labels[kind], funder_period_options(kind, first_year, as_of), kind,
                               defaults[kind], formats[kind])
        branch = _url_choice(_("Branch"), [WHOLE_PROGRAMME, *branches], "branch", WHOLE_PROGRAMME,
                             lambda b: _("The whole programme") if b == WHOLE_PROGRAMME else b)
        outcome = outcome_switch(shown=period)
    f, t = funder_period_bounds(kind, code)
    chosen = () if branch == WHOLE_PROGRAMME else (branch,)
    filters = Filters(as_of=as_of, period=kind, period_from=f, period_to=t,
                      branches=chosen, branch_choice=chosen, outcome=outcome)
    st.session_state[_FILTERS_KEY] = filters
    return filters


def sidebar(container, user: User, *, period: bool = True) -> Filters:
    """Render the filters the page needs, store and return them (a funder's: :func:`_funder_sidebar`)."""
    if user.role == FUNDER:
        return _funder_sidebar(container, user, period=period)
    default_as_of = data.default_as_of()
    today = date.today()
    # "central" (shared costs and funding) can be named too: the handbook then
    # counts central rows in the filter.
    all_branches = user.allowed_branches(data.branches() + ["central"])
    with container:
        st.markdown("**" + _("Filters") + "**")
        as_of = st.date_input(
            _("As of"), value=default_as_of, min_value=date(2000, 1, 1), max_value=max(today, default_as_of),
            key="asof", bind="query-params", persist_state="session", format=_date_format(),
            help=_("Figures use the data as they stood on this day. Default: the latest date in the data."))
        kind, start, end = "year", None, None
        quarter = None
        if period:
            kind = _url_choice(_("Period"), list(PERIODS), "period", "year",
                               lambda p: _(PERIOD_LABELS[p]))
            if kind != "quarter":
                _drop_from_url("quarter")
            if kind == "quarter":
                options = quarter_options(as_of)
                quarter = _url_choice(_("Quarter"), options, "quarter", quarter_of(as_of),
                                      lambda q: _("Q{n} {year}").format(n=q[-1], year=q[:4]))
            elif kind == "custom":
                y0 = date(as_of.year, 1, 1)
                start = st.date_input(_("From"), value=y0, key="from", bind="query-params",
                                      persist_state="session", format=_date_format(),
                                      min_value=date(2000, 1, 1), max_value=date(today.year + 1, 12, 31))
                end = st.date_input(_("To"), value=as_of, key="to", bind="query-params",
                                    persist_state="session", format=_date_format(),
                                    min_value=date(2000, 1, 1), max_value=date(today.year + 1, 12, 31))
        # nothing picked: every branch, or for a coordinator only theirs (said so)
        everything = (_("All branches") if user.branches is None
                      else _("Your branches: {names}").format(names=", ".join(all_branches)))
        chosen = st.multiselect(_("Branches"), all_branches, key="branch", bind="query-params",
                                persist_state="session", placeholder=everything)
        outcome = outcome_switch(shown=period)
    f, t = period_bounds(kind, as_of, quarter, start, end)
    chosen = tuple(b for b in chosen if b in all_branches)
    # A coordinator with nothing picked still only sees their own branches.
    query_branches = chosen if chosen else (tuple(all_branches) if user.branches is not None else ())
    filters = Filters(as_of=as_of, period=kind, period_from=f, period_to=t,
                      branches=query_branches, branch_choice=chosen, outcome=outcome)
    st.session_state[_FILTERS_KEY] = filters
    return filters


def outcome_switch(shown: bool = True) -> str:
    """The outcome definition in force: the ``outcome`` URL parameter (default
    the engine's). ``shown``: as a selector (kept in the URL); else read only."""
    if shown:
        return _url_choice(_("Outcome definition"), list(OUTCOMES), "outcome", data.DEFAULT_OUTCOME,
                           lambda o: _(OUTCOME_LABELS[o]),
                           help=_("Which situations count as a positive outcome in the positive exit rate, "
                                  "its non-response band, the cost per positive exit and the positive rate at "
                                  "12 months. Nothing else changes."))
    wanted = st.session_state.get("outcome", st.query_params.get("outcome"))
    return wanted if wanted in OUTCOMES else data.DEFAULT_OUTCOME


def current() -> Filters:
    """The filters of this run (set by the frame before the page runs)."""
    f = st.session_state.get(_FILTERS_KEY)
    if f is None:  # a page run outside the frame: the data's defaults
        as_of = data.default_as_of()
        start, end = period_bounds("year", as_of)
        f = Filters(as_of, "year", start, end, (), ())
    return f
