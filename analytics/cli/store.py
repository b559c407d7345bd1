"""Command line for keeping the store safe: ``backup``, ``restore``, ``migrate``.

    python -m analytics backup DEST --db STORE      # a consistent copy, while the dashboard runs
    python -m analytics restore SRC --db STORE      # into a new or empty store
    python -m analytics migrate --db STORE          # the current snapshot to this version's store format

Exit codes: 0 done; 2 nothing changed (the message on standard error): DEST
not empty, no snapshot to back up, a damaged backup (a checksum differs), a
store that is not empty, a store format newer than this code. See
:mod:`analytics.store.backup`; it is imported by the handlers.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli import options


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="copy the store's current snapshot and erased ids to a folder",
                              description="A consistent copy of the store (under its import lock; the "
                                          "dashboard keeps running): the current snapshot, the pointer, the "
                                          "erased ids and a manifest with their checksums.")
    p.add_argument("dest", type=Path, metavar="DEST", help="a new or empty folder")
    p.add_argument("--db", type=Path, required=True, metavar="STORE", help="the store folder")
    p.set_defaults(handler=run_backup)

    p = subparsers.add_parser("restore", help="restore a backup into a new or empty store",
                              description="Check every file of the backup against its checksum, copy it "
                                          "into the store, migrate it to this version's store format.")
    p.add_argument("src", type=Path, metavar="SRC", help="a folder written by `backup`")
    p.add_argument("--db", type=Path, required=True, metavar="STORE", help="a new or empty store folder")
    p.set_defaults(handler=run_restore)

    p = subparsers.add_parser("migrate", help="bring the store's current snapshot to this version's format")
    p.add_argument("--db", type=Path, required=True, metavar="STORE", help="the store folder")
    p.set_defaults(handler=run_migrate)


def run_backup(args: argparse.Namespace) -> int:
    from analytics.store import Store, backup

    try:
        manifest = backup.backup(Store(args.db), args.dest)
    except (backup.BackupError, OSError) as error:
        return options.fail(str(error))
    size = sum(entry["bytes"] for entry in manifest["files"])
    print(f"backed up {manifest['snapshot']} (store format {manifest['store_format']}, {size} bytes, "
          f"{len(manifest['files'])} files) to {args.dest}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from analytics.store import Store, backup

    try:
        manifest, version = backup.restore(args.src, Store(args.db))
    except (backup.BackupError, OSError) as error:
        return options.fail(str(error))
    migrated = f", migrated from store format {version}" if version != backup.STORE_FORMAT else ""
    print(f"restored {manifest['snapshot']} (backed up {manifest['created_at']}) into {args.db}{migrated}")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    from analytics.store import Store, backup

    try:
        version = backup.migrate(Store(args.db))
    except (backup.BackupError, OSError) as error:
        return options.fail(str(error))
    if version is None:
        return options.fail(f"{args.db}: no snapshot here")
    if version == backup.STORE_FORMAT:
        print(f"{args.db}: already of store format {version}")
    else:
        print(f"{args.db}: migrated from store format {version} to {backup.STORE_FORMAT}")
    return 0
