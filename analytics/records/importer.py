"""Read a programme's records, check them against the record format, load them.

The import contract is docs/record-format.md (generated from analytics/schema.py,
which this module follows rule by rule). A source is a folder of `<table>.csv`
or `<table>.parquet` files, or one `.xlsx` workbook with a sheet per table.

How it works, and why:

- Every cell is first read as text, whatever the source: a CSV file through
  DuckDB's reader (all_varchar), a Parquet file through DuckDB with its typed
  cells spelled the way the record format reads them, a workbook through
  pandas/calamine. From then on one code path checks all three.
- Checking is set-based SQL in an in-memory DuckDB database (the "staging"
  database): one pass trims and parses every column and keeps the text of
  the cells that failed; further queries find the missing values, values out
  of range or list, duplicate keys, impossible date orders and broken
  references, and write them to an issues table. Rejected rows are flagged,
  not deleted, and the kept rows are never copied before load_into. No Python
  loop runs per row on the CSV and Parquet paths, so a million duos and
  twenty million meetings stay affordable.
- The row number of an issue is the spreadsheet row (header = row 1). A CSV
  file is loaded into a table whose rowid is the record's position, so a
  quoted cell spanning lines still counts as one row. Files DuckDB's fast
  reader will not take (blank lines, rows with a wrong number of cells, stray
  quotes) are read again with Python's csv module, which numbers rows the
  same way.
- Tables are checked parents first (mentees, mentors, staff, then duos, then
  the tables that point at duos), so a rejected row rejects the rows that
  refer to it: the cascade falls out of checking references against the rows
  that were kept.

`validate_source` only checks and keeps the valid rows in its staging
database; `load_into` copies them into a target connection in one
transaction; `open_dataset` does both for an in-memory data set.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import math
import secrets
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Callable, Iterable, Mapping

import duckdb
import pyarrow as pa

from analytics.engine import query as engine
from analytics.records import schema
from analytics.records.schema import Column, Table

Progress = Callable[[float, str], None]

# What DuckDB's trim() should remove: spaces and the other blanks a spreadsheet
# or a copy-paste leaves at the ends of a cell.
_BLANKS = " \t\n\r\x0b\x0c\xa0\u2007\u202f\u3000"
_CHUNK = 1 << 22


# --------------------------------------------------------------------------
# What the importer says: one template per reason code
#
# Every issue and every stop carries a stable code and named parameters; its
# English text is the template filled in. The templates are translated in the
# gettext catalogs (locales/extract.py reads them from REASONS and STOPS, as it
# reads the indicator registry), so the dashboard shows them in the interface
# language: ``issue.text(_)``. Parameters are quoted as they are: column names,
# list values and file names belong to the record format, which stays English.
# The one parameter that is prose, a programme rule's description, is named
# in TRANSLATED_PARAMETERS and translated too.

REASONS: dict[str, str] = {
    # A cell that cannot be read as its column's type (`expected`: the spelling the record format reads).
    "not_a_date": "not a date ({expected})",
    "not_a_month": "not a month ({expected})",
    "not_a_boolean": "not a boolean ({expected})",
    "not_a_country": "not an ISO 3166-1 alpha-2 country code",
    "not_a_number": "not a number",
    "not_a_whole_number": "not a whole number",
    "ambiguous_number": ("ambiguous number: a '.' in a semicolon-separated file "
                         "(its decimal mark is ',' and numbers carry no thousands separator)"),
    "not_one_of": "not one of: {allowed}",
    "out_of_interval": "out of range: must be in {interval}",
    "out_of_range": "out of range: must be {range}",
    "not_finite": "out of range: must be a finite number",
    # Missing values, keys, date orders.
    "missing_required": "missing required value",
    "missing_required_with": "missing: required when {column} is set",
    "duplicate_key": "duplicate key: already used in row {row}",
    "date_order": "{later} is before {earlier} ({date})",
    "date_order_when_empty": "{later} is before {earlier} ({date}) and {empty} is empty",
    # References to another table's rows.
    "unknown_reference": "no {table} row has {key} '{value}'",
    "rejected_reference": "refers to {file} row {row}, which was rejected",
    # Warnings: the row is loaded.
    "unknown_reference_emptied": "no {table} row has {key} '{value}': {column} loaded as empty",
    "rejected_reference_emptied": "refers to {file} row {row}, which was rejected: {column} loaded as empty",
    "absent_table_emptied": "the {table} table is absent: {column} loaded as empty",
    "without_required_with": "{column} without {other}: loaded as open, {column} ignored",
    "date_order_loaded": "{later} is before {earlier} ({date}): loaded",
    "date_order_via_loaded": "{later} is before {earlier} ({date}) of {via} {ref}: loaded",
    "unknown_file": "not a table of the record format: ignored",
    "unknown_sheet": "sheet is not a table of the record format: ignored",
    "unknown_column": "unknown column: ignored",
    "empty_row": "empty row: skipped",
    # A row whose shape does not fit the header (rejected).
    "cell_count": "the row has {cells} cells, the header has {header}",
    "value_without_header": "a value in a column without a header",
    # Eligibility exceptions (`rule`: the programme rule's description, translated).
    "programme_rule": "programme rule: {rule}",
    "programme_rule_age": "programme rule: {rule}; aged {age} on {age_at}",
}

STOPS: dict[str, str] = {
    "no_such_source": "{source}: no such file or folder",
    "not_a_source": ("{source}: give a folder of <table>.csv or <table>.parquet files, "
                     "or one .xlsx workbook"),
    "csv_and_parquet": "{source}: both {table}.csv and {table}.parquet exist; keep one",
    "missing_table_files": "{source}: required table file missing: {files}",
    "missing_table_files_workbook": ("{source}: required table file missing: {files} "
                                     "(to import a workbook, give the .xlsx file itself)"),
    "missing_sheets": "{file}: required sheet missing: {sheets}",
    "column_twice": "{file}: column {column} appears twice in the header",
    "missing_column": "{file}: required column {column} is missing",
    "unreadable": "{file} cannot be read: {error}",
    "unreadable_csv": "{file} cannot be read: {error} (line {line})",
    "not_utf8_or_cp1252": "{file} cannot be read: it is neither UTF-8 nor Windows-1252 (byte {byte})",
    "utf16": "{file} cannot be read: it is UTF-16 text; save it as CSV UTF-8 (or as a semicolon CSV) instead",
    "no_header": "{file} cannot be read: it has no header row",
}

# Parameters that are prose rather than quoted values: translated with the template.
TRANSLATED_PARAMETERS = frozenset({"rule"})

# Each code's placeholders, in the order the template names them first. The
# staging database keeps an issue's values in that order as one text, joined
# by the unit separator U+001F (a control character replaced by a space in a
# value): many thousands of issues come back to Python far faster as text
# than as lists or maps.
_SEPARATOR = "\x1f"
PARAMETERS: dict[str, tuple[str, ...]] = {
    code: tuple(dict.fromkeys(name for _literal, name, _spec, _conversion in Formatter().parse(template)
                              if name is not None))
    for code, template in {**REASONS, **STOPS}.items()
}


def message_text(code: str, params: Mapping[str, object],
                 translate: Callable[[str], str] | None = None) -> str:
    """The message of `code` with its parameters filled in: English, or in the
    language of `translate` (a gettext function such as ``analytics.text.i18n._``).
    A translation whose placeholders do not fit falls back to English."""
    template = REASONS.get(code) or STOPS[code]
    values = {name: "" if value is None else str(value) for name, value in params.items()}
    if translate is None:
        return template.format(**values)
    translated = {name: translate(value) if name in TRANSLATED_PARAMETERS and value else value
                  for name, value in values.items()}
    try:
        return translate(template).format(**translated)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


@dataclass(frozen=True)
class Issue:
    """One reported problem. `row_number` is the spreadsheet row (header = 1),
    None for a problem with a whole file. `code` and `params` say what it is
    (see REASONS); `reason` is its English text, filled in from them when not
    given. Issues compare by their text, not by how it was made."""

    severity: str
    file_name: str
    row_number: int | None
    column_name: str | None
    value: str | None
    reason: str = ""
    code: str = field(default="", compare=False)
    params: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.code and not self.reason:
            object.__setattr__(self, "reason", message_text(self.code, self.params))

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """The reason in the language of `translate` (English without)."""
        if not self.code:
            return self.reason
        return message_text(self.code, self.params, translate)


class ImportStopped(Exception):
    """The source cannot be imported at all (unreadable file, missing required
    table or column). Nothing was changed. ``str()`` is the English message;
    `code` and `params` say what it is (see STOPS), ``text(_)`` translates it."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in STOPS:
            raise KeyError(f"no template for the stop code {code!r}")
        if set(params) != set(PARAMETERS[code]):
            raise ValueError(f"{code} takes {PARAMETERS[code]}, not {tuple(params)}")
        self.code = code
        self.params = {name: "" if value is None else str(value) for name, value in params.items()}
        super().__init__(message_text(code, self.params))

    def __reduce__(self):
        return (_stopped, (self.code, self.params))

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """The message in the language of `translate` (English without)."""
        return message_text(self.code, self.params, translate)


