"""Diacritic-insensitive text for search: "Cấp giấy phép" and "cap giay phep" normalise alike."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(value: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse white space."""
    value = (value or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()
