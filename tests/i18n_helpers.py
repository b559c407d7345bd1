"""Helpers of the translation tests: the catalogs' msgids, a fresh extraction,
and everything a page shows as text (collected from AppTest's element tree).

"Untranslated" means: a text the page shows (a title, a label, a column
header, a chart title, an option, a help text…) contains an English msgid
whose translation in the page's language is different. Msgids whose
translation is the same word (``Duo``, ``Total`` in French) or that are too
short to tell (``To``, ``no``) are not looked for.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
LANGUAGES = ("fr", "nl")

# Proto fields that never hold words a person reads.
_SKIP_FIELDS = {"id", "form_id", "key", "icon", "type", "url", "mime", "file_name", "format",
                "data", "arrow_data", "theme", "selection_mode", "default", "value_type"}
# Plotly spec keys whose strings are not words (colours, modes, fonts, formats…).
_SKIP_SPEC_KEYS = {"template", "colorway", "color", "marker_color", "fillcolor", "bgcolor", "family",
                   "mode", "type", "xanchor", "yanchor", "orientation", "hovermode", "barmode",
                   "tickformat", "hoverformat", "rangemode", "textposition", "traceorder", "separators",
                   "layer", "xref", "yref", "fill", "line_shape", "shape", "dash", "autorange",
                   "xaxis", "yaxis", "ticksuffix", "hoverinfo", "legendgroup", "uid"}


def read_catalog(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def extracted_template() -> Catalog:
    """Every translatable string, extracted now from the sources (locales/extract.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("duo_locales_extract", LOCALES / "extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_template()


def _literal_letters(msgid: str) -> int:
    literal = "".join(text for text, *_ in Formatter().parse(msgid))
    return sum(ch.isalpha() for ch in literal)


def _pattern(msgid: str) -> re.Pattern:
    parts = []
    for text, field, _spec, _conv in Formatter().parse(msgid):
        parts.append(re.escape(text))
        if field is not None:
            parts.append(r"[^\n]+?")
    return re.compile(r"(?<![\w])" + "".join(parts) + r"(?![\w])")


@lru_cache(maxsize=None)
def english_patterns(lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(msgid, pattern) of the English msgids whose ``lang`` translation differs."""
    out = []
    for m in read_catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for msgid in ids:
            if msgid in strings or _literal_letters(msgid) < 4:
                continue
            out.append((msgid, _pattern(msgid)))
    return tuple(out)


def _unescape_markdown(text: str) -> str:
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("**", "")


def _proto_strings(message, out: list[str]) -> None:
    for field, value in message.ListFields():
        if field.name in _SKIP_FIELDS:
            continue
        if field.name == "spec" and isinstance(value, str):   # a plotly chart
            try:
                _json_strings(json.loads(value), out)
            except ValueError:
                pass
            continue
        if isinstance(value, (str, bytes, int, float)) or hasattr(value, "ListFields"):
            values = [value]
        else:                                                   # a repeated field
            values = list(value)
        for v in values:
            if isinstance(v, str):
                out.append(v)
            elif hasattr(v, "ListFields"):
                _proto_strings(v, out)


def _json_strings(obj, out: list[str], key: str = "") -> None:
    if key in _SKIP_SPEC_KEYS:
        return
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _json_strings(v, out, k)
    elif isinstance(obj, list):
        for v in obj:
            _json_strings(v, out, key)


def shown_texts(at, skip: set[str] = frozenset()) -> list[str]:
    """Every text the app shows: element protos (labels, options, help,
    captions, markdown bodies, chart specs) and dataframes (headers and text
    cells). ``skip``: markdown bodies deliberately left in English."""
    texts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        node_type = getattr(node, "type", "")
        if node_type == "dataframe":
            frame = node.value
            texts.extend(str(c) for c in frame.columns)
            for col in frame.columns:
                if frame[col].dtype == object:
                    texts.extend(str(v) for v in frame[col].dropna().unique())
        elif proto is not None and hasattr(proto, "ListFields"):
            found: list[str] = []
            _proto_strings(proto, found)
            texts.extend(t for t in found if not any(t.startswith(s[:200]) for s in skip))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return [_unescape_markdown(t) for t in texts if t and t.strip()]


def untranslated(texts: list[str], lang: str) -> dict[str, str]:
    """{English msgid: a shown text containing it}."""
    blob = "\n\x00\n".join(texts)
    found = {}
    for msgid, pattern in english_patterns(lang):
        match = pattern.search(blob)
        if match:
            start = blob.rfind("\x00", 0, match.start()) + 1
            end = blob.find("\x00", match.end())
            found[msgid] = blob[start:end if end >= 0 else None].strip()[:200]
    return found
