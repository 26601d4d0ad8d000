"""End-to-end in Chromium: a leader sets up a reporting regime and its template on the staff
screens (a formula naming a missing indicator is refused), then requests an ad-hoc report."""

import datetime

import pytest

from apps.organizations.roles import Role
from apps.tasks.models import ReportPeriod, ReportTemplate

from .test_e2e import serious, session_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_sets_up_a_regime_and_template_then_requests_an_ad_hoc_report(browser, live_server, make_user):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    leader = make_user(Role.LEADER, username="lanhdao")
    url = live_server.url + "/cong-viec/bao-cao"
    page = session_page(browser, live_server, leader)

    page.goto(f"{url}/")
    page.click("a[href='/cong-viec/bao-cao/che-do/']")
    page.click("a[href='/cong-viec/bao-cao/che-do/moi/']")
    page.fill("#id_code", "cds-quy")
    page.fill("#id_name", "Báo cáo tình hình chuyển đổi số hằng quý")
    page.select_option("#id_frequency", "quarterly")
    page.select_option("#id_receiver", label="Sở KH&CN")
    page.select_option("#id_reporters", label=["Phòng Quản lý Công nghệ", "Văn phòng Sở"])
    page.click("main form button[type=submit].btn-primary")
    page.wait_for_selector("#regime-schedule")
    assert "Quý 1/" in page.inner_text("#regime-schedule")
    assert serious(Axe().run(page)) == []

    page.click("main a[href$='/bieu-mau/moi/']")
    page.fill("#id_t-name", "Biểu số liệu chuyển đổi số quý")
    page.fill("#id_t-effective_from", "2022-01-01")
    rows = [
        ("may_tinh", "Số máy tính", "integer", ""),
        ("co_av", "Số máy có phần mềm phòng chống mã độc", "integer", ""),
        ("ty_le_av", "Tỷ lệ máy có phần mềm phòng chống mã độc", "percent", "co_av / so_may * 100"),
    ]
    for i, (code, label, kind, formula) in enumerate(rows):
        page.fill(f"#id_ind-{i}-code", code)
        page.fill(f"#id_ind-{i}-label", label)
        page.select_option(f"#id_ind-{i}-kind", kind)
        page.fill(f"#id_ind-{i}-formula", formula)
    page.click("main form button[type=submit].btn-primary")
    page.wait_for_selector(".alert-danger")
    assert "so_may" in page.inner_text(".alert-danger") and not ReportTemplate.objects.exists()
    assert serious(Axe().run(page)) == []
    page.fill("#id_ind-2-formula", "co_av / may_tinh * 100")
    page.click("main form button[type=submit].btn-primary")
    page.wait_for_selector("#regime-schedule")
    template = ReportTemplate.objects.get()
    assert [i.code for i in template.indicators.all()] == ["may_tinh", "co_av", "ty_le_av"]
    assert "co_av / may_tinh * 100" in page.content()

    today = datetime.date.today()
    page.click("a[href='/cong-viec/bao-cao/']")
    page.click("main a[href='/cong-viec/bao-cao/dot-xuat/']")
    page.select_option("#id_template", str(template.pk))
    page.fill("#id_label", "Báo cáo đột xuất tình hình phòng chống mã độc")
    page.select_option("#id_units", label=["Văn phòng Sở"])
    page.fill("#id_cutoff_from", (today - datetime.timedelta(days=30)).isoformat())
    page.fill("#id_cutoff_to", today.isoformat())
    page.fill("#id_due_date", (today + datetime.timedelta(days=5)).isoformat())
    assert serious(Axe().run(page)) == []
    page.click("main form button[type=submit].btn-primary")
    page.wait_for_url("**/ky-bao-cao/*/")
    period = ReportPeriod.objects.get()
    assert period.is_ad_hoc and [r.organization.name for r in period.unit_reports.all()] == ["Văn phòng Sở"]
    assert "Báo cáo đột xuất tình hình phòng chống mã độc" in page.inner_text("h1")
    assert not page.off_host, page.off_host
