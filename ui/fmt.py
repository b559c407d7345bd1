"""Formatting for the pages: ``analytics.text.fmt`` (Babel, in the session's locale).

The formatter lives in the library so that the funder report formats exactly
as the dashboard does; this module is the name pages import (with
``md_escape``, for text from the data shown in Markdown).
"""
from analytics.text.fmt import (  # noqa: F401
    MISSING,
    is_missing,
    number,
    decimal,
    integer,
    percent,
    money,
    day,
    month,
    date_range,
    value,
    is_rate,
    change,
    signed_percent,
)

_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_escape(text: object) -> str:
    """Imported text shown inside Markdown is shown as text, never as markup."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(text))
