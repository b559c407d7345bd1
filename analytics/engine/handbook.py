"""Generates docs/indicators.md from the indicator registry.

The definitions people read are the ones the code carries, so the page
cannot drift from the engine: tests/test_registry.py fails when the file
differs from what this module writes. Run ``python -m analytics.engine.handbook``
after changing the registry.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from analytics.engine.query import Thresholds
from analytics.engine.registry import AT_RISK_RULES, INDICATORS

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"

INTRO = """\
# Indicators

Generated from `analytics/registry.py` by `python -m analytics.engine.handbook`;
do not edit by hand.

Every figure is computed for an **as-of date** A, a **period** [F, T] (both
ends included) and an optional **branch filter**:

- **As-of date.** The data as they stood on A: rows dated after A (an
  application, a match, a meeting, a check-in, an outcome, a funding receipt,
  a cost month that had not begun, a staff member not yet started) are
  ignored, with the rows that hang off them; any other later date (a first
  meeting, an end, an interview, a withdrawal, a training, a departure) is
  read as empty, with what depends on it (the end reason; the decision of an
  interview still to come). By default A is the latest event date in the data
  (applications, interviews, matches, first meetings, ends, meetings,
  check-ins, outcomes, funding receipts), never after today.
- **Period.** By default the calendar year of A. A before F is an error.
  Point-in-time figures ("active on d") are taken on d = min(T, A).
- **Branch filter.** Each row counts by its own branch: duo figures by the
  duo's branch, applications and waiting mentees by the person's, coordinator
  FTE by the staff member's, costs and funding by the row's. A condition that
  only decides (a mentee's first duo, "has a duo") looks at all branches.
  With a filter, shared `central` costs and funding with no branch are left
  out unless the filter names `central`.
- **Conventions.** A rate is a share in [0, 1]. A rate, ratio, mean or median
  over nothing is *not available* (null), never 0; a count or sum of nothing
  is 0. A figure that reads an optional table the programme did not provide is
  not available. A realized duo has held its first meeting (by A); it is
  active on day x from its first meeting until the day it ends (excluded).
  Ties between dates go to the larger id (latest row) or the smaller id
  (first duo), ids compared as text. Ages are whole years. Positive statuses:
  employed, self-employed, training, internship; job statuses: employed,
  self-employed.
- **Time series.** Each month, quarter or year is a period of its own with the
  same as-of date.
"""

AT_RISK_INTRO = """\
## At-risk duos

Evaluated for every duo open on A (matched by A and not ended by A) in the
branch filter. A duo is at risk when at least one rule fires; its score is
the number of rules that fire. A rule that needs an absent table (meetings,
check-ins) does not fire. Open duos matched at most the not-started
threshold ago on which no rule fires are shown as "new — too early to tell".
Defaults below; every threshold can be changed.

| rule | fires when |
|---|---|
"""

CLI = """\
## Command line

    python -m analytics indicators --data DIR | --db PATH [--as-of A] [--from F --to T] [--branch B]... [--format json|table]
    python -m analytics at-risk    --data DIR | --db PATH [--as-of A] [--branch B]... [--format json|table]

`indicators` prints one JSON object: `as_of`, `from`, `to` and every key
above. `at-risk` prints a JSON list of `{"duo_id", "score", "rules", ...}`
(rules in the order of the table above, the facts behind them as extra
keys), sorted by score, highest first, then `duo_id`. Rejected rows are
reported on standard error and the figures come from the rows that loaded
(exit 0); input that stops the import or bad arguments exit 2 with the
message on standard error and nothing on standard output.
"""

UNIT_WORDS = {"count": "count", "rate": "share 0–1", "ratio": "ratio", "days": "days",
              "hours": "hours per week", "score": "score 1–5", "eur": "EUR", "index": "index 0–1"}
DIRECTION_WORDS = {"up": "higher", "down": "lower", "neutral": "—"}


def indicators_markdown() -> str:
    parts = [INTRO]
    sections: dict[str, list] = {}
    for entry in INDICATORS.values():
        sections.setdefault(entry.section, []).append(entry)
    for section, entries in sections.items():
        parts.append(f"\n## {section}\n\n| key | label | unit | better | definition | tables |\n"
                     "|---|---|---|---|---|---|\n")
        for e in entries:
            iris = f" IRIS+ {e.iris_code}." if e.iris_code else ""
            parts.append(f"| `{e.key}` | {e.label} | {UNIT_WORDS[e.unit]} | "
                         f"{DIRECTION_WORDS[e.good_direction]} | {e.definition}{iris} | "
                         f"{', '.join(e.tables)} |\n")
    parts.append("\n" + AT_RISK_INTRO)
    defaults = asdict(Thresholds())
    for rule, words in AT_RISK_RULES.items():
        parts.append(f"| `{rule}` | {words.format(**defaults)} |\n")
    parts.append("\n" + CLI)
    parts.append("\n" + FUNDER_OUTPUT)
    return "".join(parts)


FUNDER_OUTPUT = """## Funder output

What a funder sees (the overview, the impact report, "Your funding" and
`python -m analytics report --role funder --format json`) is suppressed:
counts 1–4 as `<5`, rates, means and cost ratios over fewer than 5 hidden,
and secondary suppression so that no hidden cell can be worked out from the
others. The rules, each with the attack it stops and the test that tries it,
are in [disclosure.md](disclosure.md).
"""


if __name__ == "__main__":
    DOC_PATH.write_text(indicators_markdown(), encoding="utf-8")
    print(f"wrote {DOC_PATH}")
