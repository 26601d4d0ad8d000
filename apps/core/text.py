"""Diacritic-insensitive text for search: "Cấp giấy phép" and "cap giay phep" normalise alike."""

import unicodedata


def normalize(value: str | None) -> str:
    """'Đắk Lắk' -> 'dak lak': lower case, no diacritics (đ → d), single spaces."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slugify_vi(value: str | None) -> str:
    """'Sở KH&CN tổ chức hội nghị' -> 'so-khcn-to-chuc-hoi-nghi': diacritics folded as normalize()
    does (đ → d), then Django's slugify (ASCII letters, digits and hyphens)."""
    from django.utils.text import slugify

    return slugify(normalize(value))
