"""Disclosure control for funder output: small-cell suppression with secondary
suppression (:mod:`.suppression`), so no hidden cell can be worked back."""
