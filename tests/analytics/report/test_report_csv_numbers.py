"""Numbers in the report CSV are numbers: the baseline comparison's rates and
difference sit in the ``value`` column as plain numbers, beside the text the
report shows (which a spreadsheet would otherwise read as "'+10.0 …")."""
from __future__ import annotations

import csv
import io

from analytics import report
from tests.analytics.report.helpers import H1, YEAR  # noqa: F401


def _baseline_rows(model) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(report.render_csv(model).decode("utf-8-sig"))))
    return {r[3]: r for r in rows if r[0] == "baseline"}


def test_the_baseline_difference_is_a_number_in_the_csv(bigger):  # noqa: F811
    # the bigger programme's job exit rate is 40 % (test_report: "40.0%"); baseline 30 %:
    # difference (0.40 - 0.30) * 100 = 10 points
    model = report.build(bigger, YEAR, lang="en", baseline=report.Baseline("Control", 0.30))
    rows = _baseline_rows(model)
    assert rows["Programme"][4] == "0.4" and rows["Programme"][5] == "40.0%"
    assert float(rows["Difference"][4]) == 10.0
    assert rows["Baseline: Control"][4] == "0.3"


def test_a_hidden_programme_figure_leaves_the_value_empty(tiny):  # noqa: F811
    model = report.build(tiny, H1, baseline=report.Baseline("Control", 0.3))
    rows = _baseline_rows(model)
    assert rows["Programme"][4] == "" and rows["Difference"][4] == ""
