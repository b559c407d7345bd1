"""The indicator registry documents every figure, and the docs say what it says."""
from __future__ import annotations

import re

import pytest

from analytics.engine import registry
from analytics.engine.models import SQL_DIR
from analytics.engine.query import Thresholds
from analytics.engine.handbook import DOC_PATH, indicators_markdown
from analytics.engine.registry import HANDBOOK_KEYS, INDICATORS

# The handbook's keys, copied from its tables: the registry must hold exactly these.
HANDBOOK = """
mentee_applications mentor_applications duos_matched duos_realized duos_realized_cumulative
active_duos mentees_waiting active_mentors growth_rate_duos_realized median_days_to_match
matched_within_30d_rate staff_at_first_meeting_rate mentor_trained_rate check_in_coverage
caseload_per_coordinator_fte median_weekly_hours completion_rate early_closure_rate
mean_mentee_satisfaction mean_mentor_satisfaction eligibility_exception_rate
exit_outcome_coverage positive_exit_rate job_exit_rate followup_12m_coverage job_rate_12m
total_costs_eur beneficiaries_served cost_per_beneficiary_eur cost_per_duo_eur
cost_per_positive_exit_eur total_funding_eur funding_hhi largest_funder_share
""".split() + """
mentees_waiting_over_30d free_trained_mentors trained_before_match_rate monthly_check_in_rate
closed_before_term_rate mentor_return_rate_12m staff_at_first_meeting_recorded_rate
coordinator_recorded_rate followup_3m_coverage followup_6m_coverage followup_12m_overdue
positive_rate_12m job_rate_12m_low job_rate_12m_high positive_exit_rate_high worked_90d_rate_12m
""".split()  # handbook v2, after v1's keys
TABLES = {"mentees", "mentors", "staff", "duos", "meetings", "check_ins", "outcomes", "costs",
          "funding", "targets", "jobs"}


def test_handbook_keys_in_the_handbook_order():
    assert list(HANDBOOK_KEYS) == HANDBOOK


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_every_indicator_is_documented(key):
    entry = INDICATORS[key]
    assert entry.key == key
    assert entry.label.strip() and not entry.label[0].islower()
    assert len(entry.definition) >= 30, "a definition as exact as the handbook's"
    assert entry.unit in registry.UNITS
    assert entry.good_direction in registry.DIRECTIONS
    assert entry.tables and set(entry.tables) <= TABLES
    assert entry.section
    # units follow the naming convention: *_rate in [0, 1], *_eur in euros
    if key.endswith("_rate") and not key.startswith("growth"):
        assert entry.unit == "rate"
    if key.endswith("_eur"):
        assert entry.unit == "eur"


def test_indicator_sql_computes_every_handbook_key():
    sql = (SQL_DIR / "indicators" / "indicators.sql").read_text()
    for key in HANDBOOK_KEYS:
        assert re.search(rf"\bas {key}\b", sql), key


def test_every_at_risk_rule_is_worded_with_its_thresholds():
    assert list(registry.AT_RISK_RULES) == ["not_started", "no_recent_meeting", "low_intensity",
                                            "no_recent_check_in", "low_satisfaction", "mentor_untrained"]
    defaults = vars(Thresholds())
    for words in registry.AT_RISK_RULES.values():
        assert "{" not in words.format(**defaults)


def test_docs_are_generated_from_the_registry():
    assert DOC_PATH.read_text(encoding="utf-8") == indicators_markdown(), \
        "docs/indicators.md is stale: run python -m analytics.engine.handbook"


def test_aliases_name_registry_keys_and_are_documented():
    # the v2 names became the keys; the former names are aliases only
    assert registry.ALIASES == {"trained_mentors_free": "free_trained_mentors",
                                "mentor_reengagement_rate": "mentor_return_rate_12m"}
    doc = DOC_PATH.read_text(encoding="utf-8")
    for old, new in registry.ALIASES.items():
        assert old not in INDICATORS and new in HANDBOOK_KEYS
        assert registry.canonical_key(old) == new and registry.canonical_key(new) == new
        assert f"| `{old}` | `{new}` |" in doc
