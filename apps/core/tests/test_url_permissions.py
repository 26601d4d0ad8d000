"""Every URL declares who may use it, and the declaration holds (NetBox's ViewTestCases idea).

The walk: every route the resolver knows must carry an `access` rule (its view is wrapped by
`core.access.require` or its class declares `access_rule`), or belong to a third-party family
declared with `access.declare_foreign` (Django admin, Wagtail admin). Each route is then requested
as an anonymous visitor and as one user of every role, with identifiers that name no object:

- a visitor the rule refuses is sent to the login page (anonymous) or refused with 403 (signed in),
  before the view looks anything up, so a refusal never tells whether the object exists;
- a visitor the rule admits is never refused with 403 by the gate and never meets a server error.

Whether a *real* object of another unit or citizen is hidden (404) is tested by each app's own
permission tests, which build those objects.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core import access
from apps.organizations.roles import Role
from conftest import verified_client

NO_ID = "987654321"
FAKE = {"int": NO_ID, "id": NO_ID, "uuid": str(uuid.UUID(int=7)), "slug": "khong-co", "str": "khong-co"}


def _walk(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield namespace, prefix + str(p.pattern), p


def _routes():
    return list(_walk(get_resolver().url_patterns))


def _rule(namespace, route, pattern):
    return access.rule_of(pattern.callback) or access.foreign_rule(namespace, route)


def _url(route: str) -> str | None:
    import re

    if route.startswith("^") or "(?P" in route:
        return None  # regex routes belong to third-party families
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: FAKE.get(m.group(1) or "str", "khong-co"), route)


OWN = [(ns, route, p) for ns, route, p in _routes() if access.foreign_rule(ns, route) is None]
IDS = [f"{ns}:{p.name}" if p.name else route for ns, route, p in OWN]


def test_every_route_declares_a_rule():
    missing = sorted(
        f"/{route} ({ns + ':' if ns else ''}{p.name or '-'}) → {getattr(p.callback, '__module__', '?')}"
        for ns, route, p in _routes()
        if _rule(ns, route, p) is None
    )
    assert not missing, f"{len(missing)} routes declare no access rule:\n" + "\n".join(missing)


def test_removing_a_rule_is_noticed():
    """The check sees a route without a rule (a test that cannot fail proves nothing)."""

    def bare(request):
        return None

    assert access.rule_of(bare) is None
    assert access.rule_of(access.require(access.SIGNED_IN)(bare)) is access.SIGNED_IN


@pytest.fixture
def visitors(users):
    """An anonymous visitor and one client per role, signed in with both factors."""
    found = {"anonymous": (None, Client(raise_request_exception=False))}
    for role in Role:
        user = users[role]
        found[role] = (user, verified_client(Client(raise_request_exception=False), user))
    return found


@pytest.mark.parametrize(("namespace", "route", "pattern"), OWN, ids=IDS)
def test_route_keeps_its_rule(namespace, route, pattern, visitors):
    declared = _rule(namespace, route, pattern)
    if declared is None:
        pytest.fail(f"/{route} declares no access rule")
    url = _url(route)
    if url is None:
        pytest.skip("regex route")
    for who, (user, client) in visitors.items():
        response = client.get(url)
        status = response.status_code
        where = f"{who} GET {url} (rule “{declared.name}”) → {status}"
        assert status < 500, where
        if declared.allows(user):
            assert status != 403, where
        elif user is None:
            assert status in (302, 401, 403, 405), where
            if status == 302:
                assert "dang-nhap" in response["Location"] or "login" in response["Location"], where
        else:
            assert status in (403, 405), where
