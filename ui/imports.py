"""The Data page's import flow: uploaded files -> validation report ->
confirmed import into the store. Validation and import are
``analytics.records.importer`` / ``analytics.store.snapshots``; this module only moves files
and turns results into tables for the page. The importer's issues and stop
messages carry a reason code and its values: they are written here in the
session's language (``message``), from the importer's templates translated in
the catalogs, with the values (column names, list values, file names) as they
are in the files."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ui import connection
from ui.i18n import N_, _

ALLOWED_TYPES = ("csv", "xlsx", "parquet")
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
    folder = Path(tempfile.mkdtemp(prefix="duo-impact-upload-"))
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
    language: the code's template translated, its values filled in as they are."""
    if hasattr(item, "text"):
        return item.text(_)
    return "" if item is None else str(item)


def counts_table(result: Any) -> pd.DataFrame:
    rows = []
    for table, (read, loaded, rejected) in (result.counts or {}).items():
        present = (result.present or {}).get(table, True)
        rows.append({_("Table"): table, _("File present"): _("yes") if present else _("no"),
                     _("Rows read"): int(read), _("Rows loaded"): int(loaded), _("Rows rejected"): int(rejected)})
    return pd.DataFrame(rows)


def issues_table(result: Any, severity: str) -> pd.DataFrame:
    rows = [{_("File"): i.file_name, _("Row"): i.row_number, _("Column"): i.column_name,
             _("Value"): "" if i.value is None else str(i.value), _("Reason"): message(i)}
            for i in result.issues if i.severity == severity]
    out = pd.DataFrame(rows, columns=[_("File"), _("Row"), _("Column"), _("Value"), _("Reason")])
    out[_("Row")] = out[_("Row")].astype("Int64")
    return out


def issue_counts(result: Any) -> dict[str, int]:
    out = {s: 0 for s in SEVERITY_LABELS}
    for i in result.issues:
        out[i.severity] = out.get(i.severity, 0) + 1
    return out


def do_import(checked: Checked, progress: Callable[[float, str], None] | None = None) -> Path:
    path = connection.store().import_result(checked.result, progress=progress)
    checked.imported = True
    return path
