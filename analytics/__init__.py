"""Duo Impact's analytics library: record format, import, indicator engine, reports.

It never imports streamlit: the command line, the app, the reports and the tests
all share it (tests/test_import_hygiene.py checks this).
"""
