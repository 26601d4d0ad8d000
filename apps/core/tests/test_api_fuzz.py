"""Schemathesis over the whole published OpenAPI schema (#16): every operation, as an anonymous
visitor, a signed-in citizen and an administrator's integration token with every scope.

The schema is loaded from the Django application in-process (`/api/schema/` through WSGI) and each
generated request is sent three times, once per caller. Checks: no 5xx, the status code is one the
schema documents, and the body, content type and headers match the schema. Few examples per
operation and a fixed seed keep the run short and reproducible in CI.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.organizations.roles import Role

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept inside the test's transaction.

    A real WSGI handler closes the database connection at the end of each request; Django's own test
    client stops that for the same reason (it would drop the test's transaction and its rows)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    """Demo data of most modules: lists answer with real rows."""
    from apps.core import demo

    # The dossiers' and the portal's seeders take most of the time (≈ 35 s): those lists stay empty.
    kept = {"foundation", "procedures", "documents", "itsec", "tasks", "techassess", "plans"}
    for _order, name, seed in sorted(demo._seeders, key=lambda s: s[0]):
        if name in kept:
            with transaction.atomic():
                seed()


@pytest.fixture
def api_schema(wsgi_app, seeded):
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)


def _citizen_session():
    """Cookies and header of a signed-in citizen (session authentication, CSRF token included)."""
    from apps.accounts.models import User
    from apps.organizations.models import Membership, Organization

    citizen = User.objects.create(username="fuzz-nguoi-dan", full_name="Nguyễn Thị Dân")
    province = Organization.objects.filter(parent=None).first()
    Membership.objects.create(user=citizen, organization=province, role=Role.CITIZEN)
    client = Client()
    client.force_login(citizen)
    csrf = get_random_string(32)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


def _admin_token():
    """An integration client with every scope, issued for the top of the organisation tree."""
    from apps.accounts.models import ApiClient
    from apps.organizations.models import Organization

    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Tích hợp quản trị (kiểm thử)",
        organization=Organization.objects.filter(parent=None).first(),
        scopes=[code for code, _label in ApiClient.SCOPES],
        token_prefix=prefix,
        token_hash=digest,
    )
    return {"Authorization": f"Token {raw}"}


@pytest.fixture
def callers(api_schema):
    cookies, csrf = _citizen_session()
    return {
        "anonymous": {"headers": {}, "cookies": {}},
        "citizen": {"headers": csrf, "cookies": cookies},
        "admin_token": {"headers": _admin_token(), "cookies": {}},
    }


def _run(operation, mode, examples, callers, failures):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        derandomize=True,  # the same requests on every run: a CI failure replays locally
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # report the first failure as found, unshrunk
        suppress_health_check=list(HealthCheck),
    )
    def send(case):
        # Each caller sends its own credentials only: a generated Authorization header or session
        # cookie (the schema's security schemes) would turn every caller into an unknown one.
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != "sessionid"}
        for name, caller in callers.items():
            try:
                case.call_and_validate(headers=caller["headers"], cookies=caller["cookies"], checks=CHECKS)
            except (Exception, FailureGroup) as failure:
                failures.setdefault(f"{operation.label} ({mode.value}, {name})", str(failure))
                raise

    with contextlib.suppress(Exception, FailureGroup):  # recorded in `failures`; the others still run
        send()


# Few examples: each one is sent three times, and the whole file must stay within CI's budget.
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}


def test_every_operation_as_every_caller(api_schema, callers):
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25, [op.label for op in operations]  # the schema lost operations
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            _run(operation, mode, examples, callers, failures)
    assert not failures, "\n\n".join(f"{where}:\n{what}" for where, what in failures.items())


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_no_api_route_matches_answers_json_not_the_portal_page(method):
    # Found by the fuzzing: a malformed id or action fell through to the portal's catch-all (an HTML
    # page, and for a POST Django's English CSRF page).
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/itsec/systems/khong-phai-so/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy."}
