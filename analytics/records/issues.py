"""What the importer says: issues, stops, the result of a validation.

Every issue and every stop carries a stable code and named parameters; its
English text is the template filled in. The templates are translated in the
gettext catalogs (locales/extract.py reads them from REASONS and STOPS, as it
reads the indicator registry), so the dashboard shows them in the interface
language: ``issue.text(_)``. Parameters are quoted as they are: column names,
list values and file names belong to the record format, which stays English.
The one parameter that is prose, a programme rule's description, is named
in TRANSLATED_PARAMETERS and translated too.

The checks find issues for many rows at once in SQL, so a reason is also
built as SQL expressions (``build_reason``): its code, its parameters and its
English text, computed by DuckDB for every row a check yields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Callable, Mapping

from analytics.records.sql import lit, q

if TYPE_CHECKING:
    from analytics.records.staging import Staging

# --------------------------------------------------------------------------
# One template per reason code

REASONS: dict[str, str] = {
    # A cell that cannot be read as its column's type (`expected`: the spelling the record format reads).
    "not_a_date": "not a date ({expected})",
    "not_a_month": "not a month ({expected})",
    "not_a_boolean": "not a boolean ({expected})",
    "not_a_country": "not an ISO 3166-1 alpha-2 country code",
    "not_languages": ("not a list of ISO 639-1 language codes separated by ';' "
                      "(unknown: {unknown})"),
    "not_a_number": "not a number",
    "too_many_decimals": "too many decimals: at most {scale} after the decimal mark",
    "too_many_digits": "out of range: at most {digits} digits before the decimal mark",
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
    "erased_dropped": "a person erased from this store: dropped (erased)",
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
SEPARATOR = "\x1f"
PARAMETERS: dict[str, tuple[str, ...]] = {
    code: tuple(dict.fromkeys(name for _literal, name, _spec, _conversion in Formatter().parse(template)
                              if name is not None))
    for code, template in {**REASONS, **STOPS}.items()
}


ISSUE_COLUMNS = ("severity", "file_name", "row_number", "column_name", "value", "reason")


def check_parameters(code: str, names: Mapping[str, object], templates: Mapping[str, str] = REASONS,
                     kind: str = "reason") -> None:
    """Fail at once on a code without a template (`kind`: "reason" or "stop")
    or on parameters that are not exactly the template's placeholders."""
    if code not in templates:
        raise KeyError(f"no template for the {kind} code {code!r}")
    if set(names) != set(PARAMETERS[code]):
        raise ValueError(f"{code} takes {PARAMETERS[code]}, not {tuple(names)}")


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
        check_parameters(code, params, STOPS, "stop")
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
    database, `staging`, until load_into copies them (close() frees it; then
    `staging` is None)."""

    source: Path
    issues: list[Issue]
    counts: dict[str, tuple[int, int, int]]
    present: dict[str, bool]
    files: list[tuple[str, str]]
    table_files: dict[str, tuple[str, str]] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)   # rows of erased people, per table (not loaded)
    staging: "Staging | None" = field(default=None, repr=False, compare=False)

    @property
    def rejected_count(self) -> int:
        return sum(rejected for _read, _loaded, rejected in self.counts.values())

    @property
    def dropped_count(self) -> int:
        """Rows dropped because their person was erased from the store (counted apart)."""
        return sum(self.dropped.values())

    @property
    def warning_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "warning")

    @property
    def exception_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "eligibility_exception")

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()
            self.staging = None

    def kept_row_numbers(self, table: str, column: str, values: list[str]) -> list[int]:
        """The file row numbers (header = 1) of the rows of `table` that were
        kept and whose `column` is one of `values`, in file order."""
        if self.staging is None:
            raise ValueError("this validation result was closed; validate the source again")
        rows = self.staging.con.execute(
            f"SELECT _row FROM {self.staging.kept(table)} WHERE list_contains(?, {q(column)})",
            [values]).fetchall()
        return [int(number) for (number,) in rows]


# --------------------------------------------------------------------------
# A reason as SQL


@dataclass(frozen=True)
class Reason:
    """An issue's reason as SQL expressions over the rows it is about: its
    code, its parameter values (one VARCHAR, see SEPARATOR) and its English
    text, the template filled in by SQL."""

    code: str
    params: str
    text: str


def build_reason(code: str, **params: str) -> Reason:
    """The reason `code` (a key of REASONS); each parameter is an SQL
    expression, and they must be exactly the template's placeholders."""
    check_parameters(code, params)
    values = {name: f"CAST({expr} AS VARCHAR)" for name, expr in params.items()}
    joined = " || chr(31) || ".join(f"replace(coalesce({values[name]}, ''), chr(31), ' ')"
                                    for name in PARAMETERS[code])
    # The text as the template writes it; `||` keeps a NULL value's text NULL.
    parts = []
    for literal, name, _spec, _conversion in Formatter().parse(REASONS[code]):
        if literal:
            parts.append(lit(literal))
        if name is not None:
            parts.append(values[name])
    return Reason(lit(code), joined or "''", " || ".join(parts) or "''")


def reason_case(whens: list[tuple[str, Reason]], otherwise: Reason) -> Reason:
    """The first reason whose SQL condition holds, else `otherwise`."""
    def case(part: str) -> str:
        branches = " ".join(f"WHEN {condition} THEN {getattr(reason, part)}" for condition, reason in whens)
        return f"CASE {branches} ELSE {getattr(otherwise, part)} END"
    return Reason(case("code"), case("params"), case("text"))

