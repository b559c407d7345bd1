"""The dashboard's analytics beyond the handbook (analytics/insights.py), by
hand: the previous period and the comparison with it.

Every expected value below is worked out by hand from the rows written next
to it (the working is in the comments); the worked example
tests/fixtures/tiny (working in its README) serves where its edges help.
Where a figure is a handbook key, the test also checks it agrees with the
engine. Data sets are built with ``helpers.make_con`` (the data contract).
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.engine import query as engine
from analytics.engine import insights
from analytics.engine.query import Query
from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS
from tests.analytics.engine.helpers import D, H1, TINY_DEFAULT, make_con, records


