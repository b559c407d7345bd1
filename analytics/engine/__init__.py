"""The indicator engine: every figure, from one set of layered SQL files.

Owns the SQL (``sql/``: facts → staging → marts → indicators, at-risk,
insights) and how it is chained (:mod:`.models`: dependencies read from the
SQL itself); running a query on a snapshot with bound parameters
(:mod:`.query`: the handbook's indicators, series and at-risk rules); the
indicator registry (:mod:`.registry`, with the handbook generated from it by
:mod:`.handbook`); and the dashboard's figures beyond the handbook
(:mod:`.insights`). It reads the record format's tables and never imports the
user interface.
"""
from analytics.engine.models import build_facts, compose, compose_for, facts, stored_facts
from analytics.engine.query import (
    GRAINS, JOB_STATUSES, POSITIVE_STATUSES, Query, QueryError, Thresholds, at_risk, at_risk_list,
    branches, bucket_bounds, clean_value, default_as_of, indicator_series, indicators, resolve,
)
from analytics.engine.registry import AT_RISK_RULES, HANDBOOK_KEYS, INDICATORS, Indicator

__all__ = [
    "AT_RISK_RULES", "GRAINS", "HANDBOOK_KEYS", "INDICATORS", "Indicator", "JOB_STATUSES",
    "POSITIVE_STATUSES", "Query", "QueryError", "Thresholds", "at_risk", "at_risk_list", "branches",
    "bucket_bounds", "build_facts", "clean_value", "compose", "compose_for", "default_as_of", "facts",
    "indicator_series", "indicators", "resolve", "stored_facts",
]