def _stopped(code: str, params: dict[str, str]) -> ImportStopped:
    return ImportStopped(code, **params)


@dataclass
class ValidationResult:
    """What validate_source found. `counts[table]` is (read, loaded, rejected);
    `present[table]` is false for an absent optional table; `files` lists
    (file name, SHA-256) of every file read. The valid rows wait in a staging
    database until load_into copies them (close() frees it)."""

    source: Path
    issues: list[Issue]
    counts: dict[str, tuple[int, int, int]]
    present: dict[str, bool]
    files: list[tuple[str, str]]
    table_files: dict[str, tuple[str, str]] = field(default_factory=dict)
    _staging: "_Staging | None" = field(default=None, repr=False, compare=False)

    @property
    def rejected_count(self) -> int:
        return sum(rejected for _read, _loaded, rejected in self.counts.values())

    @property
    def warning_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "warning")

    @property
    def exception_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "eligibility_exception")

    def close(self) -> None:
        if self._staging is not None:
            self._staging.close()
            self._staging = None


# --------------------------------------------------------------------------
# SQL helpers


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _trimmed(expr: str) -> str:
    """The cell trimmed, NULL when empty. trim() with a character list is slow,
    so it runs only on the few cells whose first or last character is a blank."""
    codes = ", ".join(str(ord(c)) for c in _BLANKS)
    return (f"CASE WHEN ascii({expr}) IN ({codes}) OR ascii(right({expr}, 1)) IN ({codes}) "
            f"THEN nullif(trim({expr}, {_lit(_BLANKS)}), '') ELSE nullif({expr}, '') END")


_NUMBER_DOT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_NUMBER_COMMA = r"[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)([eE][+-]?[0-9]+)?"


def _parse_sql(column: Column, x: str, decimal_comma: bool) -> str:
    """Typed value of the trimmed text x, NULL when it cannot be read."""
    kind = column.type
    if kind == "date":
        return f"CASE WHEN regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN try_cast({x} AS DATE) END"
    if kind == "month":
        return f"CASE WHEN regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}') THEN try_cast({x} || '-01' AS DATE) END"
    if kind == "bool":
        whens = " ".join(f"WHEN {_lit(k)} THEN {str(v).upper()}" for k, v in schema.BOOLEAN_SPELLINGS.items())
        return f"CASE lower({x}) {whens} END"
    if kind == "choice":
        whens = " ".join(f"WHEN {_lit(c.lower())} THEN {_lit(c)}" for c in column.choices)
        return f"CASE lower({x}) {whens} END"
    if kind == "country":
        aliases = " ".join(f"WHEN {_lit(a)} THEN {_lit(c)}" for a, c in schema.COUNTRY_ALIASES.items())
        codes = ", ".join(_lit(c) for c in sorted(schema.COUNTRY_CODES))
        return f"CASE upper({x}) {aliases} ELSE CASE WHEN list_contains([{codes}], upper({x})) THEN upper({x}) END END"
    if kind == "number":
        if decimal_comma:
            return (f"CASE WHEN regexp_full_match({x}, {_lit(_NUMBER_COMMA)}) "
                    f"THEN try_cast(replace({x}, ',', '.') AS DOUBLE) END")
        return f"CASE WHEN regexp_full_match({x}, {_lit(_NUMBER_DOT)}) THEN try_cast({x} AS DOUBLE) END"
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({x}, '[+-]?[0-9]+') THEN try_cast({x} AS INTEGER) END"
    raise ValueError(kind)


def _in_range_sql(column: Column, p: str) -> str:
    """Condition a parsed value must meet (true for types without a range)."""
    conditions = []
    if column.type == "number":
        conditions.append(f"isfinite({p})")
    if column.minimum is not None:
        conditions.append(f"{p} {'>=' if column.minimum_inclusive else '>'} {column.minimum!r}")
    if column.maximum is not None:
        conditions.append(f"{p} {'<=' if column.maximum_inclusive else '<'} {column.maximum!r}")
    return " AND ".join(conditions) or "TRUE"


@dataclass(frozen=True)
class _Reason:
    """An issue's reason as SQL expressions over the rows it is about: its
    code, its parameter values (one VARCHAR, see _SEPARATOR) and its English
    text, the template filled in by SQL."""

    code: str
    params: str
    text: str


def _reason(code: str, **params: str) -> _Reason:
    """The reason `code` (a key of REASONS); each parameter is an SQL
    expression, and they must be exactly the template's placeholders."""
    if code not in REASONS:
        raise KeyError(f"no template for the reason code {code!r}")
    if set(params) != set(PARAMETERS[code]):
        raise ValueError(f"{code} takes {PARAMETERS[code]}, not {tuple(params)}")
    values = {name: f"CAST({expr} AS VARCHAR)" for name, expr in params.items()}
    joined = " || chr(31) || ".join(f"replace(coalesce({values[name]}, ''), chr(31), ' ')"
                                    for name in PARAMETERS[code])
    # The text as the template writes it; `||` keeps a NULL value's text NULL.
    parts = []
    for literal, name, _spec, _conversion in Formatter().parse(REASONS[code]):
        if literal:
            parts.append(_lit(literal))
        if name is not None:
            parts.append(values[name])
    return _Reason(_lit(code), joined or "''", " || ".join(parts) or "''")


