"""From a cell's text to its typed value, in SQL: parsing, ranges, the typed table.

Every source is first read as text (reading.py); one pass then turns the text
cells of a table into its typed table in the staging database, keeping the
text of the cells that did not parse or are out of range, so that the checks
(checks.py) can quote them. How a value of each type is spelled is the record
format's (schema.py: BOOLEAN_SPELLINGS, COUNTRY_ALIASES, ...).
"""
from __future__ import annotations

from analytics.records import schema
from analytics.records.schema import Column, Table
from analytics.records.sql import lit, q, trimmed
from analytics.records.staging import Staged, Validation

NUMBER_DOT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
NUMBER_COMMA = r"[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)([eE][+-]?[0-9]+)?"


def parse_sql(column: Column, x: str, decimal_comma: bool) -> str:
    """Typed value of the trimmed text x, NULL when it cannot be read."""
    kind = column.type
    if kind == "date":
        return f"CASE WHEN regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN try_cast({x} AS DATE) END"
    if kind == "month":
        return f"CASE WHEN regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}') THEN try_cast({x} || '-01' AS DATE) END"
    if kind == "bool":
        whens = " ".join(f"WHEN {lit(k)} THEN {str(v).upper()}" for k, v in schema.BOOLEAN_SPELLINGS.items())
        return f"CASE lower({x}) {whens} END"
    if kind == "choice":
        whens = " ".join(f"WHEN {lit(c.lower())} THEN {lit(c)}" for c in column.choices)
        return f"CASE lower({x}) {whens} END"
    if kind == "country":
        aliases = " ".join(f"WHEN {lit(a)} THEN {lit(c)}" for a, c in schema.COUNTRY_ALIASES.items())
        codes = ", ".join(lit(c) for c in sorted(schema.COUNTRY_CODES))
        return f"CASE upper({x}) {aliases} ELSE CASE WHEN list_contains([{codes}], upper({x})) THEN upper({x}) END END"
    if kind == "languages":
        codes = language_list_sql(x)
        known = ", ".join(lit(c) for c in sorted(schema.LANGUAGE_CODES))
        return (f"CASE WHEN len({codes}) > 0 AND list_bool_and(list_transform({codes}, "
                f"lambda c: list_contains([{known}], c))) "
                f"THEN array_to_string({codes}, {lit(schema.LANGUAGE_SEPARATOR)}) END")
    if kind == "number":
        return (f"CASE WHEN {reads_as_number(column, x, decimal_comma)} AND {within_scale(column, x, decimal_comma)} "
                f"THEN try_cast({number_text(x, decimal_comma)} AS {column.duckdb_type}) END")
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({x}, '[+-]?[0-9]+') THEN try_cast({x} AS INTEGER) END"
    raise ValueError(kind)


def language_list_sql(x: str) -> str:
    """The codes a `languages` cell lists: split at the separator, trimmed,
    lower-case, empty items (a trailing `;`) dropped."""
    sep = lit(schema.LANGUAGE_SEPARATOR)
    return (f"list_filter(list_transform(string_split({x}, {sep}), lambda c: lower(trim(c))), "
            f"lambda c: c <> '')")


def unknown_languages_sql(x: str) -> str:
    """The listed codes of a `languages` cell that ISO 639-1 does not know, `, `-joined."""
    known = ", ".join(lit(c) for c in sorted(schema.LANGUAGE_CODES))
    return (f"array_to_string(list_filter({language_list_sql(x)}, "
            f"lambda c: NOT list_contains([{known}], c)), ', ')")
def number_text(x: str, decimal_comma: bool) -> str:
    """The text x with its decimal mark as a point."""
    return f"replace({x}, ',', '.')" if decimal_comma else x


def reads_as_number(column: Column, x: str, decimal_comma: bool) -> str:
    """Condition: the text x is spelled as a number (whatever its decimals)."""
    pattern = NUMBER_COMMA if decimal_comma else NUMBER_DOT
    return f"(regexp_full_match({x}, {lit(pattern)}) AND try_cast({number_text(x, decimal_comma)} AS DOUBLE) IS NOT NULL)"


