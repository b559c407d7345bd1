"""Synthetic mentoring-for-employment programme, in the record format.

Why: the dashboard, its tests and its benchmark need a programme that looks
like the real thing (a Brussels-born "DUO for a JOB"-style programme: young
job-seeking migrants paired with mentors over 50, six months of weekly
meetings, staff monitoring, outcomes at exit and at 3/6/12 months) without
one byte of real personal data. Every first name, birth date, note and donor
is invented.

What: ``generate_programme(out_dir, seed, duos)`` writes the ten record-format
tables as UTF-8 CSV (``python -m analytics generate --out DIR``). The
programme:

- starts in Brussels in 2013; Antwerp, Liège and Ghent open in 2018; realized
  duos follow the published curve (335 by end 2015, ~2,400 by end 2019,
  ~6,000 by end 2023, then ~1,000 a year);
- is a *snapshot* taken on ``END_DATE`` (2026-06-30): the simulation runs a
  little past it, then every later date is erased the way a CRM export of
  that day would show it (open duos, pending decisions, follow-ups not yet
  due, mentees still waiting);
- has a visible quality dip during the 2019 growth spurt (fewer coordinator
  FTE per active duo, check-ins sparser, matching slower, more early
  closures), recovering by mid-2020;
- leaves a few dozen at-risk duos open on the end date, so every at-risk rule
  of the indicator handbook fires somewhere.

Determinism: one seed gives byte-identical files. Each part of the programme
draws from its own named random stream (so tuning one part does not reshuffle
the others), rows are sorted by id, numbers are formatted by hand, nothing
depends on dict order, hashing or the clock.

Scale: ``duos=N`` scales the whole programme (people, meetings, staff, costs,
gifts) linearly. Everything is vectorised numpy; the only Python loops run over
months, branches or meeting/check-in *steps* (a few dozen), never over rows,
and CSVs are written in chunks with pyarrow, so a million duos (~20M
meetings) take minutes, not hours.

Where each part lives:

- ``calibration``: the calendar, the branches, the published curve and the
  2019 dip the programme is tuned on (``END_DATE``, ``DEFAULT_DUOS``);
- ``codes``: the record format's lists and the generator's codes for them;
- ``duos``, ``people`` (mentees, mentors), ``staff``, ``activity``
  (meetings, check-ins), ``outcomes``, ``money`` (costs, funding),
  ``targets``: one module per generated table, each with the function that
  builds its arrays and the one that writes its CSV;
- ``arrays`` (vectorised helpers, named random streams) and ``columns``
  (the pyarrow CSV writer, the snapshot's ids);
- ``programme``: the steps in order.

Importing this package loads numpy only; pyarrow comes with
:func:`generate_programme`. The command is :mod:`analytics.cli.sample`.
"""
from __future__ import annotations

from pathlib import Path

from analytics.sample.calibration import DEFAULT_DUOS, END_DATE

__all__ = ["DEFAULT_DUOS", "END_DATE", "generate_programme"]


def generate_programme(out_dir: Path, seed: int = 2013, duos: int | None = None) -> dict[str, int]:
    """Write the ten record-format tables for a synthetic programme into
    ``out_dir``; return the row count per table (in the order written).

    ``duos=None`` is the default size (``DEFAULT_DUOS``, the bundled sample).
    """
    from analytics.sample import programme

    return programme.generate_programme(out_dir, seed, duos)
