"""Generates docs/indicators.md from the indicator registry.

The definitions people read are the ones the code carries, so the page
cannot drift from the engine: tests/test_registry.py fails when the file
differs from what this module writes. Run ``python -m analytics.engine.handbook``
after changing the registry.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from analytics.engine.numbers import RATIO_PLACES
from analytics.engine.query import (DEFAULT_MIN_DAYS_IN_WORK, DEFAULT_OUTCOME, MIN_DAYS_RANGE,
                                    OUTCOME_DEFINITIONS, STABLE_CONTRACTS, Thresholds)
from analytics.engine.registry import ALIASES, AT_RISK_RULES, INDICATORS, OUTCOME_KEYS, UNIT_SCALES
from analytics.text import fmt

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
  check-ins, outcomes, funding receipts; never the jobs table's dates), never
  after today. A spell in work (jobs) that started after A is ignored, and an
  end after A, or empty, is read as A.
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

NUMBERS = """\
## Numbers and rounding

- **Exact inputs.** Money (`amount_eur` of costs and funding) is stored as a
  fixed-point decimal to the cent, meeting `hours` and staff `fte` to the
  hundredth, a `target` to four decimals — never as binary floating point
  (the record format rejects a number with more decimals). A target is read
  at the scale of its indicator's unit, rounded half-even (table below).
- **Exact sums.** Every sum of money, hours or FTE is an exact decimal sum:
  the same rows give the same total to the cent, in any order and with any
  number of threads.
- **One rounding, at the edge.** A ratio — a rate, a mean, a median, a
  growth, caseload per FTE, the HHI, a share, and the cost ratios (cost per
  beneficiary, per duo, per positive exit) — is one division of exact sums
  and counts, rounded once, when it is printed:
  - JSON (`indicators`, `at-risk`): a count is a whole number; a money sum
    (`total_costs_eur`, `total_funding_eur`) and a sum of hours
    (`hours_in_window`) carry exactly their two decimals (`4999.00`); every
    other number, cost ratios included, is rounded half-even to {places}
    decimal places from the exact value of its division, trailing zeros
    dropped (`0.368888888889`, `31.0`). The same data always print the same
    bytes.
  - Pages, CSV files and reports show money to the cent and every other
    figure with the digits of its unit (table below).

| unit | a target's decimals | shown with decimals |
|---|---|---|
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

    python -m analytics indicators --data DIR | --db PATH [--snapshot ID] [--as-of A] [--from F --to T] [--branch B]...
                                   [--outcome positive|job|stable_job] [--min-days N] [--format json|table]
    python -m analytics at-risk    --data DIR | --db PATH [--as-of A] [--branch B]... [--format json|table]
                                   [--not-started-days 14] [--no-meeting-days 21] [--low-intensity-window-days 28]
                                   [--low-intensity-min-hours 2] [--check-in-window-days 45]
                                   [--low-satisfaction-max 2] [--untrained-days 30] [--include-new]

`indicators` prints one JSON object: `as_of`, `from`, `to`,
`outcome_definition` (the name in force), `min_days_in_work` (N) and every
key above (the handbook's keys, then the figures beyond it, each group in the
registry's order), then `unavailable` (a map of each figure that is null
because a table it reads was not provided, to the reason, e.g.
`"worked_90d_rate_12m": "the jobs table was not provided"`; `{}` when none
is), then its `fingerprint`. An unknown outcome name, or
`--min-days` outside 1–365, is a bad argument. A figure that is one number
prints as a number (or null); the
others print as objects: `change_vs_previous_period` maps each handbook key
to its change; `duo_survival` maps each branch to its curve, a list of
`{"week", "at_risk", "events", "censored", "survival", "survival_lower", "survival_upper"}` (the 95 % Greenwood band; duos realized in the
period); `allocated_central_eur` maps each branch to its share of the
period's central costs, the period taken as one bucket (null when the filter
does not admit `central`); `funding_share_by_type` maps each funder type to
its share of the period's funding.

