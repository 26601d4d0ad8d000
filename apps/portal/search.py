"""Site search insensitive to diacritics: "chuyen doi so" finds "Chuyển đổi số".

Pages keep a diacritic-free `search_text` (SearchTextMixin); the query is folded the same way with
core.text.normalize and every word must occur. Plain `__contains` filters: same result on SQLite
and PostgreSQL. Published citizen questions come from the editorial office's selector.
"""

from dataclasses import dataclass

from apps.core.text import normalize

from . import selectors_questions


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    summary: str = ""
    date: object = None


def _page_models():
    from .models import BulletinIssuePage, NewsArticlePage, StandardPage

    return [NewsArticlePage, BulletinIssuePage, StandardPage]


def search_pages(query: str, limit: int = 50):
    """Live public pages whose text contains every word of `query` (diacritics ignored), newest first."""
    words = normalize(query).split()
    if not words:
        return []
    results = []
    for model in _page_models():
        qs = model.objects.live().public()
        for word in words:
            qs = qs.filter(search_text__contains=word)
        results.extend(qs.order_by("-first_published_at")[:limit])
    results.sort(key=lambda p: p.first_published_at or p.latest_revision_created_at, reverse=True)
    return results[:limit]


def search_site(query: str, limit: int = 50) -> dict:
    pages = search_pages(query, limit)
    questions = selectors_questions.search_published_questions(query, limit) if query.strip() else []
    return {"pages": pages, "questions": list(questions)}
