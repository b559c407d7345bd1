"""At-risk duos in plain words: each fired rule with the fact behind it
("no meeting for 26 days"), statuses as labels, the table staff sort and
download. The rules and facts themselves come from ``analytics.engine.query.at_risk``."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from analytics.engine.registry import AT_RISK_RULES
from analytics.text.categories import AT_RISK_STATUS
from ui import auth, connection, data, fmt, labels
from ui.i18n import N_, _, current_language, ngettext

RULES = ("not_started", "no_recent_meeting", "low_intensity", "no_recent_check_in",
         "low_satisfaction", "mentor_untrained")
RULE_NAMES = {
    "not_started": N_("Not started"),
    "no_recent_meeting": N_("No recent meeting"),
    "low_intensity": N_("Few hours of meetings"),
    "no_recent_check_in": N_("No recent check-in"),
    "low_satisfaction": N_("Low satisfaction or concern"),
    "mentor_untrained": N_("Mentor not trained"),
}
STATUS_LABELS = AT_RISK_STATUS.labels          # msgids (analytics.text.categories)
STATUSES = tuple(STATUS_LABELS)

# Engine threshold fields -> (label, help, unit)
THRESHOLD_LABELS = {
    "not_started_days": (N_("Not started: days since the match"), "days"),
    "no_meeting_days": (N_("No recent meeting: days since the last meeting"), "days"),
    "low_intensity_window_days": (N_("Few hours: window (days)"), "days"),
    "low_intensity_min_hours": (N_("Few hours: minimum hours in the window"), "hours"),
    "check_in_window_days": (N_("No recent check-in: days"), "days"),
    "low_satisfaction_max": (N_("Low satisfaction: score at or below (1–5)"), "score"),
    "untrained_days": (N_("Mentor not trained: days after the first meeting"), "days"),
}


_FORMAT_SPEC = re.compile(r"\{(\w+):[^{}]*\}")


def rule_texts(thresholds: dict[str, Any]) -> dict[str, str]:
    """The registry's plain-words rules (analytics.engine.registry.AT_RISK_RULES), translated,
    with the thresholds filled in."""
    # numbers in the locale's style (1,5 h in French): the registry's format
    # specs ({x:g}) are dropped and the values formatted by Babel instead
    values = {k: fmt.decimal(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in thresholds.items()}
    out = {}
    for rule, template in AT_RISK_RULES.items():
        text = _FORMAT_SPEC.sub(r"{\1}", _(template))
        try:
            out[rule] = text.format(**values)
        except (KeyError, ValueError, IndexError):
            out[rule] = text
    return out


def _n(x: Any) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=fmt.integer(n))


def explain(rule: str, row: dict[str, Any], thresholds: dict[str, Any]) -> str:
    """One fired rule in plain words, with its fact."""
    if rule == "not_started":
        return _("not started, matched {days} ago").format(days=_days(_n(row.get("days_since_match")) or 0))
    if rule == "no_recent_meeting":
        return _("no meeting for {days}").format(days=_days(_n(row.get("days_since_last_meeting")) or 0))
    if rule == "low_intensity":
        return _("{hours} h met in the last {days} (under {min} h)").format(
            hours=fmt.decimal(row.get("hours_in_window") or 0),
            days=_days(int(thresholds.get("low_intensity_window_days", 28))),
            min=fmt.decimal(thresholds.get("low_intensity_min_hours", 2)))
    if rule == "no_recent_check_in":
        n = _n(row.get("days_since_last_check_in"))
        if n is None:
            return _("no check-in since the match, {days} ago").format(
                days=_days(_n(row.get("days_since_match")) or 0))
        return _("no check-in for {days}").format(days=_days(n))
    if rule == "low_satisfaction":
        parts = []
        limit = thresholds.get("low_satisfaction_max", 2)
        mentee, mentor = _n(row.get("latest_mentee_satisfaction")), _n(row.get("latest_mentor_satisfaction"))
        if mentee is not None and mentee <= limit:
            parts.append(_("mentee satisfaction {n}/5").format(n=mentee))
        if mentor is not None and mentor <= limit:
            parts.append(_("mentor satisfaction {n}/5").format(n=mentor))
        if bool(row.get("latest_concern")) and not pd.isna(row.get("latest_concern")):
            parts.append(_("concern flagged"))
        return join_reasons(parts) or _(RULE_NAMES[rule])
    if rule == "mentor_untrained":
        return _("mentor untrained {days} after the first meeting").format(
            days=_days(_n(row.get("days_since_first_meeting")) or 0))
    return _(RULE_NAMES.get(rule, rule))


def join_reasons(reasons) -> str:
    """The reasons a duo is at risk in one cell, separated as the language writes
    a list with semicolons (French: a narrow no-break space before the ';')."""
    # TRANSLATORS: separator between the reasons a duo is at risk, e.g. "no meeting for 26 days; concern flagged". French typography: U+202F (narrow no-break space) before the semicolon.
    return _("; ").join(reasons)


def rules_of(row: dict[str, Any]) -> list[str]:
    """The fired rules of a row (a list, or an array from DuckDB)."""
    rules = row.get("rules")
    return [] if rules is None else [str(r) for r in list(rules)]


def weeks_running(row: dict[str, Any]) -> int | None:
    """Whole weeks since the first meeting (None: not started)."""
    n = _n(row.get("days_since_first_meeting"))
    return None if n is None else n // 7


def coordinators(frame: pd.DataFrame, staff: pd.DataFrame | None = None) -> list[str]:
    """Coordinator ids for the filter: those in post (analytics.engine.insights.coordinators)
    and anyone named on a listed duo."""
    ids: set[str] = set()
    if staff is not None and not staff.empty:
        ids |= {str(c) for c in staff["coordinator_id"].dropna()}
    if frame is not None and not frame.empty:
        ids |= {str(c) for c in frame["coordinator_id"].dropna()}
    return sorted(ids)


def select_coordinators(frame: pd.DataFrame, coordinator_ids: list[str]) -> pd.DataFrame:
    if not coordinator_ids or frame is None or frame.empty:
        return frame
    return frame[frame["coordinator_id"].isin(coordinator_ids)]


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["status"].value_counts() if frame is not None and len(frame) else {}
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def select(frame: pd.DataFrame, statuses: list[str], coordinator_ids: list[str]) -> pd.DataFrame:
    out = frame[frame["status"].isin(statuses)]
    if coordinator_ids:
        out = out[out["coordinator_id"].isin(coordinator_ids)]
    return out


COLUMNS = {
    "duo": N_("Duo"), "branch": N_("Branch"), "coordinator": N_("Coordinator"),
    "weeks": N_("Weeks running"), "score": N_("Score"), "status": N_("Status"), "reasons": N_("Why"),
}


def listed(key, thresholds: dict[str, Any], statuses: list[str], coordinator_ids: list[str]) -> pd.DataFrame:
    """The engine's at-risk frame for the query, narrowed to the statuses and coordinators chosen."""
    return select(data.at_risk(key, thresholds), statuses, coordinator_ids)


