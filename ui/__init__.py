"""What the dashboard's pages share: translation (``i18n``), formatting
(``fmt``), filters kept in the URL (``filters``), roles (``auth``), the
palette and chart helpers (``palette``, ``charts``), and the cached connection
and query results (``data``). Pages stay thin: they read the filters, ask
``ui.data`` for figures, and render.
"""
