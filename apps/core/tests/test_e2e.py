"""End-to-end: a real Chromium signs in with two factors; axe checks accessibility."""

import pytest
from django_otp.oath import totp

from apps.accounts import twofactor
from apps.organizations.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    yield page
    context.close()
    assert not off_host, f"requests left the machine: {off_host}"


@pytest.fixture
def leader_with_totp(make_user):
    user = make_user(Role.LEADER, username="lanhdao", password="Mật-khẩu-123")
    device = twofactor.pending_totp_device(user)
    device.confirmed = True
    device.save()
    return user, device


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_sign_in_with_two_factors_reaches_staff_home(page, live_server, leader_with_totp):
    user, device = leader_with_totp
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "Mật-khẩu-123")
    page.click("button[type=submit].w-100")
    page.wait_for_url("**/xac-thuc-hai-lop/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("#id_code", code)
    page.click("button[type=submit].w-100")
    page.wait_for_url("**/lam-viec/")
    assert page.locator("h1").inner_text().endswith(user.full_name)
    assert page.locator(".module-card").count() >= 1  # the leader sees at least the organisation module

    from axe_playwright_python.sync_playwright import Axe

    assert serious(Axe().run(page)) == []  # the staff home


def test_wrong_code_keeps_the_user_out(page, live_server, leader_with_totp):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "Mật-khẩu-123")
    page.click("button[type=submit].w-100")
    page.wait_for_url("**/xac-thuc-hai-lop/**")
    page.fill("#id_code", "12345")
    page.click("button[type=submit].w-100")
    page.wait_for_selector(".invalid-feedback", state="visible")  # waits for the re-rendered form
    page.goto(f"{live_server.url}/lam-viec/")
    assert "/xac-thuc-hai-lop/" in page.url


def test_public_home_has_no_serious_accessibility_violation(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert serious(Axe().run(page)) == []


def test_login_and_enrolment_pages_have_no_serious_accessibility_violation(page, live_server, make_user):
    from axe_playwright_python.sync_playwright import Axe

    make_user(Role.ADMINISTRATOR, username="quantri", password="Mật-khẩu-123")
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    assert serious(Axe().run(page)) == []
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "Mật-khẩu-123")
    page.click("button[type=submit].w-100")
    # An administrator without a device is sent to enrolment; that page is checked too.
    page.wait_for_url("**/dang-ky/")
    assert serious(Axe().run(page)) == []