def table_for(key, thresholds: dict[str, Any], statuses: list[str], coordinator_ids: list[str]) -> pd.DataFrame:
    """The display table of :func:`listed` (cached on the query and choices, not on the frame)."""
    auth.require(data.STAFF_PAGE)   # fail closed before the cache is asked
    return _table_for(connection.ensure_data(), key, tuple(sorted(thresholds.items())), tuple(statuses),
                      tuple(coordinator_ids), current_language())


@st.cache_data(max_entries=64, show_spinner=False)
def _table_for(snapshot: str, key, threshold_items: tuple, statuses: tuple, coordinator_ids: tuple,
               lang: str) -> pd.DataFrame:
    return table(listed(key, dict(threshold_items), list(statuses), list(coordinator_ids)), dict(threshold_items))


def table(frame: pd.DataFrame, thresholds: dict[str, Any]) -> pd.DataFrame:
    """What staff see: one row per duo, reasons in plain words, headers translated."""
    rows = []
    for row in frame.to_dict(orient="records"):
        rules = rules_of(row)
        rows.append({
            "duo": row["duo_id"],
            "branch": row["branch"],
            "coordinator": row.get("coordinator_id") or "",
            "weeks": weeks_running(row),
            "score": int(row.get("score") or 0),
            "status": _(STATUS_LABELS.get(row.get("status"), row.get("status") or "")),
            "reasons": join_reasons(explain(r, row, thresholds) for r in rules),
        })
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["weeks"] = out["weeks"].astype("Int64")
    return out.rename(columns={k: _(v) for k, v in COLUMNS.items()})


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page shows it: a duo not started yet reads "not started"
    in "Weeks running" (never a raw None); the CSV keeps the numbers."""
    out = table.copy()
    col = _(COLUMNS["weeks"])
    if col in out:
        out[col] = [(_("not started") if pd.isna(v) else fmt.integer(v)) for v in out[col]]
    return out


def facts(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The key dates and figures of one duo, for the detail view."""
    def d(key):  # noqa: E306
        v = row.get(key)
        return fmt.day(v) if v is not None and not pd.isna(v) else fmt.MISSING
    sat = lambda k: fmt.MISSING if _n(row.get(k)) is None else f"{_n(row.get(k))}/5"  # noqa: E731
    return [
        (_("Branch"), str(row.get("branch") or "")),
        (_("Coordinator"), str(row.get("coordinator_id") or fmt.MISSING)),
        (_("Mentee"), str(row.get("mentee_id") or "")),
        (_("Mentor"), str(row.get("mentor_id") or "")),
        (_("Matched on"), d("matched_on")),
        (_("First meeting"), d("first_meeting_on")),
        (_("Last meeting"), d("last_met_on")),
        (_("Hours in the recent window"), fmt.decimal(row.get("hours_in_window") or 0)),
        (_("Last check-in"), d("last_checked_on")),
        (_("Mentee satisfaction (last check-in)"), sat("latest_mentee_satisfaction")),
        (_("Mentor satisfaction (last check-in)"), sat("latest_mentor_satisfaction")),
        (_("Mentor training completed"), d("mentor_training_completed_on")),
    ]


