"""The store: imported data sets kept on disk as snapshots, and erasure.

Owns the snapshot files, the ``CURRENT`` pointer switched atomically after a
complete import, the import lock, and erasure on request (:mod:`.erasure`).
It knows the record format's validation results but nothing of the engine:
tables derived above it are named by a :class:`Derived` handed in
(``analytics.pipeline`` hands the engine's facts).
"""
from analytics.store.snapshots import (NOTHING_DERIVED, SNAPSHOT_PATTERN, Derived, SnapshotEntry, Store,
                                       snapshot_id, snapshot_info, software_version, write_snapshot_info)

__all__ = ["NOTHING_DERIVED", "SNAPSHOT_PATTERN", "Derived", "SnapshotEntry", "Store", "snapshot_id",
           "snapshot_info", "software_version", "write_snapshot_info"]
