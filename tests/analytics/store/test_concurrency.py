"""Readers never see a half-loaded data set and never block an import.

Two reader processes poll the store (each read opens the current snapshot
read-only, as the dashboard's cached connection does after a switch) while a
third process imports a different programme into it. Every read must see
either the old data set or the new one, complete: the row counts of all its
tables together match one of the two, never a mix.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from analytics.sample import generate_programme
from analytics.records.importer import validate_source
from analytics.store.snapshots import Store

ROOT = Path(__file__).resolve().parents[3]
TABLES = ("mentees", "mentors", "duos", "meetings", "check_ins", "outcomes")

READER = textwrap.dedent("""
    import json, pathlib, sys, time
    from analytics.store.snapshots import Store
    store, ready, done = Store(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    seen, reads_after_done, deadline = [], 0, time.monotonic() + 240
    while reads_after_done < 20 and time.monotonic() < deadline:
        finished = done.exists()
        con = store.connect()
        seen.append([con.execute(f"select count(*) from {t}").fetchone()[0] for t in %r])
        con.close()
        ready.touch()
        reads_after_done += finished
    print(json.dumps(seen))
""" % (TABLES,))


def _counts(store: Store) -> list[int]:
    con = store.connect()
    try:
        return [con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES]
    finally:
        con.close()


def test_readers_see_old_or_new_never_a_mix(tmp_path):
    old_source, new_source = tmp_path / "old", tmp_path / "new"
    generate_programme(old_source, seed=1, duos=300)
    generate_programme(new_source, seed=2, duos=3000)
    store = Store(tmp_path / "store")
    store.import_result(validate_source(old_source))
    old = _counts(store)

    done = tmp_path / "import-done"
    ready = [tmp_path / f"reader-{i}-ready" for i in range(2)]
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(store.path), str(flag), str(done)],
                         cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for flag in ready
    ]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.05)  # both readers are reading the old data set before the import starts
    importer = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(new_source), "--db", str(store.path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    done.touch()
    assert importer.returncode == 0, importer.stderr
    new = _counts(store)
    assert new != old

    for reader in readers:
        out, _ = reader.communicate(timeout=120)
        assert reader.returncode == 0
        seen = json.loads(out)
        assert seen, "the reader read at least once"
        assert all(counts in (old, new) for counts in seen), "a read saw a mix of two data sets"
        assert seen[0] == old and seen[-1] == new, "the reader read before and after the switch"
