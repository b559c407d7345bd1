"""Formatting for the pages: ``analytics.text.fmt`` (Babel, in the session's locale).

The formatter lives in the library so that the funder report formats exactly
as the dashboard does; this module is the name pages import.
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
