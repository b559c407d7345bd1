"""indicators / at-risk on the command line: every key the handbook lists is
printed, the at-risk thresholds are flags and --include-new lists the duos
too early to tell. Run through the real parser on the tiny example."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from analytics.cli import figures, main
from analytics.engine.handbook import DOC_PATH
from analytics.engine.query import Thresholds
from analytics.engine.registry import HANDBOOK_KEYS

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"
NOT_FIGURES = {"outcome_definition", "min_days_in_work", "as_of", "from", "to", "fingerprint", "unavailable"}


def cli_json(capsys, *argv) -> object:
    assert main([str(a) for a in argv]) == 0
    return json.loads(capsys.readouterr().out)


def documented_keys() -> list[str]:
    """The keys of the handbook's indicator tables (the rows before the at-risk section)."""
    text = DOC_PATH.read_text(encoding="utf-8")
    tables = text[:text.index("## At-risk duos")]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", tables, flags=re.M)


def test_indicators_prints_every_key_the_handbook_lists(capsys):
    keys = documented_keys()
    # every registry entry (v1's 34 handbook keys, v2's 16, and the figures beyond them), no other
    from analytics.engine.registry import INDICATORS

    from analytics.engine.registry import ALIASES

    keys = [k for k in keys if k not in {"positive", "job", "stable_job"} and k not in ALIASES]
    assert sorted(set(keys)) == sorted(INDICATORS)
    printed = cli_json(capsys, "indicators", "--data", TINY, "--format", "json")
    assert sorted(k for k in printed if k not in NOT_FIGURES) == sorted(keys)


def test_figures_beyond_the_handbook_on_the_tiny_example(capsys):
    printed = cli_json(capsys, "indicators", "--data", TINY, "--format", "json")
    # funding.csv, received in 2024 (the default period) by 2024-07-10: foundation 6000 + 1000,
    # public 3000, eu 5000 of 15000
    assert printed["funding_share_by_type"] == pytest.approx({"eu": 5000 / 15000, "foundation": 7000 / 15000,
                                                              "public": 3000 / 15000})
    # mentees.csv: 11 applied in 2024 (all but ME6, ME13, ME14, ME15); ME8 is not interviewed yet;
    # the other 10 are eligible; duos matched by 2024-07-10: ME1 D1, ME2 D2, ME3 D3/D4, ME4 D6,
    # ME5 D7, ME12 D8 (6), each with a first meeting (D3, D6 met 07-03); ended: D1, D3, D7 (3);
    # positive exit: D1 employed only (D3's latest exit, O3, is searching; D7 has none)
    steps = [printed[k] for k in ("funnel_applied", "funnel_interviewed", "funnel_eligible", "funnel_matched",
                                  "funnel_realized", "funnel_ended", "funnel_positive_exit")]
    assert steps == [11, 10, 10, 6, 6, 3, 1]
    # survival by branch, duos realized in 2024: East D1, D2, D7, D11 (none ended early);
    # West D3 (mismatch after 66 days: week 9), D6 (7 days open: week 1), D8 (41 days open: week 5),
    # so West's curve drops to 0 at week 9, when D3 is the only one left
    assert printed["duo_survival"]["East"][0] == {"week": 0, "at_risk": 4, "events": 0, "censored": 0,
                                                  "survival": 1.0, "survival_lower": 1.0, "survival_upper": 1.0}
    assert printed["duo_survival"]["West"][-1] == {"week": 9, "at_risk": 1, "events": 1, "censored": 0,
                                                   "survival": 0.0, "survival_lower": 0.0, "survival_upper": 0.0}
    assert list(printed["change_vs_previous_period"]) == list(HANDBOOK_KEYS)


def test_the_threshold_flags_have_the_handbook_defaults():
    assert {name: default for name, (_kind, default, _w) in figures.THRESHOLD_FLAGS.items()} == \
        dataclasses.asdict(Thresholds())


def test_at_risk_without_include_new_is_the_handbook_list(capsys):
    # On 2024-07-10 D4 (matched 2024-06-15, no first meeting) is 25 days from its match: not_started
    # fires at the default 14 days; with 30 days it does not, and no other rule fires on D4.
    listed = cli_json(capsys, "at-risk", "--data", TINY)
    assert [d["duo_id"] for d in listed] == ["D2", "D5", "D4", "D6"]
    assert all("too_early" not in d for d in listed)
    later = cli_json(capsys, "at-risk", "--data", TINY, "--not-started-days", "30")
    assert [d["duo_id"] for d in later] == ["D2", "D5", "D6"]


def test_include_new_lists_the_duos_too_early_to_tell(capsys):
    # On 2024-02-15 D1 (matched 02-05, met 02-12) and D11 (matched 02-01, met 02-10) are at most
    # 14 days from their match and no rule fires: too early to tell. D5 (2023-12-15) is at risk.
    listed = cli_json(capsys, "at-risk", "--data", TINY, "--as-of", "2024-02-15", "--include-new")
    assert [(d["duo_id"], d["rules"], d["too_early"]) for d in listed] == [
        (listed[0]["duo_id"], listed[0]["rules"], False), ("D1", [], True), ("D11", [], True)]
    assert listed[0]["duo_id"] == "D5" and listed[0]["rules"]
    assert [d["duo_id"] for d in cli_json(capsys, "at-risk", "--data", TINY, "--as-of", "2024-02-15")] == ["D5"]


def test_a_threshold_flag_must_be_a_number(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["at-risk", "--data", str(TINY), "--no-meeting-days", "soon"])
    assert stopped.value.code == 2
    assert "not a whole number" in capsys.readouterr().err
