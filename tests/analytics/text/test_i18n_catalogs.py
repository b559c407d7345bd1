"""The translation catalogs are complete: a fresh Babel extraction of every
translatable string (app.py, pages/, ui/, analytics/report.py, and the
registry's indicator labels, definitions and at-risk rules) is in the French
and Dutch catalogs, translated, not fuzzy, with the same placeholders; the
report reads the same catalogs (no second dictionary); every record-format
list value has words; numbers, money, rates and dates are Babel's for en,
fr_BE and nl_BE; the funder report comes out in French and Dutch.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po, write_po

from tests.i18n_helpers import LANGUAGES, ROOT, english_patterns, extracted_template, read_catalog, untranslated

TINY = ROOT / "tests" / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The extraction written to a temporary .pot and read back, as a translator's tool would."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    with pot.open("wb") as fh:
        write_po(fh, extracted_template(), width=100)
    with pot.open("rb") as fh:
        return read_po(fh)


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def _fields(text: str) -> list[str]:
    return sorted(f for _t, f, _s, _c in Formatter().parse(text) if f is not None)


def test_extraction_covers_interface_report_and_registry(template):
    from analytics.engine.registry import AT_RISK_RULES, INDICATORS

    ids = _ids(template)
    assert len(ids) > 400
    for ind in INDICATORS.values():
        assert ind.label in ids and ind.definition in ids, ind.key
    assert set(AT_RISK_RULES.values()) <= ids
    files = {loc[0] for m in template for loc in m.locations}
    assert {"app.py", "analytics/engine/registry.py"} <= files
    assert any(f.startswith("analytics/report/") for f in files)
    assert any(f.startswith("pages/") for f in files) and any(f.startswith("ui/") for f in files)
    assert "Headline figures" in ids            # the report's own strings
    assert ("{n} day", "{n} days") in ids       # plurals


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_translates_every_extracted_string(template, lang):
    catalog = read_catalog(lang)
    by_id = {m.id: m for m in catalog if m.id}
    missing = [m.id for m in template if m.id and m.id not in by_id]
    assert not missing, f"{lang}: not in the catalog (run locales/extract.py, then translate): {missing}"
    empty, fuzzy, placeholders = [], [], []
    for m in template:
        if not m.id:
            continue
        entry = by_id[m.id]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(m.id, tuple) and len(strings) != catalog.num_plurals:
            empty.append(m.id)
        if not all(s and s.strip() for s in strings):
            empty.append(m.id)
        if entry.fuzzy:
            fuzzy.append(m.id)
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        if any(_fields(s) != _fields(ids[-1]) for s in strings):
            placeholders.append((m.id, strings))
    assert not empty, f"{lang}: untranslated: {empty}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"
    assert not placeholders, f"{lang}: placeholders differ from the msgid: {placeholders}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_no_stale_strings(template, lang):
    stale = _ids(read_catalog(lang)) - _ids(template)
    assert not stale, f"{lang}: no longer in the sources (run locales/extract.py): {stale}"


def test_catalogs_compile_and_translate():
    from ui import i18n

    i18n.translations.cache_clear()
    assert i18n.translations("fr").gettext("Positive exit rate") == "Taux de sortie positive"
    assert i18n.translations("nl").gettext("Positive exit rate") == "Positieve uitstroomgraad"
    assert i18n.translations("fr").ngettext("{n} day", "{n} days", 3) == "{n} jours"
    assert i18n.translations("nl").ngettext("{n} day", "{n} days", 1) == "{n} dag"


def test_one_set_of_catalogs():
    """The report translates through the interface's catalogs: no second dictionary."""
    from analytics import report
    from ui import i18n

    assert not (ROOT / "analytics" / "report_templates").exists()
    assert not list((ROOT / "analytics").rglob("*.po"))
    for lang in LANGUAGES:
        gettext = report.gettext_for(lang)
        for msgid in ("Headline figures", "Impact report", "Job exit rate", "Women"):
            assert gettext(msgid) == i18n.translations(lang).gettext(msgid) != msgid
    assert report.gettext_for("en")("Headline figures") == "Headline figures"


def test_every_record_format_value_is_explained():
    from analytics.records.schema import TABLES
    from ui import i18n, labels

    template_ids = _ids(extracted_template())
    for table in TABLES:
        for column in table.columns:
            for value in column.choices:
                words = labels.COLUMN_VALUE_LABELS.get(column.name, {}).get(value) or labels.VALUE_LABELS.get(value)
                assert words, f"{table.name}.{column.name}: no words for {value!r}"
                assert words in template_ids
    try:
        i18n.use_language("fr")
        assert labels.label("job_found") == "Emploi trouvé"
        assert labels.label("none", "education_level") == "Sans diplôme"
        assert labels.label("none", "contract") == "Sans contrat"
        i18n.use_language("nl")
        assert labels.label("job_found") == "Werk gevonden"
        assert labels.label("not_a_value") == "not_a_value"
    finally:
        i18n.use_language("en")


