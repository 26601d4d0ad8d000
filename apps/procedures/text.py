"""Diacritic-insensitive search text; the shared rule lives in core."""

from apps.core.text import normalize

__all__ = ["normalize"]
