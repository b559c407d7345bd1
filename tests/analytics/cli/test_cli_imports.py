"""Building the command line loads none of what the commands drive: each
command group imports its engine, importer, report or password hashing in
its handler, so `python -m analytics indicators` or `--help` does not pay for
`report`'s PDF stack or `users`' argon2. Checked in a fresh interpreter,
since this test session has imported everything already."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

NOT_AT_PARSER_BUILD = (
    "analytics.records.importer",
    "analytics.store.snapshots",
    "analytics.engine.query",
    "analytics.report",
    "analytics.report.build",
    "analytics.people.users",
    "analytics.sample.programme",
    "argon2",
    "duckdb",
    "pandas",
    "pyarrow",
    "openpyxl",
    "plotly",
)


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(proc.stdout.split())


def test_building_the_parser_imports_no_command_machinery():
    loaded = _loaded_after("from analytics.cli import build_parser\nbuild_parser()")
    assert "analytics.cli.figures" in loaded  # the probe did build the parser
    assert sorted(loaded & set(NOT_AT_PARSER_BUILD)) == []


def test_help_imports_no_command_machinery():
    code = ("from analytics.cli import main\n"
            "try:\n    main(['generate', '--help'])\nexcept SystemExit:\n    pass\n")
    assert sorted(_loaded_after(code) & set(NOT_AT_PARSER_BUILD)) == []


def test_the_parser_knows_the_users_roles():
    # cli.people spells the roles out so that the parser does not load argon2
    from analytics.cli import people
    from analytics.people.users import ROLES

    assert people.ROLES == ROLES


def test_the_parser_knows_the_samples_defaults():
    # cli.sample spells the snapshot day and default size out so that the parser does not load numpy
    from analytics.cli import sample
    from analytics.sample import calibration

    assert (sample.END_DATE, sample.DEFAULT_DUOS) == (calibration.END_DATE, calibration.DEFAULT_DUOS)
