"""Duo Impact's analytics library: record format, import, indicator engine, reports.

It never imports streamlit: the command line, the app, the reports and the tests
all share it (tests/test_import_hygiene.py checks this).

``__version__`` is the software version every data fingerprint carries (a
snapshot's id is derived from it and the imported files' SHA-256).
"""

__version__ = "0.14.0"