def within_scale(column: Column, x: str, decimal_comma: bool) -> str:
    """Condition: the number x (spelled as a number) carries no more decimals
    than the column's scale, trailing zeros aside (`12.50` is 12.5). With an
    exponent (`1.5e1`), its value must equal its value at the scale."""
    scale, text = column.scale or 0, number_text(x, decimal_comma)
    plain = (f"regexp_full_match({text}, "
             f"{lit(f'[+-]?([0-9]+([.][0-9]{{0,{scale}}}0*)?|[.][0-9]{{0,{scale}}}0*)')})")
    exact = (f"coalesce(try_cast({text} AS DOUBLE) = "
             f"try_cast(try_cast({text} AS DECIMAL(38,{scale})) AS DOUBLE), TRUE)")
    return f"(CASE WHEN regexp_matches({text}, '[eE]') THEN {exact} ELSE {plain} END)"


def in_range_sql(column: Column, p: str) -> str:
    """Condition a parsed value must meet (true for types without a range)."""
    conditions = []
    if column.minimum is not None:
        conditions.append(f"{p} {'>=' if column.minimum_inclusive else '>'} {column.minimum!r}")
    if column.maximum is not None:
        conditions.append(f"{p} {'<=' if column.maximum_inclusive else '<'} {column.maximum!r}")
    return " AND ".join(conditions) or "TRUE"


def text_column(column: Column) -> str:
    """The typed table's column holding a non-text cell as it was read."""
    return q(column.name + "__text")


def shown(column: Column) -> str:
    """A cell's trimmed text, as issues show it."""
    return q(column.name) if column.type == "text" else trimmed(text_column(column))


def empty(column: Column) -> str:
    """Condition: the cell is empty after trimming (tests the parsed value
    first, so that only unparsed cells are trimmed)."""
    if column.type == "text":
        return f"{q(column.name)} IS NULL"
    return f"{q(column.name)} IS NULL AND {shown(column)} IS NULL"


def create_typed(run: Validation, table: Table, text_select: str, staged: Staged) -> None:
    """One pass from the text cells (columns named as the record format,
    plus _row when numbered) to the typed table, in file order (its rowid
    is the record's position). A text column holds its trimmed text. Any
    other column holds its parsed value (NULL when it cannot be read; the
    range is checked later) and, as `<name>__text`, the cell as read when
    it did not parse or is out of range. `_rejected` is set once the
    table's rejections are known.

    A cell with a blank at either end never parses as read, so each cell
    is parsed as read first and only the cells that failed are trimmed and
    parsed again: the nested selects keep DuckDB from computing anything
    twice, and a CASE branch runs only on the rows that take it."""
    row = ["_row"] if staged.numbered else []
    as_read, retried, final = list(row), list(row), list(row)
    for column in table.columns:
        name, text = q(column.name), text_column(column)
        if column.type == "text":
            as_read.append(f"{trimmed(name)} AS {name}")
            retried.append(name)
            final.append(name)
            continue
        as_read += [f"{parse_sql(column, name, staged.decimal_comma)} AS {name}", f"{name} AS {text}"]
        retried += [f"CASE WHEN {name} IS NOT NULL THEN {name} "
                    f"ELSE {parse_sql(column, trimmed(text), staged.decimal_comma)} END AS {name}", text]
        final += [name, f"CASE WHEN {name} IS NULL OR NOT ({in_range_sql(column, name)}) "
                        f"THEN {text} END AS {text}"]
    run.con.execute(
        f"CREATE TABLE {run.typed(table)} AS SELECT {', '.join(final)}, FALSE AS _rejected "
        f"FROM (SELECT {', '.join(retried)} FROM (SELECT {', '.join(as_read)} FROM ({text_select})))")
