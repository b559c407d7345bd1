"""The Data page's import flow: uploaded files -> validation report ->
confirmed import into the store. Validation and import are
``analytics.records.importer`` / ``analytics.store.snapshots``; this module only moves files
and turns results into tables for the page. The importer's issues and stop
messages carry a reason code and its values: they are written here in the
session's language (``message``), from the importer's templates translated in
the catalogs, with the values (column names, list values, file names) as they
are in the files."""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ui import connection, fmt
from ui.i18n import N_, _

ALLOWED_TYPES = ("csv", "xlsx", "parquet")
UPLOAD_PREFIX = "duo-impact-upload-"
# any server path to an upload folder (and what follows it up to a space or quote)
_UPLOAD_PATH = re.compile(r"(?:[A-Za-z]:)?[^\s'\"]*" + re.escape(UPLOAD_PREFIX) + r"[^\s'\"/\\]*[/\\]?")
SEVERITY_LABELS = {
    "rejected": N_("Rejected rows (not imported)"),
    "warning": N_("Warnings (imported)"),
    "eligibility_exception": N_("Eligibility exceptions (imported, to review)"),
}


@dataclass
class Checked:
    """A validated upload waiting for confirmation."""
    folder: Path
    source: Path
    files: list[str]
    result: Any = None               # analytics ValidationResult
    stopped: Any = None              # the ImportStopped when the import cannot proceed (see message)
    imported: bool = False
    extra: dict = field(default_factory=dict)

    def cleanup(self) -> None:
        if self.result is not None and hasattr(self.result, "close"):
            self.result.close()          # frees the validation's staging database
        shutil.rmtree(self.folder, ignore_errors=True)


def save_uploads(files: list[Any]) -> tuple[Path, Path, list[str]]:
    """Write uploaded files into a fresh temporary folder (names reduced to their
    base name: no path from the browser is trusted). Returns (folder, source,
    names); the source is the workbook itself when one .xlsx is uploaded alone."""
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    names = []
    for uploaded in files:
        name = Path(uploaded.name).name
        if not name or name.startswith("."):
            continue
        (folder / name).write_bytes(uploaded.getvalue())
        names.append(name)
    workbooks = [n for n in names if n.lower().endswith(".xlsx")]
    source = folder / workbooks[0] if len(workbooks) == 1 and len(names) == 1 else folder
    return folder, source, names


def check(files: list[Any], progress: Callable[[float, str], None] | None = None) -> Checked:
    from analytics.records.importer import ImportStopped, validate_source

    folder, source, names = save_uploads(files)
    checked = Checked(folder=folder, source=source, files=names)
    try:
        checked.result = validate_source(source, progress=progress)
    except ImportStopped as exc:
        checked.stopped = exc
    return checked


def message(item: Any) -> str:
    """An importer issue's reason, or why an import stopped, in the session's
    language: the code's template translated, its values filled in as they are,
    never a server path (the upload's temporary folder is "the uploaded files";
    a path inside it is the file's name)."""
    from analytics.records.importer import ImportStopped

    if isinstance(item, ImportStopped):
        params = dict(item.params)
        if "source" in params:
            params["source"] = _("the uploaded files")
        item = ImportStopped(item.code, **{k: without_paths(v) for k, v in params.items()})
    if hasattr(item, "text"):
        return without_paths(item.text(_))
    return "" if item is None else without_paths(str(item))


def without_paths(text: str) -> str:
    """``text`` with every path to an upload folder taken out (what is inside
    the folder, a file name, stays)."""
    return _UPLOAD_PATH.sub("", str(text))


def upload_problem(files: list[Any] | None) -> str | None:
    """Why the uploaded files cannot be checked as they are (the "Check the
    files" button stays disabled and the page says this), or None."""
    names = [Path(f.name).name for f in files or []]
    if not names:
        return _("Add the files to check.")
    wrong = [n for n in names if Path(n).suffix.lower().lstrip(".") not in ALLOWED_TYPES]
    if wrong:
        return _("Not a CSV, Parquet or Excel file: {names}. Remove it to go on.").format(names=", ".join(wrong))
    workbooks = [n for n in names if n.lower().endswith(".xlsx")]
    if workbooks:
        if len(names) > 1:
            return _("Upload one Excel workbook alone, or CSV and Parquet files without a workbook.")
        return None
    from analytics.records.schema import REQUIRED_TABLES

    stems = {Path(n).stem for n in names}
    missing = [f"{t}.csv" for t in REQUIRED_TABLES if t not in stems]
    if missing:
        return _("Required table file missing: {files}.").format(files=", ".join(missing))
    return None


def rejected_downloads(checked: Checked) -> dict[str, Any]:
    """The rejected rows of a check as the files were written, for download:
    {table: frame} (``analytics.records.rejects``), reasons in the session's language."""
    from analytics.records import rejects

    if checked.result is None or not checked.folder.exists():
        return {}
    return rejects.rejected_rows(checked.source, checked.result.issues, translate=_)


def counts_table(result: Any) -> pd.DataFrame:
    rows = []
    for table, (read, loaded, rejected) in (result.counts or {}).items():
        present = (result.present or {}).get(table, True)
        rows.append({_("Table"): table, _("File present"): _("yes") if present else _("no"),
                     _("Rows read"): fmt.integer(read), _("Rows loaded"): fmt.integer(loaded),
                     _("Rows rejected"): fmt.integer(rejected)})
    return pd.DataFrame(rows)


def issues_table(result: Any, severity: str) -> pd.DataFrame:
    rows = [{_("File"): i.file_name, _("Row"): i.row_number, _("Column"): i.column_name,
             _("Value"): "" if i.value is None else str(i.value), _("Reason"): message(i)}
            for i in result.issues if i.severity == severity]
    out = pd.DataFrame(rows, columns=[_("File"), _("Row"), _("Column"), _("Value"), _("Reason")])
    out[_("Row")] = out[_("Row")].astype("Int64")
    return out


def rejected_csv(frame: pd.DataFrame) -> bytes:
    """One table's rejected rows as CSV (values exactly as in the file: they are
    the programme's own, to correct and import again)."""
    from analytics.records import rejects

    return rejects.csv_bytes(frame)


def rejected_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """Every table's rejected rows in one workbook, a text-only sheet per table."""
    from analytics.records import rejects

    return rejects.xlsx_bytes(frames)


def issue_counts(result: Any) -> dict[str, int]:
    out = {s: 0 for s in SEVERITY_LABELS}
    for i in result.issues:
        out[i.severity] = out.get(i.severity, 0) + 1
    return out


def do_import(checked: Checked, progress: Callable[[float, str], None] | None = None) -> Path:
    path = connection.store().import_result(checked.result, progress=progress)
    checked.imported = True
    return path
