"""The importer's report messages in the interface language: every issue and
every stop carries a reason code and named values; each code has one English
template (``analytics.records.issues.REASONS`` / ``STOPS``), which is extracted into
the catalogs and translated in French and Dutch with the same placeholders.
The English text (``Issue.reason``, ``str(ImportStopped)``) is the template
filled in, so the command line and the JSON/CSV reports do not change.
"""
from __future__ import annotations

import ast
import pickle
import textwrap
from pathlib import Path
from string import Formatter

import pytest

from analytics.records import schema
from analytics.text import i18n
from analytics.records.importer import REASONS, STOPS, TRANSLATED_PARAMETERS, ImportStopped, Issue, validate_source
from analytics.records.issues import build_reason
from tests.i18n_helpers import LANGUAGES, ROOT, extracted_template, read_catalog

NBSP, NNBSP = "\u00a0", "\u202f"


def _fields(text: str) -> set[str]:
    return {f for _t, f, _s, _c in Formatter().parse(text) if f is not None}


def _codes_used_in_the_importer() -> set[str]:
    """Every code literal the importer passes: build_reason(code, ...), ImportStopped(code, ...),
    add_issue(..., code, ...), Issue(..., code=...) and the (code, params) of a misshapen row."""
    sources = sorted((ROOT / "analytics" / "records").glob("*.py"))
    tree = ast.Module(body=[node for path in sources
                            for node in ast.parse(path.read_text(encoding="utf-8")).body], type_ignores=[])
    found: set[str] = set()

    def strings(node) -> set[str]:
        return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("build_reason", "ImportStopped") and node.args:
                found |= strings(node.args[0])
            elif name == "Issue" and any(k.arg == "code" for k in node.keywords):
                found |= strings(next(k.value for k in node.keywords if k.arg == "code"))
            elif name == "add_issue":
                assert len(node.args) >= 7, ast.unparse(node)
                found |= strings(node.args[6])
        elif isinstance(node, ast.Lambda) and isinstance(node.body, ast.Tuple) and node.body.elts:
            first = node.body.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_every_code_the_importer_uses_has_a_template_and_every_template_is_used():
    used = _codes_used_in_the_importer()
    assert len(used) > 40
    assert not set(REASONS) & set(STOPS), "a code is either an issue's reason or a stop"
    assert used - set(REASONS) - set(STOPS) == set(), "codes without a template"
    assert set(REASONS) | set(STOPS) == used, "templates no code uses"
    for code in list(REASONS) + list(STOPS):
        assert code.isidentifier() and code == code.lower(), code


def test_an_unknown_code_fails_at_once():
    with pytest.raises(KeyError):
        build_reason("no_such_reason")
    with pytest.raises(KeyError):
        ImportStopped("no_such_stop")
    with pytest.raises(ValueError):
        build_reason("duplicate_key")                           # its {row} is missing
    with pytest.raises(ValueError):
        ImportStopped("no_header", file="a.csv", line=3)        # no {line} in its template


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_is_translated_with_the_same_placeholders(lang):
    catalog = read_catalog(lang)
    rules = [rule.description for rule in schema.PROGRAMME_RULES]
    for msgid in list(REASONS.values()) + list(STOPS.values()) + rules + ["; "]:
        message = catalog.get(msgid)
        assert message is not None, f"{msgid!r} is not in the {lang} catalog"
        assert message.string and not message.fuzzy, f"{msgid!r} is not translated in {lang}"
        assert _fields(message.string) == _fields(msgid), (lang, msgid, message.string)
    fresh = {m.id for m in extracted_template() if m.id}
    assert set(REASONS.values()) | set(STOPS.values()) | set(rules) <= fresh, "extract.py reads the templates"


def test_french_templates_follow_french_typography():
    catalog = read_catalog("fr")
    for msgid in list(REASONS.values()) + list(STOPS.values()):
        text = catalog.get(msgid).string
        assert " :" not in text and " ;" not in text, text          # ordinary spaces
        for i, ch in enumerate(text):
            if ch == ":" and i:
                assert text[i - 1] == NBSP, text
            if ch == ";" and i:
                assert text[i - 1] == NNBSP, text


# -- one source with many problems, checked in every language --------------

BAD = {
    "mentees": """
        mentee_id,branch,applied_on,birth_date,country_of_origin,registered_jobseeker,shoe_size
        ME1,East,2024-01-10,2000-05-01,SY,true,42
        ME2,East,2024-02-31,1999-01-01,AF,true,
        ME2,East,2024-02-01,1999-01-01,AF,maybe,
        ME3,East,2024-02-01,2010-01-01,GR,false,
    """,
    "mentors": """
        mentor_id,branch,applied_on,birth_date
        MR1,East,2023-06-01,1960-01-01
    """,
    "duos": """
        duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason,coordinator_id
        D1,ME1,MR1,East,2024-02-05,2024-02-01,,,
        D2,ME9,MR1,East,2024-03-02,,,,
        D3,ME1,MR1,East,2024-03-02,,,completed,ST9
        D4,ME3,MR1,East,2024-01-02,,,whatever,
    """,
    "meetings": """
        meeting_id,duo_id,met_on,hours
        M1,D3,2024-03-01,13
        M2,D3,2024-03-05,x

        M3,D3,2024-03-08,2
    """,
    "notes": "a,b\n1,2\n",
}


