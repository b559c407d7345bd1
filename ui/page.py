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


def tile(key: str, value: Any, previous: Any = None, target: Any = None, *,
         label: str | None = None, previous_label: str | None = None) -> None:
    """A headline figure with its change against the previous period and its target."""
    m = meta(key)
    shown = fmt.value(value, m.unit)
    delta = fmt.change(value, previous, m.unit)
    color = {"up": "normal", "down": "inverse"}.get(m.good_direction or "", "off")
    if delta is not None and delta.startswith("±"):
        color = "off"
    help_parts = [m.definition] if m.definition else []
    if previous_label:
        help_parts.append(_("Compared with {range}: {value}.").format(
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
        elif delta is None and previous is None and value is not None:
            st.caption(_("No comparison available"))


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_escape(text: object) -> str:
    """Imported text shown inside Markdown is shown as text, never as markup."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(text))
