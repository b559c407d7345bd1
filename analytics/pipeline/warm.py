"""The warm step: a new snapshot's common queries computed before the
pointer moves to it, so that the first viewer after an import pays nothing.

:func:`warm` opens the snapshot (complete, not yet current: no reader has
it), runs each default view under :func:`analytics.engine.results.recording`
(each statement's result stored in the snapshot's ``results`` schema, keyed by
its SQL and bound parameters) and closes it; the store then switches the
pointer (:class:`WarmingStore`). A view that fails is skipped: the import
never fails for its warm step, the view is then computed on first use.

The default views are the dashboard's (``ui/``): every page as it opens for a
manager, on the handbook's default query (the latest event date, its calendar
year, all branches), the trend charts' default range (three calendar years to
the period's end, per quarter), the at-risk rules' and the matching rules'
defaults; the "Your funding" view of each institutional funder (each funder
binding); and whatever ``extra`` views a layer above adds (the report, which
this layer may not import, passes :func:`analytics.report.data.warm_views`).
A page whose defaults change here and not there only loses its warm start:
the key is the SQL and its parameters, never a name, so a stale view is
never served for another query.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from analytics.engine import completeness, followups, insights, matching, results, standards, supply
from analytics.engine import query as engine
from analytics.engine.funding_scope import funder_names, funding_scope
from analytics.records import connections
from analytics.store.snapshots import Store

log = logging.getLogger(__name__)

View = Callable[[duckdb.DuckDBPyConnection, engine.Query], object]

# the trend charts' default span (ui.page.trend_controls: "3y", per quarter)
TREND_YEARS = 3
TREND_GRAIN = "quarter"


def trend_query(q: engine.Query) -> engine.Query:
    """The trend charts' default range for query ``q``: from 1 January
    ``TREND_YEARS - 1`` years before the period's end year to its end."""
    start = min(q.period_from, dt.date(q.period_to.year - TREND_YEARS + 1, 1, 1))
    return engine.Query(q.as_of, start, q.period_to, q.branches)


def funder_bindings(store: Store) -> list[tuple[str, ...]]:
    """The funders whose "Your funding" view is warmed: each funder user's
    binding in the users file (``$DUO_IMPACT_USERS``, else ``users.json`` in
    the store folder), in the user's order, as the page asks for it."""
    from analytics.people.users import UserStore

    path = os.environ.get("DUO_IMPACT_USERS") or Path(store.path) / "users.json"
    try:
        users = UserStore(path).list() if Path(path).is_file() else []
    except Exception:  # noqa: BLE001 - an unreadable users file warms no binding
        users = []
    return sorted({tuple(u.funders) for u in users if u.role == "funder" and u.funders})


def _funding_views(bindings: list[tuple[str, ...]]) -> View:
    def view(con: duckdb.DuckDBPyConnection, q: engine.Query) -> None:
        # the page's default for a manager (and in demo mode): the first institutional funder
        first = funder_names(con, institutions_only=True)[:1]
        for funders in dict.fromkeys([tuple(first), *bindings]):
            if funders:
                funding_scope(con, funders)
    return view


