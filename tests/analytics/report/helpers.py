"""Constants shared by the report tests (imported by name; fixtures are in
conftest.py): the project root, two queries (the first half and the whole of
2024), and the hostile or personal funder names the fixture programme carries.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics.engine import query as engine


ROOT = Path(__file__).resolve().parents[3]
H1 = engine.Query(dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2024, 6, 30))
EVIL_HTML = "<img src=x onerror=alert(1)>"
EVIL_FORMULA = "=1+2"
DONOR = "Jane Doe"
YEAR = engine.Query(dt.date(2024, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
