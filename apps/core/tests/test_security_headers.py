"""Every response carries the hardening headers under the production security settings (#16).

The settings below are those of config/settings/production.py (read from it, not restated), so
the test fails if production loses one. Pages of every kind are fetched: public, signed-in staff,
the API, a 404, a form POST and a static file, because a header added by a view or a decorator
(the content office's relaxed CSP) must not leak to the rest.
"""

import ast
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from apps.organizations.roles import Role
from conftest import verified_client

PRODUCTION = Path(__file__).resolve().parents[3] / "config" / "settings" / "production.py"
NAMES = {
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
}


def production_settings() -> dict:
    """The literal security settings of production.py (HSTS: its default of one year)."""
    found = {}
    for node in ast.parse(PRODUCTION.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in NAMES:
                found[name] = ast.literal_eval(node.value)
    assert set(found) == NAMES, f"production.py no longer sets {NAMES - set(found)}"
    return {**found, "SECURE_HSTS_SECONDS": 31536000, "SECURE_SSL_REDIRECT": False}


PAGES = [
    ("public home", None, "GET", lambda: "/"),
    ("catalogue", None, "GET", lambda: reverse("procedures:catalogue")),
    ("status lookup", None, "GET", lambda: reverse("dossiers:status")),
    ("login", None, "GET", lambda: reverse("accounts:login")),
    ("not found", None, "GET", lambda: "/khong-co-trang-nay/"),
    ("API", None, "GET", lambda: "/api/v1/procedures/catalogue/"),
    ("status lookup POST", None, "POST", lambda: reverse("dossiers:status")),
    ("one-stop inbox", Role.ONE_STOP_OFFICER, "GET", lambda: reverse("dossiers:inbox")),
    ("incoming register", Role.CLERK, "GET", lambda: reverse("documents:incoming_list")),
]


@pytest.fixture
def hardened(settings):
    with override_settings(**production_settings()):
        yield


@pytest.mark.parametrize("name,role,method,path", PAGES, ids=[p[0] for p in PAGES])
def test_hardening_headers_on_every_kind_of_response(hardened, users, name, role, method, path):
    client = verified_client(Client(), users[role]) if role else Client()
    response = getattr(client, method.lower())(path(), secure=True)
    assert response.status_code < 500, name
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    for cookie in response.cookies.values():
        assert cookie["secure"], f"{name}: cookie {cookie.key} is not Secure"
        assert cookie["samesite"], f"{name}: cookie {cookie.key} has no SameSite"
        if cookie.key == "sessionid":
            assert cookie["httponly"], f"{name}: the session cookie is readable by scripts"


def test_session_cookie_after_sign_in_is_secure_and_http_only(hardened, make_user):
    user = make_user(Role.CITIZEN, username="cong-dan-cookie")
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Mật-khẩu-123"}, secure=True
    )
    session = response.cookies.get("sessionid")
    assert session is not None, "signing in set no session cookie"
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.parametrize(
    "name,path",
    [("sign-in", lambda: reverse("accounts:login")), ("status lookup", lambda: reverse("dossiers:status"))],
)
def test_a_form_posted_without_its_csrf_token_is_refused(db, name, path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path(), {"username": "ai-do", "password": "x", "code": "H-1", "factor": "1"})
    assert response.status_code == 403, name
    assert "Vui lòng tải lại trang rồi gửi lại" in response.content.decode(), "not the Vietnamese page"