def _reason_case(whens: list[tuple[str, _Reason]], otherwise: _Reason) -> _Reason:
    """The first reason whose SQL condition holds, else `otherwise`."""
    def case(part: str) -> str:
        branches = " ".join(f"WHEN {condition} THEN {getattr(reason, part)}" for condition, reason in whens)
        return f"CASE {branches} ELSE {getattr(otherwise, part)} END"
    return _Reason(case("code"), case("params"), case("text"))


_TYPE_REASONS = {
    "date": _reason("not_a_date", expected=_lit("YYYY-MM-DD")),
    "month": _reason("not_a_month", expected=_lit("YYYY-MM")),
    "bool": _reason("not_a_boolean", expected=_lit("true/false, 1/0, yes/no")),
    "country": _reason("not_a_country"),
    "number": _reason("not_a_number"),
    "integer": _reason("not_a_whole_number"),
}


def _range_reason(column: Column) -> _Reason:
    """Out of range: must be `column.range_text()` (or a finite number)."""
    text = column.range_text()
    if not text:
        return _reason("not_finite")
    if text.startswith("in "):
        return _reason("out_of_interval", interval=_lit(text[len("in "):]))
    return _reason("out_of_range", range=_lit(text))


def _reason_sql(column: Column, bad: str, decimal_comma: bool) -> _Reason:
    """Why the text `bad` is not a valid value of the column."""
    if column.type == "choice":
        return _reason("not_one_of", allowed=_lit(", ".join(column.choices)))
    reason = _TYPE_REASONS[column.type]
    if column.type in ("number", "integer"):
        whens = []
        if decimal_comma:
            whens.append((f"contains({bad}, '.')", _reason("ambiguous_number")))
        whens.append((f"({_parse_sql(column, bad, decimal_comma)}) IS NULL", reason))
        return _reason_case(whens, _range_reason(column))
    return reason


# --------------------------------------------------------------------------
# The staging database