`at-risk` prints a JSON list of `{"duo_id", "score", "rules", ...}`
(rules in the order of the table above, the facts behind them as extra
keys), sorted by score, highest first, then `duo_id`. Each threshold of the
table above is a flag (defaults as above). With `--include-new` the duos
"new — too early to tell" follow, as on the at-risk page, with `"rules": []`;
every entry then carries `"too_early"` (true for those, false for the duos at
risk). Without it the list is the one described here, unchanged.

Every JSON object the command line prints (`indicators`, `validate` and
`import --format json`) carries a `fingerprint`: `snapshot_id`, `files` (the
name and SHA-256 of each imported file), `as_of`, `from`, `to`, `branches`,
`outcome` (the outcome definition: `positive`), `threshold` (the suppression
threshold, where one applies) and `software_version`; two outputs with the
same fingerprint hold the same figures. A list (`at-risk`) stays a bare list
and prints its fingerprint on standard error. The snapshot id is derived from
the files' SHA-256 and the software version: importing the same files again,
into any store, gives the same id; an erasure gives a new one. `--db PATH
--snapshot ID` computes on a snapshot other than the current one;
`python -m analytics snapshots --db PATH` lists them (id, imported at,
files, kept, current). A report made from a store marks its snapshot kept;
kept snapshots are never pruned, the others are kept while current or
previous. With `SOURCE_DATE_EPOCH` set, a report carries no time of
generation, so the same snapshot and arguments give the same bytes
(otherwise the day stands in its footer only).

Rejected rows are reported on standard error and the figures come from the
rows that loaded (exit 0); input that stops the import or bad arguments exit
2 with the message on standard error and nothing on standard output. A reader
that stops early (`| head`) is not an error: the command ends quietly with
its own exit code.
"""

UNIT_WORDS = {"count": "count", "rate": "share 0–1", "ratio": "ratio", "days": "days",
              "hours": "hours per week", "score": "score 1–5", "eur": "EUR", "index": "index 0–1"}
DIRECTION_WORDS = {"up": "higher", "down": "lower", "neutral": "—"}


def numbers_section() -> str:
    """The handbook's "Numbers and rounding", with the scales and digits the code uses."""
    rows = "".join(f"| {UNIT_WORDS[unit]} | {scale} | {fmt.UNIT_DIGITS[unit]}"
                   f"{' (as a percentage)' if unit == 'rate' else ''} |\n"
                   for unit, scale in UNIT_SCALES.items())
    return NUMBERS.format(places=RATIO_PLACES) + rows
def _outcomes_markdown() -> str:
    rows = []
    for name, statuses in OUTCOME_DEFINITIONS.items():
        words = ", ".join(f"`{s}`" for s in statuses)
        if name == "stable_job":
            words = (f"`self_employed`, or `employed` with a contract in "
                     f"{{{', '.join(f'`{c}`' for c in STABLE_CONTRACTS)}}} (on the same outcome row; an empty "
                     f"contract is not stable)")
        default = " (default)" if name == DEFAULT_OUTCOME else ""
        rows.append(f"| `{name}`{default} | {words} |\n")
    keys = ", ".join(f"`{k}`" for k in OUTCOME_KEYS)
    low, high = MIN_DAYS_RANGE
    return ("\n## Outcome definitions\n\n"
            "`--outcome NAME` chooses which exit and "
            f"follow-up statuses count as positive. It changes {keys}, nothing else: the job keys keep "
            "the job statuses, the at-risk rules ignore it, and the targets of these keys are compared "
            f"only under `{DEFAULT_OUTCOME}`. `--min-days N` (a whole number, {low}–{high}, default "
            f"{DEFAULT_MIN_DAYS_IN_WORK}) is the N of `worked_90d_rate_12m`.\n\n"
            "| name | positive statuses |\n|---|---|\n" + "".join(rows))


def _aliases_markdown() -> str:
    rows = "".join(f"| `{old}` | `{new}` |\n" for old, new in ALIASES.items())
    return ("\n## Former keys\n\n"
            "Keys renamed in version 2 of the handbook. A target naming the former key is read as the "
            "key it names now.\n\n| former key | key |\n|---|---|\n" + rows)


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
    parts.append("\n" + numbers_section())
    parts.append(_outcomes_markdown())
    parts.append(_aliases_markdown())
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
