"""Translation plumbing: gettext catalogs compiled by Babel on first use, English fallback."""
import os
import time

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from ui import i18n


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
