"""Diacritic-insensitive text for search (the SQLite fallback and the PostgreSQL vector source)."""

import unicodedata


def normalize(text: str | None) -> str:
    """'Đắk Lắk' -> 'dak lak': lowercase, no diacritics, single spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
