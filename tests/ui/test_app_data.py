"""The Data page: upload -> validation report -> confirm -> import; a bad file
is rejected with its report and changes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# reruns go through app.py, as on a real server (tests/conftest.py: navigation_app)
pytestmark = pytest.mark.usefixtures("navigation_app")

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"
TIMEOUT = 120


def _files(folder: Path, replace: dict[str, bytes] | None = None) -> list[tuple[str, bytes, str]]:
    out = [(p.name, p.read_bytes(), "text/csv") for p in sorted(folder.glob("*.csv"))]
    replace = replace or {}
    out = [(n, replace.get(n, b), m) for n, b, m in out]
    return out


def _open_data_page(tmp_path, monkeypatch, lang: str | None = None):
    from analytics.records.importer import validate_source
    from analytics.store.snapshots import Store

    store = tmp_path / "store"
    Store(store).import_result(validate_source(TINY))
    monkeypatch.setenv("DUO_IMPACT_DB", str(store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(TINY))   # the tiny fixture is "the sample": demo mode
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["role"] = "manager"
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    return at, Store(store)


@pytest.fixture
def data_page(tmp_path, monkeypatch):
    """The Data page as a manager, on a fresh store holding the tiny fixture."""
    return _open_data_page(tmp_path, monkeypatch)


@pytest.fixture
def data_page_in(tmp_path, monkeypatch):
    """``data_page_in(lang)``: the Data page in French or Dutch."""
    from ui import i18n

    def make(lang: str):
        # AppTest formats some values outside the script run, in the process's language.
        i18n.use_language(lang)
        return _open_data_page(tmp_path, monkeypatch, lang)

    yield make
    i18n.use_language("en")


def _token(store) -> str:
    return str(store.current_token() if hasattr(store, "current_token") else store.current())


def test_upload_check_confirm_import(data_page):
    at, store = data_page
    before = _token(store)
    at.file_uploader(key="data_uploads").set_value(_files(TINY)).run()
    at.button(key="data_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Validation report" in h.value for h in at.subheader)
    assert _token(store) == before, "checking changes nothing"
    at.button(key="data_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Imported" in s.value for s in at.success)
    assert _token(store) != before, "the import switched the store to a new snapshot"


def test_rows_with_errors_are_listed_in_the_report(data_page):
    at, store = data_page
    duos = (TINY / "duos.csv").read_bytes() + b"D99,ME1,MR1,ST1,East,not-a-date,,,,\n"
    at.file_uploader(key="data_uploads").set_value(_files(TINY, {"duos.csv": duos})).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    rejected = [m for m in at.metric if m.label.startswith("Rejected")]
    assert rejected and rejected[0].value == "1"
    frames = [d.value for d in at.dataframe]
    assert any("D99" in frame.to_string() or "not-a-date" in frame.to_string() for frame in frames)


def test_a_file_that_cannot_be_imported_is_refused_with_its_reason(data_page):
    at, store = data_page
    before = _token(store)
    bad = b"duo_id,mentee_id\nD1,ME1\n"        # duos.csv without its required columns
    at.file_uploader(key="data_uploads").set_value(_files(TINY, {"duos.csv": bad})).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert any("cannot be imported" in e.value for e in at.error)
    assert "data_confirm" not in [b.key for b in at.button]
    assert _token(store) == before


# A row for each of several reasons: a bad date, a mentee that does not exist,
# a used key, a value not in the list; a meeting over 12 hours. (The tiny
# fixture's mentees already hold eligibility exceptions.)
BAD_DUOS = (b"D99,ME1,MR1,ST1,East,not-a-date,,,,\n"
            b"D98,ME404,MR1,ST1,East,2024-03-01,,,,\n"
            b"D1,ME1,MR1,ST1,East,2024-03-01,,,,\n"
            b"D97,ME1,MR1,ST1,East,2024-03-01,,,2024-04-01,whatever\n")
BAD_MEETING = b"MT99,D1,2024-03-01,13,video\n"
NBSP, NNBSP = "\u00a0", "\u202f"
EXPECTED_REASONS = {
    "fr": {"pas une date valide (YYYY-MM-DD)",
           f"aucune ligne de mentees n'a mentee_id «{NBSP}ME404{NBSP}»",
           f"identifiant en double{NBSP}: déjà utilisé à la ligne 2",
           f"hors limites{NBSP}: doit être dans l'intervalle (0, 12]"},
    "nl": {"geen geldige datum (YYYY-MM-DD)",
           "geen rij in mentees heeft mentee_id 'ME404'",
           "dubbele id: al gebruikt in rij 2",
           "buiten bereik: moet in (0, 12] liggen"},
}


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_validation_report_is_in_the_language_of_the_page(data_page_in, lang):
    from analytics.records.importer import REASONS
    from analytics.records.document import record_format_markdown
    from tests.i18n_helpers import shown_texts, untranslated
    from ui.i18n import _

    at, store = data_page_in(lang)
    replace = {"duos.csv": (TINY / "duos.csv").read_bytes() + BAD_DUOS,
               "meetings.csv": (TINY / "meetings.csv").read_bytes() + BAD_MEETING}
    at.file_uploader(key="data_uploads").set_value(_files(TINY, replace)).run()
    at.button(key="data_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    reason = _("Reason")
    assert reason != "Reason"
    reasons = {text for d in at.dataframe if reason in d.value.columns for text in d.value[reason]}
    assert EXPECTED_REASONS[lang] <= reasons, reasons
    assert any(r.startswith(_("programme rule: {rule}").split("{")[0]) for r in reasons), "eligibility exceptions"
    english = set(REASONS.values())
    assert not {r for r in reasons if r in english or "must be" in r or "row has" in r}, reasons
    found = untranslated(shown_texts(at, skip={record_format_markdown()}), lang)
    assert not found, f"English shown in {lang}: {found}"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_why_files_cannot_be_imported_is_in_the_language_of_the_page(data_page_in, lang):
    at, store = data_page_in(lang)
    bad = b"duo_id,mentee_id\nD1,ME1\n"        # duos.csv without its required columns
    at.file_uploader(key="data_uploads").set_value(_files(TINY, {"duos.csv": bad})).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    expected = {"fr": f"duos.csv{NBSP}: la colonne obligatoire mentor_id est absente",
                "nl": "duos.csv: verplichte kolom mentor_id ontbreekt"}[lang]
    assert any(expected in e for e in errors), errors
    assert not any("required column" in e or "cannot be imported" in e for e in errors), errors
