"""Public-site views that Wagtail does not serve itself: the site search."""

from django.shortcuts import render

from apps.core import access

from .search import search_site

MAX_QUERY = 200


@access.require(access.PUBLIC)
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = search_site(query) if query else {"pages": [], "questions": []}
    return render(
        request,
        "portal/site/search.html",
        {"query": query, "pages": results["pages"], "questions": results["questions"]},
    )
