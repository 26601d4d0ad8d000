"""One check shared by every app's list tests (issue 15, "constant query counts").

Each app's ``tests/test_list_queries.py`` declares a table ``LISTS`` of :class:`ListCase` rows
(NetBox's ViewTestCases style): the URL name, the role that looks at it, and a row factory. The
factory is a pytest fixture returning ``add(n) -> list[str]``: it adds ``n`` more rows visible to that
role and returns a text of each row that the list shows (a code or a title). :func:`assert_constant_queries`
renders the list with a few rows and with more rows and fails when the number of queries differs.

Sizes come from ``CQS_LIST_ROWS`` ("few,many"; 2 and 7 by default, small enough for CI).
``bench/list_queries.py`` runs the same tests with larger sizes and prints what :data:`MEASURED`
collected (query counts and times).
"""

import os
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@dataclass(frozen=True)
class ListCase:
    url_name: str  # "app:name" (reversed without arguments), or a path ("/tin-tuc/": a Wagtail page)
    role: str | None  # an apps.organizations.roles.Role, or None for an anonymous visitor
    rows: str  # the name of the fixture returning add(n) -> texts of the rows it added
    query: dict = field(default_factory=dict)  # query string (a tab, a filter)
    user: str = ""  # a fixture returning the user, instead of the root conftest's users[role]

    @property
    def id(self) -> str:
        suffix = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        return f"{self.url_name}{suffix}-{self.user or self.role or 'anonymous'}"


def list_query_test(lists):
    """The one parametrized test of an app's table: ``test_list_queries = list_query_test(LISTS)``."""
    import pytest

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", lists, ids=lambda case: case.id)
    def test(case, request, client):
        from conftest import verified_client

        if case.user:
            verified_client(client, request.getfixturevalue(case.user))
        elif case.role:
            verified_client(client, request.getfixturevalue("users")[case.role])
        add = request.getfixturevalue(case.rows)
        assert_constant_queries(client, case.url_name, add, query=case.query, label=case.id)

    test.__doc__ = "The list renders with the same number of queries for a few rows and for more."
    return test


def sizes() -> tuple[int, int]:
    few, many = (int(n) for n in os.environ.get("CQS_LIST_ROWS", "2,7").split(","))
    assert 0 < few < many, "CQS_LIST_ROWS must be 'few,many' with 0 < few < many"
    return few, many


# (case id, rows, queries, milliseconds) of every measured render in this process, for the bench.
MEASURED: list[tuple[str, int, int, float]] = []

SHOWN_ALL_UP_TO = 7  # every row is checked on the page at CI sizes; a larger list may be paged


def _render(client, url, query, label, rows, texts):
    cache.clear()  # a list cached until its rows change (the catalogue) is measured as rendered
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, query)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    if rows <= SHOWN_ALL_UP_TO:
        missing = [t for t in texts if t not in body]
        assert not missing, f"{label}: rows the factory added are not on the page: {missing[:5]}"
    else:
        assert any(t in body for t in texts), f"{label}: none of the {rows} rows is on the page"
    MEASURED.append((label, rows, len(queries), elapsed))
    return queries


def assert_constant_queries(client, url_name, add, *, query=None, label=""):
    """Render ``url_name`` with few rows and with many; the number of queries must not change.

    ``client`` is already signed in as the role looking at the list; ``add(n)`` adds ``n`` rows that
    role sees and returns a text of each that the list shows.
    """
    few, many = sizes()
    url = url_name if url_name.startswith("/") else reverse(url_name)
    query = query or {}
    label = label or url_name
    texts = list(add(few))
    assert len(texts) >= few, f"{label}: the factory returned {len(texts)} texts for {few} rows"
    assert client.get(url, query).status_code == 200  # warm: session, content types, site
    small = _render(client, url, query, label, few, texts)
    texts += add(many - few)
    large = _render(client, url, query, label, many, texts)
    if len(large) != len(small):
        a = [q["sql"] for q in small.captured_queries]
        b = [q["sql"] for q in large.captured_queries]
        extra = [sql for sql in b if sql not in a] or b[len(a) :]
        raise AssertionError(
            f"{label}: {len(small)} queries with {few} rows, {len(large)} with {many}; "
            f"queries that grew with the rows:\n  " + "\n  ".join(s[:300] for s in extra[:6])
        )
