"""What the dashboard's pages share. Pages stay thin: they read the filters,
ask ``ui.data`` for figures, and render.

Imports go one way (tests/test_ui_imports.py), from the bottom up:

- ``i18n``, ``fmt``, ``palette``, ``labels``, ``meta``: translation,
  formatting, colours, the words of values and indicators;
- ``pages``: the one table of pages (title, icon, section, filters, roles);
- ``connection``: the store, the first-run import, demo mode, a cursor on the
  current snapshot; ``frame``: the one reach into Streamlit internals;
- ``auth``: who the user is and what they may see (from ``pages``);
- ``data``: one typed, cached function per data set, with the role check for
  personal data;
- ``filters`` (kept in the URL), ``series``, ``charts``, ``suppressed``,
  ``summary``, ``at_risk``, ``imports``, ``export``, ``signin``;
- ``page``: what every page does first, and its tiles.
"""
