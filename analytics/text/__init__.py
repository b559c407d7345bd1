"""Words and numbers as a reader sees them: translation (:mod:`.i18n`, gettext
catalogs in ``locales/``) and every number, amount and date formatted by Babel
(:mod:`.fmt`), shared by the dashboard, the report and the command line."""
