"""End-to-end in Chromium: the citizen signs in, lands on “Hồ sơ của tôi”, sees that their received
dossier waits for a supplement, opens it without giving code and phone again, and finds the
messages in their notifications (issue #18, point 1)."""

import pytest

from apps.dossiers import services
from apps.dossiers.models import State
from apps.dossiers.notifications import ensure_templates
from apps.organizations.roles import Role

from .test_e2e import serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_follows_a_dossier_from_my_dossiers(browser, live_server, users, make_user, submit, settings):
    settings.LANGUAGE_CODE = "vi"  # the messages are written in the platform's language
    ensure_templates()
    citizen = make_user(Role.CITIZEN, username="congdan")
    dossier = submit(applicant_user=citizen)
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    services.act(dossier.pk, "transfer", actor=users[Role.ONE_STOP_OFFICER])
    services.act(dossier.pk, "assign", actor=users[Role.LEADER], handler=users[Role.SPECIALIST])
    services.act(
        dossier.pk,
        "request_supplement",
        actor=users[Role.SPECIALIST],
        items=["Bản sao giấy chứng nhận có chứng thực"],
        note="Bản sao chưa có chứng thực.",
    )
    other = submit(applicant_user=make_user(Role.CITIZEN, username="congdan-khac"))

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", "Mật-khẩu-123")
    page.click("button[type=submit].w-100")
    page.wait_for_url("**/ho-so/cua-toi/")

    assert page.locator("h1").inner_text() == "Hồ sơ của tôi"
    assert page.locator("#nav-personal-home").inner_text().strip() == "Hồ sơ của tôi"
    row = page.locator(f'tr[data-dossier="{dossier.code}"]')
    assert row.count() == 1 and page.locator(f'tr[data-dossier="{other.code}"]').count() == 0
    assert row.locator("[data-state]").inner_text() == "Chờ bổ sung"
    assert "Cần bổ sung hồ sơ" in row.locator("[data-expected]").inner_text()
    assert page.locator("#my-dossiers-waiting").is_visible()
    assert serious(page) == []

    row.get_by_role("link", name="Cần bổ sung hồ sơ").click()
    page.wait_for_selector("#supp-title")  # the status page itself: no code and phone asked
    assert "/tra-cuu/" in page.url and str(dossier.pk) not in page.url.split("/tra-cuu/")[1].split(":")[0]
    assert page.locator("#citizen-state").inner_text() == "Chờ bổ sung"
    assert "Bản sao giấy chứng nhận có chứng thực" in page.locator("section").first.inner_text()

    page.click("a.nav-link[href='/thong-bao/']")
    page.wait_for_url("**/thong-bao/")
    titles = page.locator("article h2").all_inner_texts()
    assert any(f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện" in t for t in titles), titles
    assert any(f"Hồ sơ {dossier.code} đã được tiếp nhận" in t for t in titles), titles
    assert "Bản sao giấy chứng nhận có chứng thực" in page.locator("main").inner_text()
    assert serious(page) == []
    context.close()
    assert type(dossier).objects.get(pk=dossier.pk).state == State.SUPPLEMENT_REQUESTED
