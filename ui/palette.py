"""The charts' palette: ``analytics.text.palette`` (Okabe–Ito), shared with
the funder report; this module is the name ui/ imports."""
from __future__ import annotations

from analytics.text.palette import BAD, GOOD, NEUTRAL, OKABE_ITO, SEQUENCE  # noqa: F401
