"""End-to-end in Chromium: the acceptance scenario of issue 6.

A leader assigns a task to two units; one reports completion with an evidence file and is
accepted; the other asks for an extension that is granted, then goes late and shows on the
leader's board as overdue ("today" for the board is passed as ?on=, no sleeping).
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from apps.organizations.roles import Role
from apps.tasks.models import Assignment, AssignmentStatus
from conftest import verified_client

from .conftest import make_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def session_page(browser, live_server, user):
    """A page signed in as `user` (both factors passed), without typing TOTP codes."""
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
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    page.off_host = off_host
    return page


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_assign_complete_accept_extend_and_overdue_on_board(browser, live_server, make_user, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    leader = make_user(Role.LEADER, username="lanhdao")
    head = make_user(Role.UNIT_HEAD, username="tp-qlcn", unit="tech")
    office_staff = make_user(Role.SPECIALIST, username="cv-vp", unit="office")
    today = datetime.date.today()
    due = today + datetime.timedelta(days=5)
    extended = today + datetime.timedelta(days=12)
    url = live_server.url + "/cong-viec"

    # 1. the leader assigns one task to two units
    lp = session_page(browser, live_server, leader)
    lp.goto(f"{url}/giao-viec/")
    lp.fill("#id_title", "Rà soát, sửa đổi quy chế sử dụng thiết bị và hệ thống CNTT")
    lp.fill("#id_source_reference", "Kế hoạch 172/KH-SKHCN, mục 4.6")
    lp.select_option("#id_units", label=["Phòng Quản lý Công nghệ", "Văn phòng Sở"])
    lp.fill("#id_due_date", due.isoformat())
    lp.click("form button[type=submit].btn-primary")
    lp.wait_for_url("**/theo-doi/")
    assert Assignment.objects.count() == 2
    tech = Assignment.objects.get(unit__code="t-qlcn")
    office = Assignment.objects.get(unit__code="t-vp")

    # 2. the tech unit reports completion with an evidence file
    hp = session_page(browser, live_server, head)
    hp.goto(f"{url}/")
    hp.click(f"a[href='/cong-viec/nhiem-vu/{tech.pk}/']")
    evidence = tmp_path / "bao-cao-ket-qua.pdf"
    evidence.write_bytes(make_pdf())
    hp.fill("#id_done-note", "Đã ban hành quy chế sửa đổi")
    hp.set_input_files("#id_done-files", str(evidence))
    hp.click("#complete-form button[type=submit]")
    hp.wait_for_selector("text=bao-cao-ket-qua.pdf")
    assert (
        "Completion reported" in hp.inner_text("#assignment-status")
        or "hoàn thành" in hp.inner_text("#assignment-status").lower()
    )

    # 3. the leader accepts it
    lp.goto(f"{url}/nhiem-vu/{tech.pk}/")
    lp.select_option("#id_review-decision", "accept")
    lp.click("#review-form button[type=submit]")
    lp.wait_for_load_state()
    tech.refresh_from_db()
    assert tech.status == AssignmentStatus.DONE

    # 4. the office asks for an extension; the leader grants it
    op = session_page(browser, live_server, office_staff)
    op.goto(f"{url}/nhiem-vu/{office.pk}/")
    op.fill("#id_ext-new_due_date", extended.isoformat())
    op.fill("#id_ext-reason", "Chờ ý kiến góp ý của các phòng")
    op.click("#extension-form button[type=submit]")
    op.wait_for_load_state()
    lp.goto(f"{url}/nhiem-vu/{office.pk}/")
    lp.select_option("#id_decide-decision", "approve")
    lp.fill("#id_decide-note", "Đồng ý gia hạn")
    lp.click("#decide-form button[type=submit]")
    lp.wait_for_load_state()
    assert extended.strftime("%d/%m/%Y") in lp.inner_text("#assignment-due")

    # 5. after the new deadline the leader's board shows the office's task as overdue
    later = extended + datetime.timedelta(days=3)
    lp.goto(f"{url}/theo-doi/?on={later.isoformat()}")
    assert lp.inner_text("#total-overdue").strip() == "1"
    overdue = lp.inner_text("#overdue-list")
    assert "Rà soát, sửa đổi quy chế" in overdue and "Văn phòng Sở" in overdue
    assert "Phòng Quản lý Công nghệ" not in overdue
    lp.wait_for_function("document.querySelector('#chart-units').width > 0")  # Chart.js drew (static JS, CSP)
    assert serious(Axe().run(lp)) == []
    for page in (lp, hp, op):
        assert not page.off_host, page.off_host


def test_public_weekly_schedule_without_sign_in(browser, live_server, make_user, tree):
    from axe_playwright_python.sync_playwright import Axe

    from apps.tasks import services
    from apps.tasks.models import Room

    leader = make_user(Role.LEADER, username="lanhdao")
    room = Room.objects.create(organization=tree["agency"], name="Phòng họp số 1")
    monday = datetime.date(2026, 3, 9)
    start = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)  # Tuesday 08:00 in Đắk Lắk
    services.schedule_meeting(
        leader,
        title="Họp Ban chỉ đạo chuyển đổi số",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        room=room,
        chair="Giám đốc Sở",
        organization=tree["agency"],
    )
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/cong-viec/lich-cong-tac/?co-quan=t-skhcn&tuan={monday.isoformat()}")
    table = page.inner_text("#schedule")
    assert "Họp Ban chỉ đạo chuyển đổi số" in table and "08:00" in table and "Giám đốc Sở" in table
    assert serious(Axe().run(page)) == []
