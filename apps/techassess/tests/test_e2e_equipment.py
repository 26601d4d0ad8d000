"""End-to-end in Chromium: the equipment list's rows are added and removed in the browser (no inline
script), saved, and shown again at the next sitting."""

import pytest

from apps.organizations.roles import Role
from apps.techassess import services
from apps.techassess.models import Survey

from .test_e2e import PASSWORD, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_equipment_rows_are_added_removed_and_saved(browser, live_server, methods, make_user):  # noqa: F811
    owner = make_user(Role.CITIZEN, username="doanhnghiep", password=PASSWORD)
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "DN Thiết bị", "tax_code": "6000123999", "vsic_code": "2592", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    context, page = sign_in(browser, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/phan/equipment/")
    rows = page.locator(".techassess-table tbody tr")
    assert rows.count() == 0
    for name, year, origin in (
        ("Máy tiện", "2016", "g7"),
        ("Máy phay", "2018", "asia"),
        ("Máy hàn", "2020", "domestic"),
    ):
        page.click("#id_equipment_list-add")
        row = rows.last
        row.locator("input[name$='-name']").fill(name)
        row.locator("input[name$='-year']").fill(year)
        row.locator("select[name$='-origin']").select_option(origin)
        row.locator("input[name$='-quantity']").fill("1")
        row.locator("input[name$='-value']").fill("100")
    assert rows.count() == 3 and page.locator("[data-table-count]").inner_text() == "3"
    from axe_playwright_python.sync_playwright import Axe

    serious = [
        (v["id"], [n["html"][:100] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    rows.nth(1).locator("[data-table-remove]").click()
    assert rows.count() == 2 and rows.nth(1).locator("[data-row-number]").inner_text() == "2"
    page.fill("#id_equipment_avg_age", "")
    page.click("#save-exit")
    page.wait_for_url(f"**/phieu/{survey.pk}/")
    survey = Survey.objects.get(pk=survey.pk)
    assert [r["name"] for r in survey.answers["equipment_list"]] == ["Máy tiện", "Máy hàn"]
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/phan/equipment/")
    assert rows.count() == 2 and page.input_value("input[name='equipment_list-1-name']") == "Máy hàn"
    assert not page.off_host
    context.close()
