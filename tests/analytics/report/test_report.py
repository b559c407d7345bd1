"""The funder impact report: no personal data in any rendering, small cells
suppressed, language, formula-safe CSV, the baseline as a labelled
difference, and the ``report`` command's exit codes."""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.engine import query as engine
from analytics import report
from analytics.disclosure import suppression
from tests.conftest import TINY, write_programme

ROOT = Path(__file__).resolve().parents[3]
H1 = engine.Query(dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2024, 6, 30))
EVIL_HTML = "<img src=x onerror=alert(1)>"
EVIL_FORMULA = "=1+2"
DONOR = "Jane Doe"


def _open(folder: Path):
    from analytics.records.importer import open_dataset

    con, result = open_dataset(folder)
    assert not [i for i in result.issues if i.severity == "rejected"]
    return con


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    """The tiny programme plus an individual donor and two hostile funder names."""
    folder = tmp_path_factory.mktemp("tiny_plus")
    for f in TINY.glob("*.csv"):
        shutil.copy(f, folder / f.name)
        (folder / f.name).chmod(0o644)
    with (folder / "funding.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"2024-02-10,{DONOR},individual,250,East\n")
        fh.write(f"2024-03-10,{EVIL_FORMULA},corporate,100,\n")
        fh.write(f"2024-04-10,{EVIL_HTML},corporate,120,West\n")
    return folder


@pytest.fixture(scope="module")
def tiny(tiny_folder):
    return _open(tiny_folder)


@pytest.fixture(scope="module")
def personal(tiny) -> set[str]:
    """Every name, id, birth date, note and individual funder of the fixture."""
    values = suppression.personal_values(tiny, kinds=("names", "ids", "birth_dates", "notes",
                                                       "individual_funders"))
    values |= suppression.personal_values(tiny, kinds=("free_text",), min_length=4)
    assert {"Amal", "Tesfay", "Paul", "ME1", "D1", "MR1", "ST1", "C1", "O1", "2000-05-01",
            "first call", "mentor travelling", DONOR} <= values
    return values


def _leaks(text: str, personal: set[str]) -> list[str]:
    return sorted(v for v in personal if re.search(r"(?<![\w])" + re.escape(v) + r"(?![\w])", text))


def _html_text(page: str) -> str:
    """What an HTML report shows or carries, minus the plotly.js library:
    text, attributes, chart data, and the text of embedded SVG charts."""
    page = re.sub(r'<script type="text/javascript">/\*\*\s*\n\* plotly\.js.*?</script>', "", page, flags=re.S)

    def svg_text(match):
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        return " ".join(re.findall(r">([^<>]+)<", svg))

    return re.sub(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", svg_text, page)


@pytest.fixture(scope="module")
def tiny_model(tiny):
    return report.build(tiny, engine.Query(), lang="en")


# ====================================================================== personal data
def test_html_contains_no_personal_data(tiny_model, personal):
    page = report.render_html(tiny_model)
    assert "plotly.js" in page[:200_000]  # the library is inline (offline)
    assert _leaks(_html_text(page), personal) == []


def test_static_html_contains_no_personal_data(tiny_model, personal):
    page = report.render_html(tiny_model, static=True)
    assert "<script" not in page
    assert _leaks(_html_text(page), personal) == []


def test_csv_contains_no_personal_data(tiny_model, personal):
    text = report.render_csv(tiny_model).decode("utf-8-sig")
    assert _leaks(text, personal) == []


def test_pdf_contains_no_personal_data(tiny, personal, tmp_path):
    model = report.build(tiny, engine.Query(), lang="fr")
    pdf = report.render_pdf(model)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "IRIS+" in text and "<5" in text
        assert _leaks(text, personal) == []
    else:  # the PDF is printed from the static HTML, checked above
        assert _leaks(_html_text(report.render_html(model, static=True)), personal) == []


def test_individual_donors_are_grouped_and_named_organisations_are_not(tiny_model):
    funders = next(t for t in tiny_model.funding if t.key == "funding_by_funder")
    names = [row[0] for row in funders.rows]
    assert "Individual donors" in names and DONOR not in names
    assert "FundA" in names


def test_hostile_names_are_text_in_html(tiny_model):
    page = report.render_html(tiny_model)
    assert EVIL_HTML not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_csv_cells_cannot_start_a_formula(tiny_model):
    rows = list(csv.reader(io.StringIO(report.render_csv(tiny_model).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + EVIL_FORMULA in cells
    for c in cells:
        if c[:1] in ("=", "+", "@", "\t", "\r") or (c.startswith("-") and not re.fullmatch(r"-?[\d.e-]+", c)):
            pytest.fail(f"unsafe CSV cell {c!r}")


@pytest.mark.parametrize("text, safe", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-x", "'-x"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-12.5", "-12.5"), ("12", "12"), ("FundA", "FundA"), ("", ""),
])
def test_csv_safe(text, safe):
    assert report.csv_safe(text) == safe


# ====================================================================== suppression in the report
def test_small_counts_show_as_less_than_five(tiny):
    model = report.build(tiny, H1, lang="en")
    fig = {f.key: f for f in model.headline}
    assert fig["duos_realized"].value == "6"              # 6 ≥ 5: shown
    assert fig["beneficiaries_served"].value == "7"
    # three duos ended in H1: every rate over them is hidden, the count is "<5"
    assert fig["completion_rate"].value == "*" and "<5" in fig["completion_rate"].note
    assert fig["positive_exit_rate"].value == "*"
    assert fig["cost_per_positive_exit_eur"].value == "*"
    gender = next(t for t in model.breakdowns if t.key == "outcomes_by_gender")
    counts = [cell for row in gender.rows for cell in row[1:]]
    assert "<5" in counts
    for table in [*model.breakdowns, *(c.table for c in model.charts)]:
        for row in table.rows:
            for cell in row[1:]:
                assert not re.fullmatch(r"[1-4]", cell), f"{table.key}: small count {cell} shown"


def test_threshold_is_configurable(tiny):
    strict = {f.key: f for f in report.build(tiny, H1, threshold=10).headline}
    loose = {f.key: f for f in report.build(tiny, H1, threshold=2).headline}
    assert strict["duos_realized"].value == "<10"
    assert loose["duos_realized"].value == "6"
    assert strict["beneficiaries_served"].value == "<10" and loose["beneficiaries_served"].value == "7"
    assert "<10" in strict["completion_rate"].note


@pytest.mark.parametrize("bad", [0, 1, 2.5, "5", True])
def test_bad_threshold_is_refused(tiny, bad):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, threshold=bad)


def _bigger_programme(tmp_path) -> Path:
    """30 duos ended in 2024: F 15 (10 jobs, 3 trainings), M 12 (2 jobs, 3
    trainings), X 3 (nothing positive); 20 completed."""
    mentees = ["mentee_id,branch,applied_on,birth_date,gender,country_of_origin,education_level,"
               "registered_jobseeker,first_name"]
    duos = ["duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason"]
    outcomes = ["outcome_id,duo_id,stage,recorded_on,status"]
    for i in range(1, 31):
        gender = "F" if i <= 15 else ("M" if i <= 27 else "X")
        branch = "North" if i <= 20 else "South"
        mentees.append(f"P{i:03},{branch},2023-11-01,2000-01-{(i % 28) + 1:02},{gender},SY,secondary,true,"
                       f"Xanthe{i}")
        duos.append(f"Q{i:03},P{i:03},R{(i % 10) + 1:02},{branch},2024-01-05,2024-01-10,2024-09-30,"
                    f"{'completed' if i <= 20 else 'mismatch'}")
        status = ("employed" if i <= 10 or i in (16, 17) else
                  "training" if i in (11, 12, 13, 18, 19, 20) else "searching")
        outcomes.append(f"Z{i:03},Q{i:03},exit,2024-10-01,{status}")
    mentors = ["mentor_id,branch,applied_on,birth_date,training_completed_on,first_name"]
    mentors += [f"R{j:02},North,2023-06-01,1960-01-01,2023-07-01,Yorick{j}" for j in range(1, 11)]
    costs = ["month,branch,category,amount_eur"] + [f"2024-{m:02},North,staff,1000" for m in range(1, 13)]
    funding = ["received_on,funder,funder_type,amount_eur,branch", "2024-01-15,FundA,foundation,20000,",
               f"2024-02-01,{DONOR},individual,500,North"]
    return write_programme(tmp_path / "bigger", {
        "mentees": "\n".join(mentees), "mentors": "\n".join(mentors), "duos": "\n".join(duos),
        "outcomes": "\n".join(outcomes), "costs": "\n".join(costs), "funding": "\n".join(funding)})


@pytest.fixture(scope="module")
def bigger(tmp_path_factory):
    return _open(_bigger_programme(tmp_path_factory.mktemp("bigger")))


YEAR = engine.Query(dt.date(2024, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_visible_figures_of_a_bigger_programme(bigger):
    model = report.build(bigger, YEAR, lang="en")
    fig = {f.key: f for f in model.headline}
    assert fig["duos_realized"].value == "30"
    assert fig["completion_rate"].value == "67%"
    assert fig["positive_exit_rate"].value == "60%"
    assert fig["job_exit_rate"].value == "40%" and fig["job_exit_rate"].iris_code == "PI3527"
    assert fig["cost_per_duo_eur"].value == "€400.00"  # money to the cent
    assert fig["cost_per_positive_exit_eur"].value == "€666.67"  # 12000 / 18 positive exits
    gender = next(t for t in model.breakdowns if t.key == "outcomes_by_gender")
    total = gender.rows[-1]
    assert total == ["All groups", "30", "18", "60%", "12", "40%"]
    rows = {row[0]: row for row in gender.rows}
    # X: 3 duos ended, nothing positive -> "<5" and its rates hidden
    assert rows["Non-binary or other"][1] == "<5" and rows["Non-binary or other"][3] == "*"
    for column in (1, 2, 4):  # a hidden count in a column with a visible total has company
        hidden = [row[column] for row in gender.rows[:-1] if row[column] in ("<5", "*")]
        assert len(hidden) != 1
    for row in gender.rows:
        for count_col, rate_col in ((2, 3), (4, 5)):
            if row[count_col] in ("<5", "*") or row[1] in ("<5", "*"):
                assert row[rate_col] in ("*", "—"), row


def test_every_chart_is_built_from_suppressed_values(bigger):
    model = report.build(bigger, YEAR, lang="en")
    trend = next(c for c in model.charts if c.key == "duos_realized_trend")
    assert trend.table.rows[0] == ["Q1 2024", "30"]
    plotted = list(trend.figure.data[0].y)
    assert plotted[0] == 30 and all(v in (None, 0) for v in plotted[1:])


def test_baseline_is_a_labelled_difference_not_an_effect(bigger):
    model = report.build(bigger, YEAR, lang="en",
                         baseline=report.Baseline("Control group job rate (regional study)", 0.30,
                                                  source="Regional employment office, 2023"))
    b = model.baseline
    assert b.programme == "40.0%" and b.baseline == "30.0%"
    assert b.difference == "+10.0 percentage points"
    assert "not an effect" in b.caution
    page = report.render_html(model)
    assert "Comparison with a baseline" in page and "Difference" in page
    assert "Control group job rate (regional study)" in page
    assert not re.search(r"\b(impact of|caused by|thanks to) the programme\b", page, re.I)


def test_baseline_of_a_hidden_figure_is_hidden(tiny):
    model = report.build(tiny, H1, baseline=report.Baseline("Control", 0.3))
    assert model.baseline.programme == "*" and model.baseline.difference == "*"


@pytest.mark.parametrize("baseline", [report.Baseline("x", 1.5), report.Baseline("x", 0.3, indicator="duos_realized")])
def test_bad_baseline_is_refused(tiny, baseline):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, baseline=baseline)


# ====================================================================== methodology, language
def test_methodology_comes_from_the_registry(tiny_model):
    from analytics.engine.registry import INDICATORS

    keys = {m.key for m in tiny_model.methodology}
    assert {"duos_realized", "job_exit_rate", "job_rate_12m", "cost_per_beneficiary_eur"} <= keys
    for m in tiny_model.methodology:
        assert m.definition == INDICATORS[m.key].definition
        assert m.iris_code == INDICATORS[m.key].iris_code
        assert m.period and m.as_of and m.coverage
    job = next(m for m in tiny_model.methodology if m.key == "job_exit_rate")
    assert job.iris_code == "PI3527" and "outcomes" in job.coverage
    assert all(m.iris_code == "" for m in tiny_model.methodology if m.key != "job_exit_rate")


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_html_language(tiny, lang):
    page = report.render_html(report.build(tiny, H1, lang=lang))
    assert f'<html lang="{lang}">' in page
    assert "Content-Security-Policy" in page
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', page)


def test_french_formatting(tiny):
    model = report.build(tiny, engine.Query(), lang="fr")
    fig = {f.key: f for f in model.headline}
    assert fig["total_costs_eur"].value == "4\u202f999,00\u00a0€"
    assert "juil. 2024" in dict(model.scope)[model.scope[1][0]]


def test_unknown_language_is_refused(tiny):
    with pytest.raises(report.ReportError):
        report.build(tiny, H1, lang="de")


# ====================================================================== the command
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("fmt, magic", [("html", b"<!DOCTYPE html>"), ("csv", b"\xef\xbb\xbfsection,")])
def test_report_command_writes_the_report(tiny_folder, tmp_path, fmt, magic):
    out = tmp_path / f"report.{fmt}"
    done = _cli("report", "--data", str(tiny_folder), "--as-of", "2024-06-30", "--from", "2024-01-01",
                "--to", "2024-06-30", "--lang", "fr", "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(magic)
    assert done.stdout == ""


@pytest.mark.parametrize("args", [
    ["--from", "2024-01-01"],                                      # --from without --to
    ["--from", "2024-07-01", "--to", "2024-01-01"],                # F > T
    ["--as-of", "2023-01-01", "--from", "2024-01-01", "--to", "2024-06-30"],  # A before F
    ["--as-of", "2024-13-01"],                                     # not a date
    ["--lang", "de"],
    ["--threshold", "1"],
    ["--threshold", "five"],
    ["--baseline", "0.3"],                                         # without its label
    ["--baseline", "130%", "--baseline-label", "x"],
])
def test_report_command_bad_arguments_exit_2(tiny_folder, tmp_path, args):
    out = tmp_path / "r.html"
    done = _cli("report", "--data", str(tiny_folder), "--format", "html", "--out", str(out), *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr and done.stdout == ""
    assert not out.exists()


def test_report_command_bad_input_exits_2(tmp_path):
    out = tmp_path / "r.html"
    missing = _cli("report", "--data", str(tmp_path / "nowhere"), "--format", "html", "--out", str(out))
    assert missing.returncode == 2 and not out.exists()
    no_format = _cli("report", "--data", str(TINY), "--out", str(out))
    assert no_format.returncode == 2
    no_folder = _cli("report", "--data", str(TINY), "--format", "csv", "--out", str(tmp_path / "no" / "r.csv"))
    assert no_folder.returncode == 2


# ====================================================================== the page
def test_impact_report_page_for_each_role(tmp_path, monkeypatch):
    """pages/impact_report.py run headless: funders and managers see the
    suppressed report with its downloads, a manager adds a baseline, a
    coordinator is refused (fail closed)."""
    from streamlit.testing.v1 import AppTest

    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store
    from ui import auth

    store = tmp_path / "store"
    Store(store).import_result(validate_source(TINY))
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))

    def run(role, **state):
        at = AppTest.from_file(str(ROOT / "pages" / "impact_report.py"), default_timeout=180)
        at.session_state["role"] = role
        for k, v in state.items():
            at.session_state[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    funder = run("funder")
    metrics = {m.label: m.value for m in funder.metric}
    assert metrics["Duos realized"] == "7" and metrics["Completion rate"] == "*"
    assert len(funder.get("download_button")) == 2 and not funder.expander   # no baseline input
    shown = " ".join(str(df.value.to_dict()) for df in funder.dataframe)
    assert "Amal" not in shown and "ME1" not in shown

    manager = run("manager")
    manager.toggle(key="report_baseline_on").set_value(True).run()
    manager.text_input(key="report_baseline_label").set_value("Control group job rate").run()
    assert "Comparison with a baseline" in [h.value for h in manager.header]
    assert not manager.exception

    coordinator = run("coordinator", coordinator_branches=["East"])
    assert any("not available for your role" in e.value for e in coordinator.error)
    assert not coordinator.metric and not coordinator.dataframe


def test_a_period_that_is_not_whole_months(tiny):
    """Periods cut mid-month use one bucket for the follow-up counts and no
    context buckets; the figures still agree with the engine."""
    q = engine.Query(dt.date(2024, 6, 30), dt.date(2024, 1, 15), dt.date(2024, 6, 20))
    model = report.build(tiny, q, threshold=2)
    fig = {f.key: f for f in model.headline}
    expected = engine.indicators(tiny, q)
    assert fig["duos_realized"].value == str(expected["duos_realized"])
    trend = next(c for c in model.charts if c.key == "duos_realized_trend")
    assert [row[0] for row in trend.table.rows] == ["Q1 2024", "Q2 2024"]
