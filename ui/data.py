"""What pages show, one typed function per data set: each calls its analytics
function directly, on a cursor of the current snapshot (``ui.connection``),
cached with ``st.cache_data`` on (snapshot token, arguments).

- A query is passed as a :data:`QueryKey` (plain, hashable: as-of, period,
  branches as ISO strings and a sorted tuple, and the outcome definition in
  force, a name of :data:`OUTCOMES`), made with :func:`query_key` or
  ``ui.filters.Filters.key()``. The outcome definition is therefore a
  parameter of every cached query: the engine applies it to the figures it
  changes (:data:`OUTCOME_KEYS`) and ignores it elsewhere.
- The functions that return personal data (ids, names, notes) check the
  session's role themselves (``ui.auth.require``, fail closed) before
  anything is read, whatever page calls them.
- The report model, which holds plotly figures, is handed to every session as
  one shared object (``st.cache_resource``) instead of an unpickled copy.

Pages call the functions here and never SQL or the engine directly.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from analytics.engine import completeness as data_completeness
from analytics.engine import followups, insights, matching, supply
from analytics.engine import query as engine
from analytics.engine import registry
from analytics.engine import standards as field_standards
from analytics.engine.funding_scope import FundingScopeError  # noqa: F401  (what pages catch)
from ui import auth, fmt
from ui.connection import cursor, ensure_data
from ui.i18n import N_, _

if TYPE_CHECKING:
    from analytics.report import Baseline, ReportModel
    from analytics.report.funder_series import FunderSeries
    from analytics.report.your_funding import FunderView

# the page whose roles may have the duos' personal data (ids, timelines, tasks)
STAFF_PAGE = "at_risk"

# ---------------------------------------------------------------- queries
QueryKey = tuple[str | None, str | None, str | None, tuple[str, ...], str]

# The outcome definitions (handbook v2): their names, the default, and the keys they change.
OUTCOMES: tuple[str, ...] = tuple(engine.OUTCOME_DEFINITIONS)
DEFAULT_OUTCOME: str = engine.DEFAULT_OUTCOME
OUTCOME_KEYS: tuple[str, ...] = registry.OUTCOME_KEYS


def query_key(as_of: date | None = None, period_from: date | None = None,
              period_to: date | None = None, branches: tuple[str, ...] = (),
              outcome: str = DEFAULT_OUTCOME) -> QueryKey:
    iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
    return (iso(as_of), iso(period_from), iso(period_to), tuple(sorted(branches)), outcome)


def outcome_of(key: QueryKey) -> str:
    """The outcome definition a query key names (the default for a key made without one)."""
    return key[4] if len(key) > 4 else DEFAULT_OUTCOME


def _query(key: QueryKey) -> engine.Query:
    d = lambda s: None if s is None else date.fromisoformat(s)  # noqa: E731
    return engine.Query(as_of=d(key[0]), period_from=d(key[1]), period_to=d(key[2]), branches=key[3],
                        outcome=outcome_of(key))


# ---------------------------------------------------------------- the engine
@st.cache_data(max_entries=64, show_spinner=False)
def _branches(snapshot: str) -> list[str]:
    with cursor(snapshot) as cur:
        return list(engine.branches(cur))


def branches() -> list[str]:
    """The branches in the data (``central`` not included)."""
    return _branches(ensure_data())


@st.cache_data(max_entries=256, show_spinner=False)
def _resolve(snapshot: str, key: QueryKey) -> QueryKey:
    with cursor(snapshot) as cur:
        q = engine.resolve(cur, _query(key))
    return query_key(q.as_of, q.period_from, q.period_to, tuple(q.branches), q.outcome)


def resolve(key: QueryKey) -> QueryKey:
    """The query with the handbook's defaults filled in (as-of, calendar year)."""
    return _resolve(ensure_data(), key)


def default_as_of() -> date:
    return date.fromisoformat(resolve(query_key())[0])


@st.cache_data(max_entries=256, show_spinner=False)
def _indicators(snapshot: str, key: QueryKey) -> dict[str, Any]:
    with cursor(snapshot) as cur:
        return dict(engine.indicators(cur, _query(key)))


def indicators(key: QueryKey) -> dict[str, Any]:
    """The handbook's indicators for the query (``engine.indicators``)."""
    return _indicators(ensure_data(), key)


