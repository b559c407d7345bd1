"""What every page does first, and the pieces pages share (tiles, empty states)."""
from __future__ import annotations

from typing import Any

import streamlit as st

from ui import auth, fmt, filters
from ui.i18n import _
from ui.meta import meta


def start(page: str, title: str, *, with_period: bool = True) -> tuple[auth.User, filters.Filters]:
    """Check the role (fail closed), show the title and the view's scope."""
    user = auth.require(page)
    f = filters.current()
    if user.branches is not None:  # a coordinator: never beyond their branches
        scoped = tuple(b for b in (f.branches or user.branches) if b in user.branches)
        if not scoped:
            st.error(_("None of the chosen branches is yours."))
            st.stop()
        f = filters.Filters(f.as_of, f.period, f.period_from, f.period_to, scoped, f.branch_choice)
    st.title(title)
    st.caption(f.describe(with_period=with_period))
    return user, f


def not_available(what: str) -> None:
    """Say plainly that a figure is not computed yet (rather than show nothing)."""
    st.info(_("{what}: not available yet in this version.").format(what=what))


def _delta(value: Any, previous: Any, change: Any, change_kind: str | None, unit: str) -> str | None:
    if change_kind == "relative":
        return None if fmt._is_missing(change) else fmt.signed_percent(change)
    if change_kind == "difference" and not fmt._is_missing(change):
        return fmt.change(float(change), 0.0, unit)
    return fmt.change(value, previous, unit)


def tile(key: str, value: Any, previous: Any = None, target: Any = None, *,
         change: Any = None, change_kind: str | None = None,
         label: str | None = None, previous_label: str | None = None) -> None:
    """A headline figure with its change against the previous period and its target."""
    m = meta(key)
    shown = fmt.value(value, m.unit)
    delta = _delta(value, previous, change, change_kind, m.unit)
    if auth.current_user().role == auth.FUNDER and m.unit == "count":
        # Funder output: a count of 1-4 is shown as "<5", and no change that
        # would give a small count back. TODO(issue 5): rates and ratios need
        # their numerators and denominators from analytics to be suppressed.
        from analytics import suppression

        cell = suppression.count(value)
        if cell.hidden:
            shown, delta, previous = cell.mark, None, None
    color = {"up": "normal", "down": "inverse"}.get(m.good_direction or "", "off")
    if delta is not None and delta.startswith("±"):
        color = "off"
    help_parts = [m.definition] if m.definition else []
    if previous_label:
        help_parts.append(_("Previous period {range}: {value}.").format(
            range=previous_label, value=fmt.value(previous, m.unit)))
    with st.container(border=True):
        st.metric(label or m.label, shown, delta=delta, delta_color=color,
                  delta_description=_("vs previous period") if delta else None,
                  help="\n\n".join(help_parts) or None)
        if target is not None and not fmt._is_missing(target):
            gap = fmt.change(value, target, m.unit)
            text = _("Target {target}").format(target=fmt.value(target, m.unit))
            if gap is not None:
                text += " · " + _("{gap} against target").format(gap=gap)
            st.caption(text)


def tiles(compared, keys: tuple[str, ...], columns: int = 4, previous_label: str | None = None) -> None:
    """Tiles from ``ui.data.compare`` rows (value, previous, change, target), in rows of ``columns``."""
    rows = {r["key"]: r for r in compared.to_dict(orient="records")} if compared is not None else {}
    for start in range(0, len(keys), columns):
        for col, key in zip(st.columns(columns), keys[start:start + columns]):
            r = rows.get(key, {})
            with col:
                tile(key, r.get("value"), r.get("previous_value"), r.get("target"),
                     change=r.get("change"), change_kind=r.get("change_kind"), previous_label=previous_label)


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_escape(text: object) -> str:
    """Imported text shown inside Markdown is shown as text, never as markup."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(text))