def _write(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def issues(tmp_path_factory):
    result = validate_source(_write(tmp_path_factory.mktemp("bad"), BAD))
    try:
        return list(result.issues)
    finally:
        result.close()


def test_issues_carry_a_code_and_exactly_the_values_of_its_template(issues):
    codes = {i.code for i in issues}
    assert {"not_a_date", "duplicate_key", "not_a_boolean", "unknown_reference", "unknown_column",
            "unknown_file", "out_of_interval", "not_a_number", "not_one_of", "date_order",
            "without_required_with", "programme_rule", "programme_rule_age", "empty_row"} <= codes, codes
    for issue in issues:
        assert issue.code in REASONS, issue
        assert set(issue.params) == _fields(REASONS[issue.code]), issue
        assert issue.reason == REASONS[issue.code].format(**issue.params)
        assert issue.text() == issue.reason


def test_english_text_is_unchanged(issues):
    assert Issue("rejected", "mentees.csv", 3, "applied_on", "2024-02-31", "not a date (YYYY-MM-DD)") in issues
    assert Issue("rejected", "mentees.csv", 4, "mentee_id", "ME2", "duplicate key: already used in row 3") in issues
    assert Issue("rejected", "duos.csv", 3, "mentee_id", "ME9", "no mentees row has mentee_id 'ME9'") in issues
    assert Issue("rejected", "meetings.csv", 2, "hours", "13", "out of range: must be in (0, 12]") in issues
    by_code = {i.code: i for i in issues}
    assert by_code["not_one_of"].params["allowed"].startswith("completed, ")
    assert by_code["programme_rule_age"].reason == (
        "programme rule: mentees are 18–30 (whole years) on applied_on; aged 14 on applied_on")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_issues_read_in_the_language_with_the_values_as_in_the_files(issues, lang):
    i18n.use_language(lang)
    try:
        for issue in issues:
            text = issue.text(i18n._)
            assert text != issue.reason, (lang, text)
            for name, value in issue.params.items():
                if name not in TRANSLATED_PARAMETERS:
                    assert value in text, (name, value, text)
        by_code = {i.code: i for i in issues}
        expected = {
            "fr": {"not_a_date": "pas une date valide (YYYY-MM-DD)",
                   "duplicate_key": f"identifiant en double{NBSP}: déjà utilisé à la ligne 3",
                   "unknown_reference": f"aucune ligne de mentees n'a mentee_id «{NBSP}ME9{NBSP}»",
                   "programme_rule_age": f"règle du programme{NBSP}: les mentoré·es ont de 18 à 30 ans (révolus) "
                                         f"à la date applied_on{NNBSP}; 14 ans à la date applied_on"},
            "nl": {"not_a_date": "geen geldige datum (YYYY-MM-DD)",
                   "duplicate_key": "dubbele id: al gebruikt in rij 3",
                   "unknown_reference": "geen rij in mentees heeft mentee_id 'ME9'",
                   "programme_rule_age": "programmaregel: mentees zijn 18 tot 30 jaar (volle jaren) op applied_on; "
                                         "14 jaar op applied_on"},
        }[lang]
        for code, text in expected.items():
            assert by_code[code].text(i18n._) == text
    finally:
        i18n.use_language("en")


def test_a_translation_with_wrong_placeholders_falls_back_to_english():
    issue = Issue("rejected", "x.csv", 2, "hours", "13", code="out_of_range", params={"range": "≥ 0"})
    assert issue.reason == "out of range: must be ≥ 0"
    assert issue.text(lambda s: "hors limites : {plage}") == issue.reason
    assert issue.text(lambda s: "HORS LIMITES : {range}") == "HORS LIMITES : ≥ 0"


def test_issues_compare_by_their_text_not_by_their_code():
    a = Issue("warning", "x.csv", 3, None, None, code="empty_row")
    assert a == Issue("warning", "x.csv", 3, None, None, "empty row: skipped")
    assert hash(a) == hash(Issue("warning", "x.csv", 3, None, None, "empty row: skipped"))
    assert Issue("warning", "x.csv", 3, None, None, "as before").text(lambda s: "traduit") == "as before"


# -- stops ------------------------------------------------------------------

def test_a_stop_has_a_code_its_values_and_english_str(tmp_path):
    folder = _write(tmp_path / "dup", {**BAD, "meetings": "meeting_id,duo_id,met_on\nM1,D3,2024-03-01\n"})
    with pytest.raises(ImportStopped) as caught:
        validate_source(folder)
    stop = caught.value
    assert stop.code == "missing_column"
    assert stop.params == {"file": "meetings.csv", "column": "hours"}
    assert str(stop) == "meetings.csv: required column hours is missing"
    assert set(stop.params) == _fields(STOPS[stop.code])
    i18n.use_language("fr")
    try:
        assert stop.text(i18n._) == f"meetings.csv{NBSP}: la colonne obligatoire hours est absente"
    finally:
        i18n.use_language("en")
    i18n.use_language("nl")
    try:
        assert stop.text(i18n._) == "meetings.csv: verplichte kolom hours ontbreekt"
    finally:
        i18n.use_language("en")
    again = pickle.loads(pickle.dumps(stop))
    assert (again.code, again.params, str(again)) == (stop.code, stop.params, str(stop))


@pytest.mark.parametrize("code", sorted(STOPS))
def test_every_stop_renders_in_every_language(code):
    params = {name: f"<{name}>" for name in _fields(STOPS[code])}
    stop = ImportStopped(code, **params)
    assert str(stop) == STOPS[code].format(**params)
    for lang in LANGUAGES:
        i18n.use_language(lang)
        try:
            text = stop.text(i18n._)
        finally:
            i18n.use_language("en")
        assert text != str(stop) and all(value in text for value in params.values()), (lang, text)
