"""``python -m analytics report --role funder [--funder NAME] --format json``:
every cell a funder is shown, with its suppression state; unknown funders
exit 2; every funder export is in the audit log."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "tests" / "fixtures" / "tiny"


def _cli(*args, audit: Path):
    env = {**os.environ, "DUO_IMPACT_AUDIT": str(audit)}
    return subprocess.run([sys.executable, "-m", "analytics", "report", "--data", str(TINY), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, env=env)


def test_json_lists_the_funders_cells_and_is_audited(tmp_path):
    audit = tmp_path / "audit.log"
    done = _cli("--role", "funder", "--funder", "FundA", "--format", "json", audit=audit)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["role"], out["funders"], out["as_of"], out["threshold"]) == ("funder", ["FundA"], "2024-07-10", 5)
    by_key = {c["key"]: c for c in out["cells"]}
    # tiny, 2024 as of 2024-07-10: 7 duos realized (shown); the 3 ended duos are too few for a rate
    assert by_key["duos_realized"] == {"page": "impact_report", "kind": "figure", "key": "duos_realized",
                                       "label": "Duos realized", "shown": "7", "value": 7, "hidden": False,
                                       "reason": None}
    assert by_key["positive_exit_rate"]["hidden"] and by_key["positive_exit_rate"]["reason"] == "small_denominator"
    # every hidden cell carries a reason and no value; every kind is there
    assert all(c["reason"] and c["value"] is None for c in out["cells"] if c["hidden"])
    assert {c["kind"] for c in out["cells"]} == {"figure", "series_point", "breakdown_cell"}
    # Your funding: FundA's 7000 of 15000 received in 2024; EUF and CityX (one donor each) hidden by type
    assert by_key["your_funding.income.yours"]["shown"] == "€7,000.00"
    assert by_key["your_funding.income.eu"]["reason"] == "few_people"
    assert by_key["your_funding.income_share"]["shown"] == "47%"        # 7000 / 15000
    funding_view = json.dumps([c for c in out["cells"] if c["page"] == "your_funding"] + [out["your_funding"]])
    assert "EUF" not in funding_view and "CityX" not in funding_view
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [(x["event"], x["detail"]["what"], x["detail"]["funders"]) for x in lines] == [
        ("export", "funder_report_json", "FundA")]


def test_json_to_a_file_and_errors(tmp_path):
    audit = tmp_path / "audit.log"
    target = tmp_path / "cells.json"
    done = _cli("--role", "funder", "--format", "json", "--out", str(target), audit=audit)
    assert done.returncode == 0 and done.stdout == ""
    assert "your_funding" not in json.loads(target.read_text())          # no --funder: the programme only
    unknown = _cli("--role", "funder", "--funder", "Nobody", "--format", "json", audit=audit)
    assert unknown.returncode == 2 and unknown.stdout == "" and "Nobody" in unknown.stderr
    not_funder = _cli("--format", "json", audit=audit)
    assert not_funder.returncode == 2 and not_funder.stdout == ""
    assert len(audit.read_text().splitlines()) == 1                       # only the export that was made
