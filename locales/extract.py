"""Extract every translatable string into locales/messages.pot and merge it
into the French and Dutch catalogs (standard gettext, for Poedit or Weblate).

    .venv/bin/python locales/extract.py

Sources: the interface and the funder report (``_()``, ``N_()``,
``ngettext()`` in app.py, ui/, pages/, analytics/report/**.py and analytics/text/**.py, per
locales/babel.cfg), the indicator registry's labels, definitions and
at-risk rules (``analytics.engine.registry``: read from ``INDICATORS`` and
``AT_RISK_RULES``, not marked in the source), which stay in the one registry
with their translations here, and the importer's report messages (read from
``analytics.records.importer.REASONS`` and ``STOPS``, one template per reason code)
with the programme rules they quote (``analytics.records.schema.PROGRAMME_RULES``). The command line's messages
(analytics/commands_*.py) are for operators and stay English. The .mo files are compiled by ``analytics.text.i18n`` on first
use, so there is no separate build step.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = ("fr", "nl")


def _method_map() -> list[tuple[str, str]]:
    return [("app.py", "python"), ("ui/**.py", "python"), ("pages/**.py", "python"),
            ("analytics/report/**.py", "python"), ("analytics/text/**.py", "python")]


def build_template() -> Catalog:
    catalog = Catalog(project="Duo Impact", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map=_method_map(), keywords=KEYWORDS,
            options_map={"**.py": {}}, comment_tags=("TRANSLATORS:",)):
        if filename.startswith((".venv", "tests", "locales")):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    sys.path.insert(0, str(ROOT))
    try:
        from analytics.engine.registry import INDICATORS
    except ImportError:  # registry not there: interface strings only
        INDICATORS = {}
    try:
        from analytics.engine.registry import AT_RISK_RULES
    except ImportError:
        AT_RISK_RULES = {}
    for rule, text in AT_RISK_RULES.items():
        catalog.add(text, None, [("analytics/engine/registry.py", 0)], auto_comments=[f"at-risk rule {rule}; keep the {{placeholders}}"],
                    flags=("python-brace-format",))
    try:
        from analytics.records.importer import REASONS, STOPS, TRANSLATED_PARAMETERS
        from analytics.records.schema import PROGRAMME_RULES
    except ImportError:
        REASONS, STOPS, TRANSLATED_PARAMETERS, PROGRAMME_RULES = {}, {}, frozenset(), ()
    quoted = ("keep the {placeholders}; they are filled in as they are in the files (column names, "
              "list values and file names of the record format stay English)")
    for kind, templates in (("reason", REASONS), ("stop", STOPS)):
        what = ("a row's or a file's issue in the Data page's validation report" if kind == "reason"
                else "why the files cannot be imported at all (Data page)")
        for code, text in templates.items():
            catalog.add(text, None, [("analytics/records/importer.py", 0)],
                        auto_comments=[f"import {kind} {code}: {what}; {quoted}"],
                        flags=("python-brace-format",))
    for rule in PROGRAMME_RULES:
        catalog.add(rule.description, None, [("analytics/records/schema.py", 0)],
                    auto_comments=[f"programme rule on {rule.table}.{rule.column}: an eligibility exception's "
                                   f"{{{sorted(TRANSLATED_PARAMETERS)[0]}}} in the import report; column names "
                                   "stay English"])
    for key, ind in INDICATORS.items():
        catalog.add(ind.label, None, [("analytics/engine/registry.py", 0)], auto_comments=[f"indicator {key}: label"])
        if ind.definition:
            catalog.add(ind.definition, None, [("analytics/engine/registry.py", 0)],
                        auto_comments=[f"indicator {key}: definition"])
    try:
        from analytics.engine.standards import STANDARDS
    except ImportError:
        STANDARDS = ()
    for standard in STANDARDS:
        catalog.add(standard.label, None, [("analytics/engine/standards.py", 0)],
                    auto_comments=[f"standard of practice {standard.key}: label"])
        catalog.add(standard.source, None, [("analytics/engine/standards.py", 0)],
                    auto_comments=[f"standard of practice {standard.key}: its value and source"])
    return catalog


def main() -> int:
    template = build_template()
    with (LOCALES / "messages.pot").open("wb") as fh:
        write_po(fh, template, width=100, sort_by_file=True)
    for lang in LANGUAGES:
        po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="Duo Impact", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_by_file=True, ignore_obsolete=True)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
