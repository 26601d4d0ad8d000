"""End-to-end in Chromium: a specialist reports an incident; the IT officer triages and closes it."""

import pytest
from django.conf import settings
from django.test import Client

from apps.itsec.models import Incident, IncidentStatus
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page_for(browser, live_server, user, off_host):
    """A browser signed in as `user` (both factors), by the session of a verified test client."""
    client = verified_client(Client(), user)
    context = browser.new_context(locale="vi-VN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    return page


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_specialist_reports_it_officer_triages_and_closes(browser, live_server, make_user):
    from axe_playwright_python.sync_playwright import Axe

    off_host: list[str] = []
    specialist = make_user(Role.SPECIALIST, username="chuyenvien")
    officer = make_user(Role.IT_OFFICER, username="cntt")

    page = _page_for(browser, live_server, specialist, off_host)
    page.goto(f"{live_server.url}/ha-tang-atttt/su-co/bao-cao/")
    page.fill("#id_title", "Máy tính báo nhiễm mã độc")
    page.fill("#id_description", "Phần mềm diệt virus cảnh báo tệp đính kèm thư điện tử.")
    page.fill("#id_occurred_at", "2024-05-02T08:30")
    assert serious(Axe().run(page)) == []
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/su-co/*/")
    incident = Incident.objects.get()
    assert incident.reported_by == specialist
    assert incident.code in page.locator("h1").inner_text()
    # The specialist may not triage: no triage form on the page.
    assert page.locator("#triage-submit").count() == 0

    page = _page_for(browser, live_server, officer, off_host)
    page.goto(f"{live_server.url}/ha-tang-atttt/su-co/{incident.pk}/")
    page.select_option("#id_severity", "high")
    page.select_option("#id_category", "malware")
    page.click("#triage-submit")
    page.wait_for_selector("#step-submit")
    page.fill("#id_action", "Cách ly máy tính khỏi mạng, quét toàn bộ ổ đĩa")
    page.click("#step-submit")
    page.wait_for_selector("text=Cách ly máy tính khỏi mạng")
    assert serious(Axe().run(page)) == []
    page.fill("#id_lessons_learned", "Không mở tệp đính kèm lạ; cập nhật mẫu nhận diện hằng ngày.")
    page.click("#close-submit")
    page.wait_for_selector("#lessons")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.severity == "high" and incident.assigned_to == officer
    assert (
        page.locator("#incident-status").inner_text() == str(IncidentStatus.CLOSED.label)
        or incident.closed_at
    )
    assert [h.to_state for h in incident.status_changes.all()] == [
        "reported",
        "triaged",
        "responding",
        "closed",
    ]
    assert not off_host, off_host