def default_views() -> list[tuple[str, View]]:
    """(name, view) of every page's default view for a manager."""
    t = trend_query
    at = lambda q: engine.Query(q.as_of, branches=q.branches)  # noqa: E731 (the at-risk and matching pages: no period)
    weights = matching.Weights()
    top = matching.DEFAULT_TOP
    return [
        ("indicators", lambda con, q: engine.indicators(con, q)),
        ("compare", lambda con, q: insights.compare_with_previous(con, q)),
        ("series", lambda con, q: engine.indicator_series(con, t(q), grain=TREND_GRAIN)),
        ("series_by_branch", lambda con, q: engine.indicator_series(con, t(q), grain=TREND_GRAIN, by_branch=True)),
        ("growth_extras", lambda con, q: insights.growth_extras(con, q)),
        ("waiting_list", lambda con, q: insights.waiting_list(con, q)),
        ("standards", lambda con, q: standards.standards(con, q)),
        ("survival_curves", lambda con, q: insights.survival_curves(con, q, by="cohort")),
        ("days_to_match", lambda con, q: insights.days_to_match_distribution(con, q)),
        ("person_headline", lambda con, q: insights.person_headline(con, q)),
        ("exit_outcomes", lambda con, q: insights.exit_outcomes(con, q)),
        ("followup_coverage", lambda con, q: followups.followup_coverage(con, q)),
        ("followup_12m", lambda con, q: insights.followup_12m(con, t(q), grain=TREND_GRAIN)),
        ("outcome_breakdown", lambda con, q: insights.outcome_breakdown(con, q, by="gender")),
        ("cost_series", lambda con, q: insights.cost_series(con, t(q), grain=TREND_GRAIN, allocate_central=False)),
        ("funding_mix", lambda con, q: insights.funding_mix(con, t(q), grain=TREND_GRAIN)),
        ("at_risk", lambda con, q: engine.at_risk(con, at(q), engine.Thresholds())),
        ("coordinators", lambda con, q: insights.coordinators(con, at(q))),
        ("followup_worklist", lambda con, q: insights.followup_worklist(con, at(q), horizon_days=30,
                                                                        max_overdue_days=90)),
        ("waiting_mentees", lambda con, q: matching.waiting_mentees(con, at(q))),
        ("match_suggestions", lambda con, q: matching.suggestions(con, at(q), top, False, weights)),
        ("mentor_fits", lambda con, q: matching.mentor_fits(con, at(q), top, False, weights)),
        ("supply_demand", lambda con, q: supply.supply_demand(con, at(q))),
        ("eligible_forecast", lambda con, q: (supply.monthly_new_eligible(con, at(q)),
                                              supply.forecast_new_eligible(con, at(q)))),
        ("recruitment", lambda con, q: supply.recruitment(con, at(q))),
        ("waiting_flow", lambda con, q: (supply.time_to_match(con, at(q)), supply.waiting_withdrawals(con, at(q)))),
        ("completeness", lambda con, q: completeness.completeness(con, q)),
        ("rows_to_complete", lambda con, q: completeness.rows_to_complete(con, q)),
    ]


def warm(store: Store, snapshot: Path | str, extra: Iterable[tuple[str, View]] = (),
         only: Iterable[str] | None = None) -> dict[str, float]:
    """Compute ``snapshot``'s default views (and ``extra``; with ``only``, the
    views of those names) into its ``results`` schema; returns the seconds
    each took (a failed view: -1).
    A snapshot that already holds results (a restored or re-pointed one) is
    left as it is."""
    path = Path(store.path) / Path(snapshot).name
    timings: dict[str, float] = {}
    con = connections.connect(str(path))
    try:
        if results.stored_count(con):
            return timings
        q = engine.resolve(con, engine.Query())
        with results.recording():
            views = [*default_views(), ("your_funding", _funding_views(funder_bindings(store))), *extra]
            if only is not None:
                views = [(name, view) for name, view in views if name in set(only)]
            for name, view in views:
                start = time.perf_counter()
                try:
                    view(con, q)
                    timings[name] = time.perf_counter() - start
                except Exception as error:  # noqa: BLE001 - computed on first use instead
                    log.warning("warm: %s skipped (%s)", name, error)
                    timings[name] = -1.0
        con.execute("checkpoint")
    finally:
        con.close()
    with open(path, "rb+") as handle:     # durable before the pointer names it
        os.fsync(handle.fileno())
    return timings


class WarmingStore(Store):
    """A store whose new current snapshot is warmed before the pointer moves
    to it (an import, an erasure's redacted copy)."""

    def __init__(self, path: Path | str, derived, extra: Iterable[tuple[str, View]] = (),
                 only: Iterable[str] | None = None, enabled: bool | None = None) -> None:
        super().__init__(path, derived=derived)
        # $DUO_IMPACT_WARM=0 skips the step (every view then computes on first use)
        self.enabled = os.environ.get("DUO_IMPACT_WARM", "1") != "0" if enabled is None else enabled
        self.extra = tuple(extra)
        self.only = None if only is None else frozenset(only)
        self.warmed: dict[str, float] = {}

    def point_to(self, name: str) -> None:
        if self.enabled:
            self.warmed = warm(self, name, self.extra, self.only)
        super().point_to(name)