class _Staging:
    """An in-memory DuckDB database private to one validation. Its tables and
    views carry a random token in their names, so that load_into can tell
    whether a target connection shares this database (then it copies
    natively) or not (then the rows travel as Arrow). Names are always
    qualified with the database, so they also resolve from a connection that
    has switched to another database (the store attaches its new snapshot)."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        self.token = secrets.token_hex(6)
        self.database = self.con.execute("SELECT current_database()").fetchall()[0][0]
        self._finalizer = weakref.finalize(self, self.con.close)
        self.con.execute(f"""CREATE TABLE {self.name('issues')} (
            severity VARCHAR, table_name VARCHAR, table_order INTEGER, file_name VARCHAR,
            row_number BIGINT, column_name VARCHAR, column_order INTEGER, value VARCHAR,
            reason VARCHAR, code VARCHAR, params VARCHAR)""")

    def bare_name(self, kind: str, table: str = "") -> str:
        return _q(f"_stage_{self.token}_{kind}_{table}".rstrip("_"))

    def name(self, kind: str, table: str = "") -> str:
        return f"{_q(self.database)}.main.{self.bare_name(kind, table)}"

    def visible_from(self, con: duckdb.DuckDBPyConnection) -> bool:
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
            [self.database, f"_stage_{self.token}_issues"],
        ).fetchall()[0][0]
        return found > 0

    def drop_all(self) -> None:
        prefix = f"_stage_{self.token}_"
        for kind, catalog in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
            names = self.con.execute(
                f"SELECT {kind.lower()}_name FROM {catalog} WHERE database_name = ? AND starts_with({kind.lower()}_name, ?)",
                [self.database, prefix]).fetchall()
            for (name,) in names:
                self.con.execute(f"DROP {kind} {_q(self.database)}.main.{_q(name)}")

    def hand_over(self) -> duckdb.DuckDBPyConnection:
        """Give the connection to the caller: the staging tables go, the
        connection (with whatever load_into put in it) stays open."""
        self.drop_all()
        self._finalizer.detach()
        return self.con

    def close(self) -> None:
        self._finalizer()


# --------------------------------------------------------------------------
# Finding and reading the source files


@dataclass
class _SourceFile:
    table: Table
    kind: str  # "csv", "parquet" or "sheet"
    path: Path
    display: str  # how issues name it
    size: int = 0
    rows: list | None = None  # a workbook sheet's cells, header first


@dataclass
class _Staged:
    """A table read into staging: how its rows are numbered and how its numbers
    are written."""

    # True when the typed table carries _row (rows numbered in Python, or
    # renumbered after empty rows were dropped); otherwise a row's number is
    # its rowid + 2, the table being in file order.
    numbered: bool
    decimal_comma: bool
    structural_rejects: int = 0  # rows rejected before typing (wrong number of cells)

    def row(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return f"{prefix}_row" if self.numbered else f"({prefix}rowid + 2)"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _CsvFacts:
    sha256: str
    utf8: bool
    blank_line_inside: bool
    utf16: bool


def _scan_csv(path: Path) -> _CsvFacts:
    """One pass over the bytes: SHA-256, whether they are valid UTF-8, and
    whether an empty line sits between records (DuckDB's reader skips those,
    which would shift the row numbers after them)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    first_blank = -1
    last_content = -1
    offset = 0
    tail = b""
    with open(path, "rb") as handle:
        utf16 = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        handle.seek(0)
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if first_blank < 0:
                window = tail + chunk
                # bytes.find is slow on a pattern that starts with a frequent byte: look
                # for "\n\r\n" only where a "\r" is (Windows line ends), a quick test
                patterns = (b"\n\n", b"\n\r\n") if b"\r" in window else (b"\n\n",)
                hits = [i for i in (window.find(p) for p in patterns) if i >= 0]
                if hits:
                    first_blank = offset - len(tail) + min(hits)
            stripped = len(chunk.rstrip(b"\r\n\t "))
            if stripped:
                last_content = offset + stripped - 1
            tail = chunk[-2:]
            offset += len(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return _CsvFacts(digest.hexdigest(), utf8, 0 <= first_blank < last_content, utf16)


def _transcode_cp1252(path: Path, target: Path, display: str) -> None:
    """Windows-1252 to UTF-8, streaming (DuckDB reads UTF-8 without extensions)."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        with open(path, "rb") as source, open(target, "w", encoding="utf-8", newline="") as out:
            while chunk := source.read(_CHUNK):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as error:
        raise ImportStopped("not_utf8_or_cp1252", file=display,
                            byte=f"0x{error.object[error.start]:02x}") from None


def _cell_text(value: object, column_type: str) -> str | None:
    """A workbook cell as the text the record format reads (typed cells keep
    their meaning: a date cell is a date, 10.0 is `10`, a boolean is true/false)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value != value:  # pandas NaT
            return None
        if column_type == "month":
            return f"{value.year:04d}-{value.month:02d}"
        if column_type == "date" or value.time() == dt.time():
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        if column_type == "month":
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------
# The checker


class _Checker:
    """Validates one source into a staging database."""

    def __init__(self, source: Path, progress: Progress) -> None:
        self.source = source
        self.progress = progress
        self.staging = _Staging()
        self.con = self.staging.con
        self.files: list[tuple[str, str]] = []
        self.table_files: dict[str, tuple[str, str]] = {}
        self.present: dict[str, bool] = {}
        self.counts: dict[str, tuple[int, int, int]] = {}
        self.staged: dict[str, _Staged] = {}
        self.displays: dict[str, str] = {}
        self.pending: list[str] = []
        self.tempdir = Path(tempfile.mkdtemp(prefix="duo-impact-import-"))

    # -- bookkeeping ------------------------------------------------------

    def add_issue(self, severity: str, table: Table | None, display: str, row: int | None,
                  column: str | None, value: str | None, code: str, **params: object) -> None:
        """One issue, its reason `code` (a key of REASONS) with its parameters."""
        if code not in REASONS:
            raise KeyError(f"no template for the reason code {code!r}")
        if set(params) != set(PARAMETERS[code]):
            raise ValueError(f"{code} takes {PARAMETERS[code]}, not {tuple(params)}")
        issue = Issue(severity, display, row, column, value, code=code,
                      params={name: str(params[name]) for name in PARAMETERS[code]})
        self.con.execute(
            f"INSERT INTO {self.staging.name('issues')} VALUES (?, ?, {_table_order(table)}, ?, ?, ?, "
            f"{_column_order(table, column)}, ?, ?, ?, ?)",
            [severity, table.name if table else None, display, row, column, value, issue.reason, code,
             _SEPARATOR.join(v.replace(_SEPARATOR, " ") for v in issue.params.values())],
        )

    def add_issues(self, severity: str, table: Table, column: str | None, row: str, value: str,
                   reason: _Reason, source: str) -> None:
        """One issue for each row that `source` (a FROM ... WHERE ... clause)
        yields; row and value are SQL expressions over it, and so are the
        reason's text, code and parameters. The query waits for flush_issues(),
        which runs the waiting ones as one statement."""
        self.pending.append(
            f"SELECT {_lit(severity)}, {_lit(table.name)}, {_table_order(table)}, "
            f"{_lit(self.displays[table.name])}, {row}, {_lit(column) if column else 'NULL'}, "
            f"{_column_order(table, column)}, {value}, {reason.text}, {reason.code}, {reason.params} {source}")

    def flush_issues(self) -> None:
        if self.pending:
            union = " UNION ALL ".join(f"({query})" for query in self.pending)
            self.con.execute(f"INSERT INTO {self.staging.name('issues')} {union}")
            self.pending.clear()

    def typed(self, table: Table) -> str:
        return self.staging.name("typed", table.name)

    def kept(self, table: Table) -> str:
        return self.staging.name("kept", table.name)

    # -- the run ----------------------------------------------------------

    def run(self) -> ValidationResult:
        try:
            sources = self.discover()
            total = sum(max(s.size, 1) for s in sources.values())
            done = 0
            for table in schema.TABLES:
                source = sources.get(table.name)
                self.present[table.name] = source is not None
                if source is None:
                    self.counts[table.name] = (0, 0, 0)
                    continue
                self.progress(done / total, f"checking {source.display}")
                self.check_table(table, source)
                done += max(source.size, 1)
            issues = self.collect_issues()
            self.progress(1.0, "checked")
        except BaseException:
            self.staging.close()
            raise
        finally:
            shutil.rmtree(self.tempdir, ignore_errors=True)
        return ValidationResult(
            source=self.source, issues=issues, counts=self.counts, present=self.present,
            files=self.files, table_files=self.table_files, _staging=self.staging,
        )

    def collect_issues(self) -> list[Issue]:
        rows = self.con.execute(
            f"""SELECT severity, file_name, row_number, column_name, value, reason, code, params
                FROM {self.staging.name('issues')}
                ORDER BY table_order NULLS FIRST, file_name, row_number NULLS FIRST,
                         CASE severity WHEN 'rejected' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                         column_order NULLS FIRST, reason"""
        ).fetchall()
        names, separator = PARAMETERS, _SEPARATOR
        return [Issue(severity, file_name, row, column, value, reason, code,
                      dict(zip(names[code], params.split(separator))) if names[code] else {})
                for severity, file_name, row, column, value, reason, code, params in rows]

    # -- finding the files ------------------------------------------------

    def discover(self) -> dict[str, _SourceFile]:
        source = self.source
        if not source.exists():
            raise ImportStopped("no_such_source", source=source)
        if source.is_file():
            if source.suffix.lower() != ".xlsx":
                raise ImportStopped("not_a_source", source=source)
            return self.discover_workbook(source)
        found: dict[str, _SourceFile] = {}
        for table in schema.TABLES:
            existing = [p for p in (source / f"{table.name}.csv", source / f"{table.name}.parquet")
                        if p.is_file()]
            if len(existing) > 1:
                raise ImportStopped("csv_and_parquet", source=source, table=table.name)
            if existing:
                path = existing[0]
                found[table.name] = _SourceFile(table, path.suffix[1:], path, path.name,
                                                path.stat().st_size)
        missing = [name for name in schema.REQUIRED_TABLES if name not in found]
        if missing:
            workbook = not found and any(source.glob("*.xlsx"))
            raise ImportStopped("missing_table_files_workbook" if workbook else "missing_table_files",
                                source=source, files=", ".join(f"{name}.csv" for name in missing))
        known = {f"{t.name}.{ext}" for t in schema.TABLES for ext in ("csv", "parquet")}
        for path in sorted(source.iterdir()):
            if path.suffix.lower() in (".csv", ".parquet") and path.name not in known:
                self.add_issue("warning", None, path.name, None, None, None, "unknown_file")
        return found

    def discover_workbook(self, path: Path) -> dict[str, _SourceFile]:
        import pandas as pd

        try:
            sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
        except Exception as error:  # calamine raises its own types for corrupt files
            raise ImportStopped("unreadable", file=path.name, error=error) from None
        found: dict[str, _SourceFile] = {}
        unknown = []
        for sheet_name, frame in sheets.items():
            name = str(sheet_name).strip()
            if name not in schema.TABLES_BY_NAME:
                unknown.append(str(sheet_name))
                continue
            rows = frame.values.tolist()
            found[name] = _SourceFile(schema.TABLES_BY_NAME[name], "sheet", path,
                                      f"{path.name}, sheet {name}", len(rows), rows)
        missing = [name for name in schema.REQUIRED_TABLES if name not in found]
        if missing:
            raise ImportStopped("missing_sheets", file=path.name, sheets=", ".join(missing))
        for sheet_name in unknown:
            self.add_issue("warning", None, path.name, None, None, sheet_name, "unknown_sheet")
        sha = _file_digest(path)
        self.files.append((path.name, sha))
        for name in found:
            self.table_files[name] = (path.name, sha)
        return found

    # -- headers ----------------------------------------------------------

    def match_header(self, table: Table, display: str, names: list[str]) -> dict[str, int]:
        """Map each record-format column to its position; stop on a missing
        required column or a column given twice; warn about unknown ones."""
        positions: dict[str, int] = {}
        for index, raw in enumerate(names):
            name = raw.strip(_BLANKS)
            if name in table.column_names:
                if name in positions:
                    raise ImportStopped("column_twice", file=display, column=name)
                positions[name] = index
            else:
                label = name or f"(column {index + 1}, no name)"
                self.add_issue("warning", table, display, 1, label, None, "unknown_column")
        for column in table.columns:
            if column.required and column.name not in positions:
                raise ImportStopped("missing_column", file=display, column=column.name)
        return positions

    # -- staging: every cell as text, then typed --------------------------

    def check_table(self, table: Table, source: _SourceFile) -> None:
        self.displays[table.name] = source.display
        if source.kind == "csv":
            staged = self.stage_csv(table, source)
        elif source.kind == "parquet":
            staged = self.stage_parquet(table, source)
        else:
            staged = self.stage_sheet(table, source)
        self.staged[table.name] = staged
        self.skip_empty_rows(table, staged)
        self.reject_rows(table, staged)
        for column in table.references:
            if column.required:
                self.check_reference(table, staged, column)
        self.flush_issues()
        self.keep_rows(table, staged)
        self.warn(table, staged)
        self.report_exceptions(table)
        self.flush_issues()

    def create_typed(self, table: Table, text_select: str, staged: _Staged) -> None:
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
            name, text = _q(column.name), _text(column)
            if column.type == "text":
                as_read.append(f"{_trimmed(name)} AS {name}")
                retried.append(name)
                final.append(name)
                continue
            as_read += [f"{_parse_sql(column, name, staged.decimal_comma)} AS {name}", f"{name} AS {text}"]
            retried += [f"CASE WHEN {name} IS NOT NULL THEN {name} "
                        f"ELSE {_parse_sql(column, _trimmed(text), staged.decimal_comma)} END AS {name}", text]
            final += [name, f"CASE WHEN {name} IS NULL OR NOT ({_in_range_sql(column, name)}) "
                            f"THEN {text} END AS {text}"]
        self.con.execute(
            f"CREATE TABLE {self.typed(table)} AS SELECT {', '.join(final)}, FALSE AS _rejected "
            f"FROM (SELECT {', '.join(retried)} FROM (SELECT {', '.join(as_read)} FROM ({text_select})))")

    def stage_csv(self, table: Table, source: _SourceFile) -> _Staged:
        facts = _scan_csv(source.path)
        self.files.append((source.display, facts.sha256))
        self.table_files[table.name] = (source.display, facts.sha256)
        path = source.path
        if facts.utf16:
            raise ImportStopped("utf16", file=source.display)
        if not facts.utf8:
            path = self.tempdir / f"{table.name}.utf8.csv"
            _transcode_cp1252(source.path, path, source.display)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header_line = handle.readline().rstrip("\r\n")
        if not header_line.strip(_BLANKS):
            raise ImportStopped("no_header", file=source.display)
        separator = ";" if header_line.count(";") > header_line.count(",") else ","
        names = next(csv.reader([header_line], delimiter=separator))
        positions = self.match_header(table, source.display, names)
        if not facts.blank_line_inside:
            staged = _Staged(numbered=False, decimal_comma=separator == ";")
            columns = ", ".join(f"{_lit(f'c{i}')}: 'VARCHAR'" for i in range(len(names)))
            reader = (f"read_csv({_lit(str(path))}, delim={_lit(separator)}, quote='\"', escape='\"', "
                      f"header=true, auto_detect=false, encoding='utf-8', columns={{{columns}}})")
            text_select = "SELECT " + ", ".join(
                f"{_q(f'c{positions[c.name]}') if c.name in positions else 'NULL::VARCHAR'} AS {_q(c.name)}"
                for c in table.columns) + f" FROM {reader}"
            try:
                self.create_typed(table, text_select, staged)
                return staged
            except duckdb.InvalidInputException:
                pass  # not plain enough for DuckDB's strict reader: number the rows in Python
        return self.stage_csv_slowly(table, source, path, separator, names, positions)

    def stage_csv_slowly(self, table: Table, source: _SourceFile, path: Path, separator: str,
                         names: list[str], positions: dict[str, int]) -> _Staged:
        """Python's csv module: each record is one row however many lines it
        spans, an empty line is an empty row, and a row with the wrong number
        of cells is rejected rather than stopping the import."""
        staged = _Staged(numbered=True, decimal_comma=separator == ";")
        csv.field_size_limit(1 << 30)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=separator)
            try:
                next(reader)
                rows = self.checked_rows(table, staged, enumerate(reader, start=2), len(names),
                                         lambda cell, _index: cell,
                                         lambda cells: ("cell_count", {"cells": len(cells),
                                                                       "header": len(names)}))
                self.load_text_rows(table, staged, rows, positions)
            except csv.Error as error:
                raise ImportStopped("unreadable_csv", file=source.display, error=error,
                                    line=reader.line_num) from None
        return staged

    def stage_sheet(self, table: Table, source: _SourceFile) -> _Staged:
        rows = source.rows or []
        header = [_cell_text(cell, "text") or "" for cell in rows[0]] if rows else []
        while header and not header[-1].strip(_BLANKS):
            header.pop()
        if not header:
            raise ImportStopped("no_header", file=source.display)
        positions = self.match_header(table, source.display, header)
        staged = _Staged(numbered=True, decimal_comma=False)
        types = {index: table.column(name).type for name, index in positions.items()}
        checked = self.checked_rows(
            table, staged, enumerate(rows[1:], start=2), len(header),
            lambda cell, index: _cell_text(cell, types.get(index, "text")),
            lambda cells: ("value_without_header", {}))
        self.load_text_rows(table, staged, checked, positions)
        return staged

    def checked_rows(self, table: Table, staged: _Staged, rows: Iterable[tuple[int, list]], width: int,
                     as_text: Callable[[object, int], str | None], misshapen: Callable[[list], tuple[str, dict]]
                     ) -> Iterable[tuple[int, list]]:
        """(row number, text cells) of the rows to type. Empty rows are skipped
        (a warning when records follow them); a row with too few cells, or a
        non-empty cell beyond the header, is rejected here."""
        display = self.displays[table.name]
        pending_empty: list[int] = []
        for number, cells in rows:
            texts = [as_text(cell, index) for index, cell in enumerate(cells)]
            if not any(text and text.strip(_BLANKS) for text in texts):
                pending_empty.append(number)
                continue
            for empty in pending_empty:
                self.add_issue("warning", table, display, empty, None, None, "empty_row")
            pending_empty = []
            if len(texts) < width or any(text and text.strip(_BLANKS) for text in texts[width:]):
                code, params = misshapen(cells)
                self.add_issue("rejected", table, display, number, None, None, code, **params)
                staged.structural_rejects += 1
                continue
            yield number, texts

    def load_text_rows(self, table: Table, staged: _Staged, rows: Iterable[tuple[int, list]],
                       positions: dict[str, int]) -> None:
        """Text cells numbered in Python -> a staging table -> the typed table."""
        cells = self.staging.name("cells", table.name)
        columns = ", ".join(f"{_q(c.name)} VARCHAR" for c in table.columns)
        self.con.execute(f"CREATE TABLE {cells} (_row BIGINT, {columns})")
        view = f"_batch_{self.staging.token}"
        batch: list[tuple[int, list]] = []

        def flush() -> None:
            data = {"_row": pa.array([number for number, _ in batch], pa.int64())}
            for column in table.columns:
                index = positions.get(column.name)
                values = [None] * len(batch) if index is None else [texts[index] for _, texts in batch]
                data[column.name] = pa.array(values, pa.string())
            self.con.register(view, pa.table(data))
            self.con.execute(f"INSERT INTO {cells} SELECT * FROM {_q(view)}")
            self.con.unregister(view)
            batch.clear()

        for item in rows:
            batch.append(item)
            if len(batch) >= 100_000:
                flush()
        if batch:
            flush()
        self.create_typed(table, f"SELECT * FROM {cells}", staged)
        self.con.execute(f"DROP TABLE {cells}")

    def stage_parquet(self, table: Table, source: _SourceFile) -> _Staged:
        sha = _file_digest(source.path)
        self.files.append((source.display, sha))
        self.table_files[table.name] = (source.display, sha)
        reader = f"read_parquet({_lit(str(source.path))})"
        try:
            described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        except duckdb.Error as error:
            raise ImportStopped("unreadable", file=source.display, error=error) from None
        names = [name for name, *_ in described]
        types = {name: kind for name, kind, *_ in described}
        positions = self.match_header(table, source.display, names)
        selects = []
        for column in table.columns:
            if column.name in positions:
                original = names[positions[column.name]]
                selects.append(f"{_as_text(_q(original), types[original], column.type)} AS {_q(column.name)}")
            else:
                selects.append(f"NULL::VARCHAR AS {_q(column.name)}")
        staged = _Staged(numbered=False, decimal_comma=False)
        try:
            self.create_typed(table, f"SELECT {', '.join(selects)} FROM {reader}", staged)
        except duckdb.IOException as error:
            raise ImportStopped("unreadable", file=source.display, error=error) from None
        return staged

    # -- the checks -------------------------------------------------------

    def skip_empty_rows(self, table: Table, staged: _Staged) -> None:
        """Rows whose record-format cells are all empty are not records: skip
        them, with a warning when records follow. (Rows numbered in Python were
        sorted out while reading.)"""
        if staged.numbered:
            return
        typed = self.typed(table)
        empty = " AND ".join(f"({_empty(c)})" for c in table.columns)
        found = [n for (n,) in self.con.execute(
            f"SELECT rowid + 2 FROM {typed} WHERE {empty} ORDER BY 1").fetchall()]
        if not found:
            return
        last = self.con.execute(f"SELECT max(rowid) + 2 FROM {typed} WHERE NOT ({empty})").fetchall()[0][0]
        for number in found:
            if last is not None and number < last:
                self.add_issue("warning", table, self.displays[table.name], number, None, None, "empty_row")
        renumbered = self.staging.name("renumbered", table.name)
        self.con.execute(
            f"CREATE TABLE {renumbered} AS SELECT rowid + 2 AS _row, * FROM {typed} WHERE NOT ({empty})")
        self.con.execute(f"DROP TABLE {typed}")
        self.con.execute(f"ALTER TABLE {renumbered} RENAME TO {self.staging.bare_name('typed', table.name)}")
        staged.numbered = True

    def reject_rows(self, table: Table, staged: _Staged) -> None:
        """The reasons of the record format's "Bad input" that a row shows on
        its own: bad or missing values, a used key, impossible date orders."""
        typed, row = self.typed(table), staged.row()
        for column in table.columns:
            shown = _shown(column)
            if column.required:
                self.add_issues("rejected", table, column.name, row, "NULL", _reason("missing_required"),
                                f"FROM {typed} WHERE {_empty(column)}")
            if column.type != "text":
                self.add_issues("rejected", table, column.name, row, shown,
                                _reason_sql(column, shown, staged.decimal_comma),
                                f"FROM {typed} WHERE {_text(column)} IS NOT NULL AND {shown} IS NOT NULL")
            if column.required_with:
                given = table.column(column.required_with)
                self.add_issues("rejected", table, column.name, row, "NULL",
                                _reason("missing_required_with", column=_lit(given.name)),
                                f"FROM {typed} WHERE NOT ({_empty(given)}) AND {_empty(column)}")
        if table.key:
            key = _q(table.key)
            self.add_issues(
                "rejected", table, table.key, staged.row("t"), f"t.{key}",
                _reason("duplicate_key", row="d.first_row"),
                f"FROM {typed} t JOIN (SELECT {key} AS k, min({row}) AS first_row FROM {typed} "
                f"WHERE {key} IS NOT NULL GROUP BY {key} HAVING count(*) > 1) d ON d.k = t.{key} "
                f"WHERE {staged.row('t')} > d.first_row")
        for rule in schema.date_orders_for(table.name):
            if not rule.rejects:
                continue
            later, earlier = _q(rule.later), _q(rule.earlier)
            condition = f"{later} < {earlier}"
            order = {"later": _lit(rule.later), "earlier": _lit(rule.earlier),
                     "date": f"strftime({earlier}, '%Y-%m-%d')"}
            reason = _reason("date_order", **order)
            if rule.only_when_empty:
                condition += f" AND {_empty(table.column(rule.only_when_empty))}"
                reason = _reason("date_order_when_empty", **order, empty=_lit(rule.only_when_empty))
            self.add_issues("rejected", table, rule.later, row, f"strftime({later}, '%Y-%m-%d')",
                            reason, f"FROM {typed} WHERE {condition}")

    def first_rows(self, parent: Table, keys: str) -> str:
        """(k, first_row) of the parent's file for the keys `keys` selects: tells
        a reference to a rejected row from one to a row that does not exist."""
        key = _q(parent.key)
        return (f"(SELECT {key} AS k, min({self.staged[parent.name].row()}) AS first_row "
                f"FROM {self.typed(parent)} WHERE {key} IN ({keys}) GROUP BY 1)")

    def broken_reference_reason(self, parent: Table, ref: str, emptied: str | None = None) -> _Reason:
        """No row of `parent` has the key `ref`, or the first one that has it
        was rejected (p.first_row, from first_rows). `emptied`: the optional
        reference column loaded as empty instead (a warning)."""
        unknown = {"table": _lit(parent.name), "key": _lit(parent.key), "value": ref}
        rejected = {"file": _lit(self.displays[parent.name]), "row": "p.first_row"}
        if emptied:
            column = _lit(emptied)
            return _reason_case([("p.first_row IS NULL", _reason("unknown_reference_emptied", **unknown,
                                                                 column=column))],
                                _reason("rejected_reference_emptied", **rejected, column=column))
        return _reason_case([("p.first_row IS NULL", _reason("unknown_reference", **unknown))],
                            _reason("rejected_reference", **rejected))

    def via_rules(self, table: Table, column: Column) -> list[schema.DateOrder]:
        return [rule for rule in schema.date_orders_for(table.name) if rule.via == column.name]

    def check_reference(self, table: Table, staged: _Staged, column: Column) -> None:
        """A required reference must name a row that was kept: a row pointing at
        a rejected row is rejected in turn (the cascade). The same join finds
        the unlikely date orders against the row referred to; they become
        warnings once the rows to keep are known."""
        parent = schema.TABLES_BY_NAME[column.references]
        name, key = _q(column.name), _q(parent.key)
        rules = self.via_rules(table, column)
        checks = self.staging.name(f"reference_{column.name}", table.name)
        dates = "".join(f", t.{_q(r.later)} AS later_{i}, p.{_q(r.earlier)} AS earlier_{i}"
                        for i, r in enumerate(rules))
        unlikely = "".join(f" OR t.{_q(r.later)} < p.{_q(r.earlier)}" for r in rules)
        self.con.execute(
            f"CREATE TABLE {checks} AS SELECT {staged.row('t')} AS r, t.{name} AS ref, "
            f"p.{key} IS NULL AS broken{dates} "
            f"FROM {self.typed(table)} t LEFT JOIN {self.kept(parent)} p ON p.{key} = t.{name} "
            f"WHERE t.{name} IS NOT NULL AND (p.{key} IS NULL{unlikely})")
        self.add_issues("rejected", table, column.name, "c.r", "c.ref",
                        self.broken_reference_reason(parent, "c.ref"),
                        f"FROM {checks} c LEFT JOIN "
                        f"{self.first_rows(parent, f'SELECT ref FROM {checks} WHERE broken')} p "
                        f"ON p.k = c.ref WHERE c.broken")

    def keep_rows(self, table: Table, staged: _Staged) -> None:
        """Flag the rejected rows; the others are the kept rows. They are not
        copied: the `kept` view selects them from the typed table, a single
        table under a WHERE, which keeps the file order (DuckDB guarantees it),
        so the same files always load in the same order without a sort."""
        typed, row = self.typed(table), staged.row()
        rejected_count = self.con.execute(
            f"UPDATE {typed} SET _rejected = TRUE WHERE {row} IN (SELECT row_number FROM "
            f"{self.staging.name('issues')} WHERE table_name = {_lit(table.name)} AND severity = 'rejected')"
        ).fetchall()[0][0]
        rejected_count += staged.structural_rejects
        values = ", ".join(_q(c.name) for c in table.columns)
        self.con.execute(
            f"CREATE VIEW {self.kept(table)} AS SELECT {row} AS _row, {values} FROM {typed} WHERE NOT _rejected")
        read = self.con.execute(f"SELECT count(*) FROM {typed}").fetchall()[0][0] + staged.structural_rejects
        self.counts[table.name] = (read, read - rejected_count, rejected_count)

    def warn(self, table: Table, staged: _Staged) -> None:
        """Warnings on kept rows. A reason without its date, and an optional
        reference to no kept row, are then cleared in the typed table; the
        unlikely date orders (found with the references, or within a row) are
        only reported."""
        kept, typed = self.kept(table), self.typed(table)
        for column in table.columns:
            name = _q(column.name)
            if column.required_with:
                condition = f"{_q(column.required_with)} IS NULL AND {name} IS NOT NULL"
                self.add_issues("warning", table, column.name, "_row", name,
                                _reason("without_required_with", column=_lit(column.name),
                                        other=_lit(column.required_with)),
                                f"FROM {kept} WHERE {condition}")
                self.flush_issues()
                self.con.execute(f"UPDATE {typed} SET {name} = NULL WHERE NOT _rejected AND {condition}")
            if column.references and not column.required:
                self.clear_optional_reference(table, column)
        for column in table.references:
            checks = self.staging.name(f"reference_{column.name}", table.name)
            for index, rule in enumerate(self.via_rules(table, column)):
                self.add_issues(
                    "warning", table, rule.later, "c.r", f"strftime(c.later_{index}, '%Y-%m-%d')",
                    _reason("date_order_via_loaded", later=_lit(rule.later), earlier=_lit(rule.earlier),
                            date=f"strftime(c.earlier_{index}, '%Y-%m-%d')", via=_lit(rule.via), ref="c.ref"),
                    f"FROM {checks} c WHERE NOT c.broken AND c.later_{index} < c.earlier_{index} "
                    f"AND c.r NOT IN (SELECT {staged.row()} FROM {typed} WHERE _rejected)")
        for rule in schema.date_orders_for(table.name):
            if rule.rejects or rule.via:
                continue
            later, earlier = _q(rule.later), _q(rule.earlier)
            self.add_issues(
                "warning", table, rule.later, "_row", f"strftime({later}, '%Y-%m-%d')",
                _reason("date_order_loaded", later=_lit(rule.later), earlier=_lit(rule.earlier),
                        date=f"strftime({earlier}, '%Y-%m-%d')"),
                f"FROM {kept} WHERE {later} < {earlier}")

    def clear_optional_reference(self, table: Table, column: Column) -> None:
        parent = schema.TABLES_BY_NAME[column.references]
        kept, name = self.kept(table), _q(column.name)
        if not self.present[parent.name]:
            nowhere = f"{name} IS NOT NULL"
            self.add_issues("warning", table, column.name, "_row", name,
                            _reason("absent_table_emptied", table=_lit(parent.name), column=_lit(column.name)),
                            f"FROM {kept} WHERE {nowhere}")
        else:
            nowhere = f"{name} IS NOT NULL AND {name} NOT IN (SELECT {_q(parent.key)} FROM {self.kept(parent)})"
            self.add_issues("warning", table, column.name, "c._row", f"c.{name}",
                            self.broken_reference_reason(parent, f"c.{name}", emptied=column.name),
                            f"FROM (SELECT _row, {name} FROM {kept} WHERE {nowhere}) c LEFT JOIN "
                            f"{self.first_rows(parent, f'SELECT {name} FROM {kept} WHERE {nowhere}')} p "
                            f"ON p.k = c.{name}")
        self.flush_issues()
        self.con.execute(f"UPDATE {self.typed(table)} SET {name} = NULL WHERE NOT _rejected AND {nowhere}")

    def report_exceptions(self, table: Table) -> None:
        """Rows that break a programme rule stay loaded and are listed."""
        kept = self.kept(table)
        for rule in schema.programme_rules_for(table.name):
            column = _q(rule.column)
            reason = _reason("programme_rule", rule=_lit(rule.description))
            if rule.kind == "age":
                at = _q(rule.age_at)
                age = (f"(year({at}) - year({column}) - CASE WHEN month({at}) * 100 + day({at}) < "
                       f"month({column}) * 100 + day({column}) THEN 1 ELSE 0 END)")
                broken = f"{age} < {rule.min_age}"
                if rule.max_age is not None:
                    broken += f" OR {age} > {rule.max_age}"
                value = f"strftime({column}, '%Y-%m-%d')"
                reason = _reason("programme_rule_age", rule=_lit(rule.description), age=age,
                                 age_at=_lit(rule.age_at))
            elif rule.kind == "not_in":
                broken = f"{column} IN ({', '.join(_lit(v) for v in rule.values)})"
                value = column
            elif rule.kind == "is_true":
                broken = f"NOT {column}"
                value = "'false'"
            else:
                raise ValueError(f"unknown programme rule kind {rule.kind}")
            self.add_issues("eligibility_exception", table, rule.column, "_row", value, reason,
                            f"FROM {kept} WHERE {broken}")


