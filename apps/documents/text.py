"""Diacritic-insensitive text for search (the SQLite fallback and the PostgreSQL vector source)."""

from apps.core.text import normalize  # noqa: F401  (re-exported for the app)