def _date_or_dash(v: Any) -> str:
    return fmt.MISSING if v is None or pd.isna(v) else fmt.day(v)


def worklist_for(key, max_overdue_days: int, coordinator_ids: list[str]) -> pd.DataFrame:
    """The follow-up worklist (analytics.engine.insights.followup_worklist, tasks due
    in the next 30 days or overdue by at most ``max_overdue_days``) as shown:
    cached on the query and choices."""
    auth.require(data.STAFF_PAGE)   # fail closed before the cache is asked
    return _worklist_for(connection.ensure_data(), key, int(max_overdue_days), tuple(coordinator_ids), current_language())


@st.cache_data(max_entries=64, show_spinner=False)
def _worklist_for(snapshot: str, key, max_overdue_days: int, coordinator_ids: tuple, lang: str) -> pd.DataFrame:
    frame = data.followup_worklist(key, max_overdue_days=max_overdue_days, horizon_days=30)
    return worklist_table(select_coordinators(frame, list(coordinator_ids)))


def worklist_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The follow-up worklist with words for tasks and plain due/overdue text."""
    cols = [_("Duo"), _("Branch"), _("Coordinator"), _("Task"), _("Due on"), _("When"), _("Duo ended on")]
    rows = []
    for r in (frame.to_dict(orient="records") if frame is not None else []):
        late = _n(r.get("days_overdue"))
        if late is None:
            when = ""
        elif late > 0:
            when = _("overdue by {days}").format(days=_days(late))
        elif late == 0:
            when = _("due today")
        else:
            when = _("due in {days}").format(days=_days(-late))
        rows.append([r.get("duo_id"), r.get("branch"), r.get("coordinator_id") or "", labels.label(r.get("task")),
                     _date_or_dash(r.get("due_on")), when, _date_or_dash(r.get("ended_on"))])
    return pd.DataFrame(rows, columns=cols)


def timeline_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A duo's events in date order, in words."""
    cols = [_("Date"), _("Event"), _("Details")]
    rows = []
    for r in frame.to_dict(orient="records"):
        details = []
        if _present(r.get("hours")):
            details.append(_("{hours} h").format(hours=fmt.number(r["hours"], 1)))
        if _present(r.get("mode")):
            details.append(labels.label(r["mode"]))
        if _present(r.get("mentee_satisfaction")):
            details.append(_("mentee {n}/5").format(n=int(r["mentee_satisfaction"])))
        if _present(r.get("mentor_satisfaction")):
            details.append(_("mentor {n}/5").format(n=int(r["mentor_satisfaction"])))
        if _present(r.get("concern")) and bool(r["concern"]):
            details.append(_("concern flagged"))
        if _present(r.get("stage")):
            details.append(labels.label(r["stage"]))
        if _present(r.get("status")):
            details.append(labels.label(r["status"]))
        if _present(r.get("contract")):
            details.append(labels.label(r["contract"], "contract"))
        if _present(r.get("end_reason")):
            details.append(labels.label(r["end_reason"]))
        if _present(r.get("staff_id")):
            details.append(_("by {staff}").format(staff=r["staff_id"]))
        if _present(r.get("note")):
            details.append(_("note: {note}").format(note=r["note"]))
        rows.append([_date_or_dash(r.get("event_on")), labels.label(r.get("event")), " · ".join(details)])
    return pd.DataFrame(rows, columns=cols)


def _present(v: Any) -> bool:
    if v is None:
        return False
    try:
        return not pd.isna(v) and v != ""
    except (TypeError, ValueError):
        return True
