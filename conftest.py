"""Shared test fixtures: the organisation tree, one user per role, and component gates.

A test needing Chromium or ClamAV skips loudly when the component is absent; with
CQS_REQUIRE_ALL=1 (set by .ci/run) such a skip becomes a failure instead.
"""

import os
import shutil

import pytest

from apps.organizations.roles import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


def require_component(name: str, available: bool, how: str) -> None:
    if available:
        return
    message = f"!!! {name} NOT AVAILABLE — test skipped ({how}) !!!"
    if os.environ.get("CQS_REQUIRE_ALL") == "1":
        pytest.fail(message + " CQS_REQUIRE_ALL=1 forbids skipping.", pytrace=False)
    print("\n" + message)
    pytest.skip(message)


def chromium_path() -> str | None:
    path = os.environ.get("CQS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


@pytest.fixture
def chromium():
    path = chromium_path()
    require_component("Chromium", path is not None, "install Debian's chromium or set CQS_CHROMIUM")
    return path


# Headless Chromium that never talks to the internet (a closed network refuses those connections anyway).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium):
    """One Chromium per test, driven by Playwright; end-to-end tests open their own contexts in it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    reachable = False
    if url:
        import redis

        try:
            reachable = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis.RedisError:
            reachable = False
    require_component("Redis", reachable, "set REDIS_URL to a running Redis")
    return url


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} TEST(S) SKIPPED — see the reasons above", red=True)


@pytest.fixture
def tree(db):
    from apps.organizations.models import Organization, OrganizationKind

    province = Organization.objects.create(name="Tỉnh Đắk Lắk", code="t-dl", kind=OrganizationKind.PROVINCE)
    agency = Organization.objects.create(
        name="Sở KH&CN", code="t-skhcn", kind=OrganizationKind.AGENCY, parent=province
    )
    office = Organization.objects.create(
        name="Văn phòng Sở", code="t-vp", kind=OrganizationKind.UNIT, parent=agency
    )
    tech = Organization.objects.create(
        name="Phòng Quản lý Công nghệ", code="t-qlcn", kind=OrganizationKind.UNIT, parent=agency
    )
    other_agency = Organization.objects.create(
        name="Sở Y tế", code="t-syt", kind=OrganizationKind.AGENCY, parent=province
    )
    other_unit = Organization.objects.create(
        name="Văn phòng Sở Y tế", code="t-syt-vp", kind=OrganizationKind.UNIT, parent=other_agency
    )
    return {
        "province": province,
        "agency": agency,
        "office": office,
        "tech": tech,
        "other_agency": other_agency,
        "other_unit": other_unit,
    }


# Where each role sits in the test tree.
ROLE_UNIT = {
    Role.CITIZEN: "province",
    Role.ONE_STOP_OFFICER: "office",
    Role.SPECIALIST: "tech",
    Role.UNIT_HEAD: "tech",
    Role.LEADER: "agency",
    Role.CLERK: "office",
    Role.IT_OFFICER: "tech",
    Role.EDITOR: "office",
    Role.ADMINISTRATOR: "agency",
}


@pytest.fixture
def make_user(db, tree):
    from apps.accounts.models import User
    from apps.accounts.services import sync_groups
    from apps.organizations.models import Membership

    def make(role: str, username: str | None = None, unit: str | None = None, password: str = "Mật-khẩu-123"):
        user = User(
            username=username or f"u-{role}", full_name=f"Người dùng {role}", email=f"{role}@example.vn"
        )
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, organization=tree[unit or ROLE_UNIT[role]], role=role)
        sync_groups(user)
        return user

    return make


@pytest.fixture
def users(make_user):
    return {role: make_user(role) for role in Role}


def verified_client(client, user):
    """A test client signed in with both factors (as after a TOTP step)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _nothing_carried_between_tests():
    """A service called outside any request keeps its failure events for the request's end, and the
    cache outlives the database rollback (cached pages, rate-limit counters): no test hands either
    to the next one."""
    yield
    from django.core.cache import cache

    from apps.core.events import discard_lasting

    discard_lasting()
    cache.clear()
