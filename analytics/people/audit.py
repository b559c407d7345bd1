"""The audit log (GDPR art. 5(2), accountability): who did what with personal data.

An append-only JSON-lines file, one line per event (sign-in, failed sign-in,
export with personal data, erasure): when (UTC), event, who, and a detail
without passwords or mentee data beyond a count of rows. Beside the users file
(``audit.log``), or ``$DUO_IMPACT_AUDIT``. Each line is written with a single
``O_APPEND`` write and fsync'd, so concurrent writers never interleave lines.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path


def audit_path() -> Path:
    env = os.environ.get("DUO_IMPACT_AUDIT")
    if env:
        return Path(env)
    from analytics.people.users import default_path

    return default_path().parent / "audit.log"


def audit(event: str, user: str | None, detail: dict | None = None) -> None:
    """Append one line {"at", "event", "user", "detail"} to the audit log, fsync'd."""
    record = {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "event": event, "user": user, "detail": detail or {}}
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode("utf-8")
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def os_user() -> str:
    """Who runs a command (the command line's "user" in the log): the login name."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in this environment
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def audit_cli_export(what: str, rows: int, **detail) -> None:
    """A command's output of personal data (``at-risk``, a validation report
    file): who ran it, what, how many rows, where it went; never the rows."""
    audit("export", os_user(), {"what": what, "rows": int(rows), "via": "cli", **detail})


def read_audit(path: Path | None = None) -> list[dict]:
    path = path or audit_path()
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
