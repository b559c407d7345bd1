"""SQL text for the staging database: quoting names and literals, trimming cells.

The importer composes its checking SQL from the record format (table and
column names, list values, reason templates), never from the cells it reads:
the cells stay in DuckDB tables and are only ever referred to by column. The
few helpers every part of the importer writes that SQL with live here.
"""
from __future__ import annotations

# What DuckDB's trim() should remove: spaces and the other blanks a spreadsheet
# or a copy-paste leaves at the ends of a cell.
BLANKS = " \t\n\r\x0b\x0c\xa0\u2007\u202f\u3000"


def q(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """`text` as a quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def trimmed(expr: str) -> str:
    """The cell trimmed, NULL when empty. trim() with a character list is slow,
    so it runs only on the few cells whose first or last character is a blank."""
    codes = ", ".join(str(ord(c)) for c in BLANKS)
    return (f"CASE WHEN ascii({expr}) IN ({codes}) OR ascii(right({expr}, 1)) IN ({codes}) "
            f"THEN nullif(trim({expr}, {lit(BLANKS)}), '') ELSE nullif({expr}, '') END")