# ---------------------------------------------------------------- Babel formatting
@pytest.mark.parametrize("locale, money, rate", [
    ("en", "€1,234.50", "42.9%"),
    ("fr_BE", "1\u202f234,50\u00a0€", "42,9\u00a0%"),
    ("nl_BE", "€\u00a01.234,50", "42,9%"),
])
def test_money_and_rates_are_babels(locale, money, rate):
    from babel.numbers import format_currency, format_percent

    from ui import fmt

    assert fmt.money(1234.5, 2, locale) == money == format_currency(1234.5, "EUR", locale=locale)
    assert fmt.percent(0.4286, 1, locale) == rate
    assert fmt.percent(0.43, 0, locale) == format_percent(0.43, locale=locale)


def test_dates_and_numbers_are_babels():
    from babel.dates import format_date
    from babel.numbers import format_decimal

    from ui import fmt

    day = dt.date(2024, 7, 10)
    for locale in ("en", "fr_BE", "nl_BE"):
        assert fmt.day(day, locale=locale) == format_date(day, "medium", locale=locale)
        assert fmt.number(1234567.891, 1, locale) == format_decimal(1234567.891, "#,##0.0", locale=locale)
    assert fmt.day(day, locale="fr_BE") == "10 juil. 2024"
    assert fmt.number(1234.5, 1, "nl_BE") == "1.234,5"


def test_language_of_the_session_picks_the_locale():
    from ui import fmt, i18n

    try:
        for lang, expected in (("fr", "1\u202f234,00\u00a0€"), ("nl", "€\u00a01.234,00"), ("en", "€1,234.00")):
            i18n.use_language(lang)
            assert fmt.money(1234) == expected
    finally:
        i18n.use_language("en")


# ---------------------------------------------------------------- the funder report
@pytest.fixture(scope="module")
def tiny_con():
    from analytics.records.importer import open_dataset

    con, _result = open_dataset(TINY)
    return con


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_in_the_language(tiny_con, lang):
    from analytics.engine import query as engine
    from analytics import report

    query = engine.Query(dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    model = report.build(tiny_con, query, lang=lang, baseline=report.Baseline("Regional study", 0.3),
                         generated_on=dt.date(2024, 7, 1))
    page = report.render_html(model, static=True)
    assert f'<html lang="{lang}">' in page
    words = {"fr": ("Chiffres clés", "Méthodologie", "Taux de sortie positive", "Coût par bénéficiaire",
                    "Situation à la sortie selon le genre", "Femmes"),
             "nl": ("Kerncijfers", "Methodologie", "Positieve uitstroomgraad", "Kosten per begunstigde",
                    "Uitstroom naar gender", "Vrouwen")}[lang]
    for word in words:
        assert word in page, word
    texts = report.model_text(model).split("\n")
    csv_text = report.render_csv(model).decode("utf-8-sig")
    assert not untranslated(texts + csv_text.splitlines(), lang)
    from ui import fmt
    from ui.i18n import LANGUAGES as LOCALES

    money = {f.key: f.value for f in model.headline}["total_costs_eur"]
    amount = engine.indicators(tiny_con, engine.resolve(tiny_con, query))["total_costs_eur"]
    assert amount >= 1000 and money == fmt.money(amount, 2, LOCALES[lang])  # to the cent
    assert money.endswith("\u00a0€") if lang == "fr" else money.startswith("€\u00a0")
    assert ("\u202f" if lang == "fr" else ".") in money   # the thousands separator


def test_untranslated_report_text_would_be_caught(tiny_con):
    """The check above is not vacuous: the English report is full of msgids."""
    from analytics.engine import query as engine
    from analytics import report

    model = report.build(tiny_con, engine.Query(), lang="en")
    assert len(untranslated(report.model_text(model).split("\n"), "fr")) > 20
    assert english_patterns("fr") and english_patterns("nl")


def test_report_command_takes_the_language(tmp_path):
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "analytics", "report", "--data", str(TINY), "--as-of", "2024-06-30",
                           "--from", "2024-01-01", "--to", "2024-06-30", "--lang", "nl", "--format", "html",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in page and "Kerncijfers" in page
