"""IRIS+ codes: every code in the registry has the IRIS+ format and is
documented in docs/report.md with its catalogue page; the report shows it
beside its figure."""
from __future__ import annotations

import re

from analytics.engine.registry import INDICATORS
from tests.analytics.report.helpers import ROOT

IRIS_FORMAT = re.compile(r"(PI|OI|PD|OD|FP|OS)\d{4}")


def test_every_iris_code_has_the_format_and_its_documentation():
    doc = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    codes = {e.key: e.iris_code for e in INDICATORS.values() if e.iris_code}
    assert codes == {"beneficiaries_served": "PI4060", "job_exit_rate": "PI3527"}
    for key, code in codes.items():
        assert IRIS_FORMAT.fullmatch(code), code
        line = next((ln for ln in doc.splitlines() if f"`{key}`" in ln and code in ln), None)
        assert line is not None, f"{code} of {key} is not documented"
        assert f"https://iris.thegiin.org/metric/5.3/{code.lower()}/" in line


def test_the_code_is_shown_beside_its_figure(tiny_model):
    figures = {f.key: f for f in tiny_model.headline}
    assert figures["beneficiaries_served"].iris_code == "PI4060"
    assert figures["job_exit_rate"].iris_code == "PI3527"
    assert figures["cost_per_duo_eur"].iris_code == ""