@st.cache_data(max_entries=256, show_spinner=False)
def _unavailable(snapshot: str, key: QueryKey) -> dict[str, tuple[str, ...]]:
    with cursor(snapshot) as cur:
        return engine.unavailable(cur, _indicators(snapshot, key))


def unavailable(key: QueryKey) -> dict[str, str]:
    """The handbook's figures that are null because a table they read was not
    provided, each with the reason in words (``engine.unavailable``): shown as
    "not available" with it, never as 0 or a blank."""
    return {k: _("Not available: no {files} file was provided.").format(files=", ".join(f"{t}.csv" for t in tables))
            for k, tables in _unavailable(ensure_data(), key).items()}


@st.cache_data(max_entries=128, show_spinner=False)
def _series(snapshot: str, key: QueryKey, grain: str, by_branch: bool) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return engine.indicator_series(cur, _query(key), grain=grain, by_branch=by_branch)


def series(key: QueryKey, grain: str = "month", by_branch: bool = False) -> pd.DataFrame:
    """The indicators per calendar bucket (``engine.indicator_series``)."""
    return _series(ensure_data(), key, grain, by_branch)


@st.cache_data(max_entries=64, show_spinner=False)
def _standards(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return field_standards.standards(cur, _query(key))


def standards(key: QueryKey) -> pd.DataFrame:
    """Each standard of practice with the programme's figure, the standard and met
    or not, for the filter as a whole (branch None) and per branch
    (``analytics.engine.standards.standards``)."""
    return _standards(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _followup_coverage(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return followups.followup_coverage(cur, _query(key))


def followup_coverage(key: QueryKey) -> pd.DataFrame:
    """Due, done, overdue and coverage of the 3-, 6- and 12-month follow-ups per
    cohort (year of the end) and branch (``analytics.engine.followups``)."""
    return _followup_coverage(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _band_counts(snapshot: str, key: QueryKey) -> dict[str, dict[str, int | None]]:
    with cursor(snapshot) as cur:
        return followups.band_counts(cur, _query(key))


def band_cells(counts: dict[str, int | None], suppress: bool, threshold: int | None = None) -> dict[str, Any]:
    """A non-response band's ``low``, ``high`` and ``coverage`` as disclosure cells, from
    ``followups.band_counts``. With ``suppress`` (funder output), the handbook's
    rule: the band is shown only as a pair with its coverage, each passing the
    rate rule, and hidden whole when 1 to 4 duos lack the outcome row (the
    width of the band would give that count back)."""
    from analytics.disclosure import suppression

    t = suppression.THRESHOLD if threshold is None else threshold
    duos, responded, low = counts.get("duos"), counts.get("responded"), counts.get("low")
    if not duos or responded is None or low is None:
        return {part: suppression.Cell(None) for part in ("low", "high", "coverage")}
    lacking = duos - responded
    if not suppress:
        return {"low": suppression.Cell(low / duos), "high": suppression.Cell((low + lacking) / duos),
                "coverage": suppression.Cell(responded / duos)}
    cells = {"low": suppression.rate(low, duos, t), "high": suppression.rate(low + lacking, duos, t),
             "coverage": suppression.rate(responded, duos, t)}
    if suppression.small(lacking, t):
        return {part: suppression.hidden(suppression.SMALL_COMPLEMENT, t) for part in cells}
    hidden = next((c for c in cells.values() if c.hidden), None)
    if hidden is not None:   # a pair with its coverage, or nothing
        return {part: cell if cell.hidden else suppression.hidden(suppression.SECONDARY, t)
                for part, cell in cells.items()}
    return cells


def bands(key: QueryKey) -> dict[str, dict[str, Any]]:
    """Per headline rate with a non-response band (registry ``BANDS``): its
    ``low``, ``high`` and ``coverage`` cells, suppressed when the session's
    role is a funder's (:func:`band_cells`)."""
    funder = auth.current_user().role == auth.FUNDER
    return {rate: band_cells(counts, suppress=funder) for rate, counts in _band_counts(ensure_data(), key).items()}


# the figures each optional field weakens when empty (registry keys), for the Data page
COMPLETENESS_WEAKENS = data_completeness.WEAKENS


@st.cache_data(max_entries=64, show_spinner=False)
def _completeness(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return data_completeness.completeness(cur, _query(key))


def completeness(key: QueryKey) -> pd.DataFrame:
    """Per table, field and branch: the share of the optional fields the indicators
    use that is filled (``analytics.engine.completeness``)."""
    return _completeness(ensure_data(), key)


# the optional fields in words (the Data page's words)
COMPLETENESS_FIELDS = {
    "staff_at_first_meeting": N_("Staff at the first meeting (realized duos)"),
    "coordinator_id": N_("Coordinator (duos open on the as-of date)"),
    "exit": N_("Exit outcome (realized duos that ended)"),
    "followup_3m": N_("3-month follow-up (mark passed)"),
    "followup_6m": N_("6-month follow-up (mark passed)"),
    "followup_12m": N_("12-month follow-up (mark passed)"),
}


def completeness_notes(key: QueryKey, shown: tuple[str, ...]) -> list[str]:
    """For a manager's page: one sentence per optional field that is not filled for
    every duo that should have it (all branches of the filter together) and that
    weakens one of the ``shown`` figures, naming them. Nothing for other roles."""
    from ui.meta import meta

    if auth.current_user().role != auth.MANAGER:
        return []
    frame = completeness(key)
    notes = []
    for field, rows in frame.groupby("field", sort=False):
        weakened = [k for k in COMPLETENESS_WEAKENS.get(field, ()) if k in shown]
        total, filled = int(rows["rows"].sum()), int(rows["filled"].sum())
        if not weakened or total == 0 or filled == total:
            continue
        notes.append(_("Data completeness: {field} is filled for {filled} of the {rows} duos that should have it "
                       "({share}); this weakens {figures}. The Data page lists the rows to complete.").format(
            field=_(COMPLETENESS_FIELDS.get(field, field)), filled=fmt.integer(filled), rows=fmt.integer(total),
            share=fmt.percent(filled / total), figures=", ".join(meta(k).label for k in weakened)))
    return notes


@st.cache_data(max_entries=32, show_spinner=False)
def _rows_to_complete(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return data_completeness.rows_to_complete(cur, _query(key))


def rows_to_complete(key: QueryKey) -> pd.DataFrame:
    """The duos whose optional field is empty (duo ids: the Data page's managers only)."""
    auth.require("data")
    return _rows_to_complete(ensure_data(), key)


def survival_risk_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The at-risk, event and censored counts under the survival chart, from the curves
    (``insights.survival_risk_table``; no query of its own)."""
    return insights.survival_risk_table(curves)


def thresholds_default() -> dict[str, Any]:
    """The at-risk rules' default thresholds (``engine.Thresholds``)."""
    return dataclasses.asdict(engine.Thresholds())


@st.cache_data(max_entries=128, show_spinner=False)
def _at_risk(snapshot: str, key: QueryKey, thresholds: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return engine.at_risk(cur, _query(key), engine.Thresholds(**dict(thresholds)))


def at_risk(key: QueryKey, thresholds: dict[str, Any] | None = None) -> pd.DataFrame:
    """The open duos checked against the warning rules (``engine.at_risk``). Staff only."""
    auth.require(STAFF_PAGE)
    return _at_risk(ensure_data(), key, tuple(sorted((thresholds or {}).items())))


# ---------------------------------------------------------------- insights: every role
@st.cache_data(max_entries=128, show_spinner=False)
def _compare(snapshot: str, key: QueryKey, keys: tuple[str, ...]) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.compare_with_previous(cur, _query(key), keys=keys)


def compare(key: QueryKey, keys: tuple[str, ...]) -> pd.DataFrame:
    """Handbook keys for the query beside the previous period's, with change and
    target (``insights.compare_with_previous``)."""
    return _compare(ensure_data(), key, tuple(keys))


@st.cache_data(max_entries=64, show_spinner=False)
def _growth_extras(snapshot: str, key: QueryKey) -> dict[str, Any]:
    with cursor(snapshot) as cur:
        return insights.growth_extras(cur, _query(key))


def growth_extras(key: QueryKey) -> dict[str, Any]:
    """The waiting list's figures, mentors who come back, the funnel (``insights.growth_extras``)."""
    return _growth_extras(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _person_headline(snapshot: str, key: QueryKey) -> dict[str, Any]:
    with cursor(snapshot) as cur:
        return insights.person_headline(cur, _query(key))


def person_headline(key: QueryKey) -> dict[str, Any]:
    """The 12-month headline per mentee (``insights.person_headline``)."""
    return _person_headline(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _exit_outcomes(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.exit_outcomes(cur, _query(key))


def exit_outcomes(key: QueryKey) -> pd.DataFrame:
    """Duos that ended in the period by exit status and contract (``insights.exit_outcomes``)."""
    return _exit_outcomes(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _followup_12m(snapshot: str, key: QueryKey, grain: str) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        # the page charts the same series: handed over so it is not computed twice
        return insights.followup_12m(cur, _query(key), grain=grain, series=_series(snapshot, key, grain, False))


def followup_12m(key: QueryKey, grain: str) -> pd.DataFrame:
    """The 12-month follow-up per bucket (``insights.followup_12m``)."""
    return _followup_12m(ensure_data(), key, grain)


@st.cache_data(max_entries=64, show_spinner=False)
def _outcome_breakdown(snapshot: str, key: QueryKey, by: str) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.outcome_breakdown(cur, _query(key), by=by)


def outcome_breakdown(key: QueryKey, by: str) -> pd.DataFrame:
    """Exit outcomes per gender, education or region (``insights.outcome_breakdown``), unsuppressed."""
    return _outcome_breakdown(ensure_data(), key, by)


@st.cache_data(max_entries=64, show_spinner=False)
def _cost_series(snapshot: str, key: QueryKey, grain: str, allocate_central: bool) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.cost_series(cur, _query(key), grain=grain, allocate_central=allocate_central)


def cost_series(key: QueryKey, grain: str, allocate_central: bool) -> pd.DataFrame:
    """Costs per bucket and branch (``insights.cost_series``)."""
    return _cost_series(ensure_data(), key, grain, bool(allocate_central))


@st.cache_data(max_entries=64, show_spinner=False)
def _funding_mix(snapshot: str, key: QueryKey, grain: str) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.funding_mix(cur, _query(key), grain=grain, series=_series(snapshot, key, grain, False))


def funding_mix(key: QueryKey, grain: str) -> pd.DataFrame:
    """Funding per bucket and funder type, with the concentration (``insights.funding_mix``)."""
    return _funding_mix(ensure_data(), key, grain)


@st.cache_data(max_entries=64, show_spinner=False)
def _your_funding(snapshot: str, funders: tuple[str, ...]) -> "FunderView":
    from analytics.report.your_funding import funder_view

    with cursor(snapshot) as cur:
        return funder_view(cur, funders)


def your_funding(funders: tuple[str, ...]) -> "FunderView":
    """What the grants of ``funders`` covered, suppressed, on the published
    as-of date (``analytics.report.your_funding.funder_view``). Raises
    ``FundingScopeError`` when a funder is not in the data."""
    return _your_funding(ensure_data(), tuple(funders))


@st.cache_data(max_entries=16, show_spinner=False)
def _institutional_funders(snapshot: str) -> list[str]:
    from analytics.engine.funding_scope import funder_names

    with cursor(snapshot) as cur:
        return funder_names(cur, institutions_only=True)


def institutional_funders() -> list[str]:
    """The funders that are not individuals (demo mode: whom a funder may view as)."""
    return _institutional_funders(ensure_data())


@st.cache_data(max_entries=64, show_spinner=False)
def _survival_curves(snapshot: str, key: QueryKey, by: str) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.survival_curves(cur, _query(key), by=by)


def survival_curves(key: QueryKey, by: str) -> pd.DataFrame:
    """How long duos last, per cohort or branch (``insights.survival_curves``)."""
    return _survival_curves(ensure_data(), key, by)


@st.cache_data(max_entries=64, show_spinner=False)
def _days_to_match(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.days_to_match_distribution(cur, _query(key))


def days_to_match(key: QueryKey) -> pd.DataFrame:
    """Days from application to match per mentee (``insights.days_to_match_distribution``)."""
    return _days_to_match(ensure_data(), key)


# ---------------------------------------------------------------- the matching assistant: staff only
MATCHING_PAGE = "matching"
Weights = tuple[tuple[str, float], ...]


def weights_default() -> dict[str, float]:
    """The matching rules' default weights (``matching.Weights``)."""
    return dataclasses.asdict(matching.Weights())


def _own_branches(key: QueryKey) -> QueryKey:
    """The query for the matching page's role: a coordinator's branches only,
    whatever the key names (fail closed, the role checked first)."""
    user = auth.require(MATCHING_PAGE)
    if user.branches is None:
        return key
    own = tuple(b for b in key[3] if b in user.branches) or tuple(user.branches)
    return (key[0], key[1], key[2], tuple(sorted(own)), outcome_of(key))


@st.cache_data(max_entries=64, show_spinner=False)
def _waiting_mentees(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return matching.waiting_mentees(cur, _query(key))


def waiting_mentees(key: QueryKey) -> pd.DataFrame:
    """The mentees waiting on the as-of date, longest first (``matching.waiting_mentees``). Staff only."""
    key = _own_branches(key)
    return _waiting_mentees(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _match_suggestions(snapshot: str, key: QueryKey, top: int, widen: bool, weights: Weights) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return matching.suggestions(cur, _query(key), top, widen, matching.Weights(**dict(weights)))


def match_suggestions(key: QueryKey, top: int = matching.DEFAULT_TOP, widen: bool = False,
                      weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Each waiting mentee's best free mentors with the rules met (``matching.suggestions``).
    Staff only; a coordinator's mentees are those of their branches."""
    key = _own_branches(key)
    return _match_suggestions(ensure_data(), key, int(top), bool(widen),
                              tuple(sorted((weights or {}).items())))


@st.cache_data(max_entries=64, show_spinner=False)
def _mentor_fits(snapshot: str, key: QueryKey, top: int, widen: bool, weights: Weights) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return matching.mentor_fits(cur, _query(key), top, widen, matching.Weights(**dict(weights)))


def mentor_fits(key: QueryKey, top: int = matching.DEFAULT_TOP, widen: bool = False,
                weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Each free trained mentor with the waiting mentees whose list names them
    (``matching.mentor_fits``). Staff only."""
    key = _own_branches(key)
    return _mentor_fits(ensure_data(), key, int(top), bool(widen), tuple(sorted((weights or {}).items())))


@st.cache_data(max_entries=64, show_spinner=False)
def _supply_demand(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return supply.supply_demand(cur, _query(key))


def supply_demand(key: QueryKey) -> pd.DataFrame:
    """Per branch and sector: waiting, free, in training, gap (``supply.supply_demand``). Staff only."""
    key = _own_branches(key)
    return _supply_demand(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _recruitment(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return supply.recruitment(cur, _query(key))


def recruitment(key: QueryKey) -> pd.DataFrame:
    """Per branch: the mentors to recruit over six months (``supply.recruitment``). Staff only."""
    key = _own_branches(key)
    return _recruitment(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _eligible_forecast(snapshot: str, key: QueryKey) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with cursor(snapshot) as cur:
        forecast, fit = supply.forecast_new_eligible(cur, _query(key))
        return supply.monthly_new_eligible(cur, _query(key)), forecast, fit


def eligible_forecast(key: QueryKey) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(monthly history, forecast, fit) of new eligible mentees (``supply.forecast_new_eligible``). Staff only."""
    key = _own_branches(key)
    return _eligible_forecast(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _waiting_flow(snapshot: str, key: QueryKey) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with cursor(snapshot) as cur:
        q = _query(key)
        return (supply.waited_so_far(matching.waiting_mentees(cur, q)), supply.time_to_match(cur, q),
                supply.waiting_withdrawals(cur, q))


def waiting_flow(key: QueryKey) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(time waited so far per branch, Kaplan–Meier time to match, withdrawals
    while waiting) (``analytics.engine.supply``). Staff only."""
    key = _own_branches(key)
    return _waiting_flow(ensure_data(), key)


# ---------------------------------------------------------------- insights: personal data
@st.cache_data(max_entries=64, show_spinner=False)
def _waiting_list(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.waiting_list(cur, _query(key))


def waiting_list(key: QueryKey) -> pd.DataFrame:
    """Who is waiting for a mentor (``insights.waiting_list``). The growth page's roles only."""
    auth.require("growth")
    return _waiting_list(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _coordinators(snapshot: str, key: QueryKey) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.coordinators(cur, _query(key))


def coordinators(key: QueryKey) -> pd.DataFrame:
    """The coordinators in post (``insights.coordinators``). Staff only."""
    auth.require(STAFF_PAGE)
    return _coordinators(ensure_data(), key)


@st.cache_data(max_entries=64, show_spinner=False)
def _duo_timeline(snapshot: str, duo_id: str, as_of: date | None, include_notes: bool) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.duo_timeline(cur, duo_id=duo_id, as_of=as_of, include_notes=include_notes)


def duo_timeline(duo_id: str, as_of: date | None = None, include_notes: bool = False) -> pd.DataFrame:
    """Everything that happened to one duo (``insights.duo_timeline``). Staff only."""
    auth.require(STAFF_PAGE)
    return _duo_timeline(ensure_data(), duo_id, as_of, include_notes)


@st.cache_data(max_entries=64, show_spinner=False)
def _followup_worklist(snapshot: str, key: QueryKey, horizon_days: int, max_overdue_days: int | None) -> pd.DataFrame:
    with cursor(snapshot) as cur:
        return insights.followup_worklist(cur, _query(key), horizon_days=horizon_days,
                                          max_overdue_days=max_overdue_days)


def followup_worklist(key: QueryKey, max_overdue_days: int | None = None, horizon_days: int = 30) -> pd.DataFrame:
    """The follow-up tasks due or overdue (``insights.followup_worklist``). Staff only."""
    auth.require(STAFF_PAGE)
    return _followup_worklist(ensure_data(), key, horizon_days, max_overdue_days)


# ---------------------------------------------------------------- the funder report
@st.cache_resource(max_entries=16, show_spinner=False)
def _report(snapshot: str, key: QueryKey, lang: str, baseline: Baseline | None) -> ReportModel:
    from analytics.report import build  # plotly and the report's text: only when asked

    with cursor(snapshot) as cur:
        return build(cur, _query(key), lang=lang, baseline=baseline)


def report(key: QueryKey, lang: str, baseline: Baseline | None = None) -> ReportModel:
    """The funder report's model (``analytics.report.build``) under the key's
    outcome definition: suppressed figures, tables and charts. One shared
    object: read it, never change it."""
    return _report(ensure_data(), key, lang, baseline)


# ---------------------------------------------------------------- the Data page
@st.cache_data(max_entries=8, show_spinner=False)
def _import_history(snapshot: str) -> pd.DataFrame:
    # TODO(analytics): a reader of the import history (Store.history() or
    # similar) would keep this query out of ui/; until then, the one read of the
    # data contract's import_log table lives here.
    with cursor(snapshot) as cur:
        return cur.execute(
            "select imported_at, file_name, table_name, rows_read, rows_loaded, rows_rejected, sha256 "
            "from import_log order by imported_at desc, table_name").df()


def import_history() -> pd.DataFrame:
    """The store's import log, newest first, with translated headers."""
    frame = _import_history(ensure_data())
    headers = {"imported_at": _("Imported at (UTC)"), "file_name": _("File"), "table_name": _("Table"),
               "rows_read": _("Rows read"), "rows_loaded": _("Rows loaded"),
               "rows_rejected": _("Rows rejected"), "sha256": _("SHA-256 of the file")}
    frame = frame.copy()
    for column in ("rows_read", "rows_loaded", "rows_rejected"):   # with the language's thousands separator
        if column in frame:
            frame[column] = [fmt.MISSING if fmt.is_missing(v) else fmt.integer(v) for v in frame[column]]
    return frame.rename(columns=headers)


@st.cache_data(show_spinner=False)
def templates_zip() -> bytes:
    """Blank templates (a header-only CSV per table and template.xlsx) as one ZIP."""
    import io
    import tempfile
    import zipfile

    from analytics.records.templates import write_templates

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_templates(Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@st.cache_data(show_spinner=False)
def record_format_markdown() -> str:
    """The record format documentation, generated from analytics.records.schema (English:
    the record format is the import contract)."""
    from analytics.records.document import record_format_markdown as doc

    return doc()


# ---------------------------------------------------------------- funder growth (fixed reporting periods)
@st.cache_data(max_entries=8, show_spinner=False)
def _funder_series(snapshot: str) -> "FunderSeries":
    from analytics.report.funder_series import funder_series as build_series

    with cursor(snapshot) as cur:
        return build_series(cur)


def funder_series() -> "FunderSeries":
    """Every growth view a funder may choose (reporting year, grain, branch or
    programme) on the published as-of date, suppressed together as one table
    (``analytics.report.funder_series``): the funder's Growth page and the
    count tiles of the funder's Overview read their cells from it."""
    return _funder_series(ensure_data())