def _text(column: Column) -> str:
    """The typed table's column holding a non-text cell as it was read."""
    return _q(column.name + "__text")


def _shown(column: Column) -> str:
    """A cell's trimmed text, as issues show it."""
    return _q(column.name) if column.type == "text" else _trimmed(_text(column))


def _empty(column: Column) -> str:
    """Condition: the cell is empty after trimming (tests the parsed value
    first, so that only unparsed cells are trimmed)."""
    if column.type == "text":
        return f"{_q(column.name)} IS NULL"
    return f"{_q(column.name)} IS NULL AND {_shown(column)} IS NULL"


def _table_order(table: Table | None) -> str:
    return "NULL" if table is None else str(schema.TABLES.index(table))


def _column_order(table: Table | None, column: str | None) -> str:
    if table is None or column not in table.column_names:
        return "NULL"
    return str(table.column_names.index(column))


def _as_text(expr: str, source_type: str, column_type: str) -> str:
    """A typed Parquet cell as the text the record format reads."""
    source_type = source_type.upper()
    if source_type == "VARCHAR":
        return expr
    if source_type == "BOOLEAN":
        return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
    if source_type == "DATE" or source_type.startswith("TIMESTAMP"):
        if column_type == "month":
            return f"strftime({expr}, '%Y-%m')"
        if column_type == "date" or source_type == "DATE":
            return f"strftime({expr}, '%Y-%m-%d')"
        return (f"CASE WHEN {expr} = date_trunc('day', {expr}) THEN strftime({expr}, '%Y-%m-%d') "
                f"ELSE strftime({expr}, '%Y-%m-%d %H:%M:%S') END")
    if source_type in ("FLOAT", "DOUBLE") or source_type.startswith("DECIMAL"):
        return (f"CASE WHEN {expr} = trunc({expr}) AND abs({expr}) < 1e15 "
                f"THEN CAST(CAST({expr} AS BIGINT) AS VARCHAR) ELSE CAST({expr} AS VARCHAR) END")
    return f"CAST({expr} AS VARCHAR)"


