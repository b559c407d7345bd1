"""Translation plumbing: gettext catalogs compiled by Babel on first use, English fallback."""
import os
import time

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from analytics.text import i18n


def _write_po(path, translations):
    catalog = Catalog(locale="fr")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog)


def test_po_is_compiled_on_first_use_and_recompiled_when_newer(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.translations.cache_clear()
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    _write_po(po, {"Overview": "Vue d'ensemble"})
    try:
        i18n.use_language("fr")
        assert i18n._("Overview") == "Vue d'ensemble"
        assert i18n._("Not in the catalog") == "Not in the catalog"   # English fallback
        mo = po.with_suffix(".mo")
        assert mo.exists()

        _write_po(po, {"Overview": "Aperçu"})
        later = time.time() + 5
        os.utime(po, (later, later))
        i18n.translations.cache_clear()
        assert i18n._("Overview") == "Aperçu"
    finally:
        i18n.use_language("en")
        i18n.translations.cache_clear()


def test_english_is_the_msgid():
    i18n.use_language("en")
    assert i18n._("Overview") == "Overview"


def test_browser_locales_are_normalised():
    assert i18n.normalise_language("fr-BE") == "fr"
    assert i18n.normalise_language("nl_NL") == "nl"
    assert i18n.normalise_language("EN") == "en"
    assert i18n.normalise_language("de-DE") is None
    assert i18n.normalise_language(None) is None


def test_shipped_catalogs_compile():
    i18n.translations.cache_clear()
    for lang in ("fr", "nl"):
        assert (i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").exists()
        i18n.translations(lang)          # compiles without error
    i18n.translations.cache_clear()


def test_catalog_template_is_up_to_date_with_the_code():
    """Every string the interface passes to _() / N_() / ngettext() (and every
    registry label and definition) is in locales/messages.pot and in the French
    and Dutch catalogs (translated or not yet). Run locales/extract.py after
    adding strings."""
    import importlib.util

    from babel.messages.pofile import read_po

    spec = importlib.util.spec_from_file_location("extract", i18n.LOCALES_DIR / "extract.py")
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    wanted = {m.id for m in extract.build_template() if m.id}
    with (i18n.LOCALES_DIR / "messages.pot").open("rb") as fh:
        in_pot = {m.id for m in read_po(fh) if m.id}
    assert not wanted - in_pot, f"run locales/extract.py: {sorted(map(str, wanted - in_pot))[:10]}"
    for lang in ("fr", "nl"):
        with (i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            in_po = {m.id for m in read_po(fh, locale=lang) if m.id}
        assert not wanted - in_po, f"{lang}: run locales/extract.py"


def test_no_string_is_built_before_translation():
    """_() must receive a literal (f-strings and concatenations are not in the catalog)."""
    import ast
    from pathlib import Path

    root = i18n.LOCALES_DIR.parent
    offenders = []
    for path in [root / "app.py", *(root / "ui").glob("*.py"), *(root / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "N_") and node.args:
                arg = node.args[0]
                if isinstance(arg, (ast.JoinedStr, ast.BinOp)):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_at_risk_reasons_are_joined_as_the_language_writes_a_list():
    """French puts a narrow no-break space before the semicolon."""
    from ui import at_risk

    try:
        for lang, expected in (("en", "a; b"), ("fr", "a\u202f; b"), ("nl", "a; b")):
            i18n.use_language(lang)
            assert at_risk.join_reasons(["a", "b"]) == expected
            assert at_risk.join_reasons([]) == ""
    finally:
        i18n.use_language("en")
