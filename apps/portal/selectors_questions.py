"""Read access to citizen questions for the rest of the portal (the site search)."""


def search_published_questions(query: str, limit: int = 20) -> list:
    """Published questions whose text matches `query`, insensitive to diacritics.

    Each item has `title`, `get_absolute_url()` and `answered_at`.
    """
    return []