# --------------------------------------------------------------------------
# Public interface


def validate_source(source: Path, progress: Progress | None = None) -> ValidationResult:
    """Check a source against the record format. Changes nothing; raises
    ImportStopped when the source cannot be imported at all."""
    return _Checker(Path(source), progress or (lambda fraction, message: None)).run()


ISSUE_COLUMNS = ("severity", "file_name", "row_number", "column_name", "value", "reason")


def load_into(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    """Replace the data set in `con` with the rows `result` kept, in one
    transaction: every record-format table (created even when absent), plus
    dataset_tables, import_issues, one import_log row per file read, and the
    facts derived from the tables (engine.build_facts)."""
    staging = result._staging
    if staging is None:
        raise ValueError("this validation result was closed; validate the source again")
    native = staging.visible_from(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in schema.TABLES:
            _copy_table(con, result, table, native)
        _write_bookkeeping(con, result)
        # the as-of-independent facts are derived once here, not per query
        engine.build_facts(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _copy_table(con: duckdb.DuckDBPyConnection, result: ValidationResult, table: Table,
                native: bool) -> None:
    staging = result._staging
    columns = ", ".join(f"{_q(c.name)} {c.duckdb_type}" for c in table.columns)
    con.execute(f"CREATE OR REPLACE TABLE {_q(table.name)} ({columns})")
    if not result.present[table.name]:
        return
    names = ", ".join(_q(c.name) for c in table.columns)
    # The kept rows come in file order (see _Checker.keep_rows), and an INSERT
    # keeps the order of its SELECT: the same files give the same tables.
    query = f"SELECT {names} FROM {staging.name('kept', table.name)}"
    if native:
        con.execute(f"INSERT INTO {_q(table.name)} {query}")
        return
    rows = staging.con.sql(query).to_arrow_reader(100_000)
    view = f"_incoming_{staging.token}"
    con.register(view, rows)
    try:
        con.execute(f"INSERT INTO {_q(table.name)} SELECT * FROM {_q(view)}")
    finally:
        con.unregister(view)


def _write_bookkeeping(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> None:
    con.execute("""CREATE OR REPLACE TABLE dataset_tables (table_name VARCHAR, is_present BOOLEAN,
                   rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT)""")
    con.executemany("INSERT INTO dataset_tables VALUES (?, ?, ?, ?, ?)", [
        (table.name, result.present[table.name], *result.counts[table.name]) for table in schema.TABLES])
    con.execute("""CREATE TABLE IF NOT EXISTS import_log (imported_at TIMESTAMP, source VARCHAR,
                   file_name VARCHAR, sha256 VARCHAR, table_name VARCHAR, rows_read BIGINT,
                   rows_loaded BIGINT, rows_rejected BIGINT)""")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    source = str(Path(result.source).resolve())
    log = [(now, source, *result.table_files[table.name], table.name, *result.counts[table.name])
           for table in schema.TABLES if result.present[table.name]]
    con.executemany("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", log)
    con.execute("""CREATE OR REPLACE TABLE import_issues (severity VARCHAR, file_name VARCHAR,
                   row_number BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)""")
    if result.issues:
        issues = pa.table({
            name: pa.array([getattr(issue, name) for issue in result.issues],
                           pa.int64() if name == "row_number" else pa.string())
            for name in ISSUE_COLUMNS})
        view = f"_issues_{secrets.token_hex(4)}"
        con.register(view, issues)
        try:
            con.execute(f"INSERT INTO import_issues SELECT * FROM {_q(view)}")
        finally:
            con.unregister(view)


def open_dataset(source: Path, progress: Progress | None = None
                 ) -> tuple[duckdb.DuckDBPyConnection, ValidationResult]:
    """Validate `source` and load it into a fresh in-memory connection (what
    `--data DIR` uses). The result keeps its issues and counts, but cannot be
    loaded again: its staging database became the returned connection."""
    result = validate_source(source, progress)
    staging = result._staging
    load_into(staging.con, result)
    con = staging.hand_over()
    result._staging = None
    return con, result
