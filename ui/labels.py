"""Record-format values explained in the interface language. The values
themselves stay English (they are the import contract); what the user reads
goes through ``_()``. The words (and chart colours) of every category live
once in ``analytics.text.categories``, shared with the funder report; this
module translates them for the pages."""
from __future__ import annotations

from analytics.text.categories import BY_COLUMN, CATEGORIES, WORDS, Category, label_of  # noqa: F401
from ui.i18n import _

# every value's word without its column (msgids)
VALUE_LABELS = WORDS
# where a column's word for a value is not that word (``none`` in ``contract``
# is "No contract"): derived from the categories, not a second table
COLUMN_VALUE_LABELS: dict[str, dict[str, str]] = {
    column: own for column, category in BY_COLUMN.items()
    if (own := {v: w for v, w in category.labels.items() if WORDS.get(v) != w})}


def label(value: object, column: str | None = None) -> str:
    """The interface's words for a record-format value (unknown values as they
    are); ``column`` picks the column's own words where a value has several."""
    if value is None:
        return ""
    text = str(value)
    word = label_of(text, column)
    return text if word is None else _(word)


def value_table() -> "pd.DataFrame":
    """Every list value of the record format with its meaning in the interface
    language (the values themselves stay English: they are the import contract)."""
    import pandas as pd

    from analytics.records.schema import TABLES

    rows = [(table.name, column.name, value, label(value, column.name))
            for table in TABLES for column in table.columns for value in column.choices]
    return pd.DataFrame(rows, columns=[_("Table"), _("Column"), _("Value in the file"), _("Meaning")])
