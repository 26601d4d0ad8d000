"""End-to-end in Chromium: the planner revises the 2022 plan, edits a target and an appendix line and
submits; the leader approves; the DOCX and PDF downloads carry the right figures."""

import re
import subprocess
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client

from apps.plans.models import Plan, PlanStatus
from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page_for(browser, live_server, user, off_host):
    client = verified_client(Client(), user)
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
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
    errors: list[str] = []
    # The shell's own inline-style reports (htmx indicator styles under style-src 'self') are not
    # this module's; any other console error (a script error, a blocked script) fails the test.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "'style-src" not in m.text else None,
    )
    page.errors = errors
    return page


def _download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def test_planner_edits_submits_leader_approves_and_downloads(demo_committed, browser, live_server, tmp_path):
    # demo_committed first: the seed signs PDFs with asyncio, before Playwright's loop is running.
    off_host: list[str] = []
    users, approved = demo_committed["users"], demo_committed["plans"][2022]
    planner = _page_for(browser, live_server, users["cntt"], off_host)
    planner.goto(f"{live_server.url}/ke-hoach/{approved.pk}/")
    planner.click("#action-revise")
    planner.wait_for_selector("#edit-targets")
    draft = Plan.objects.get(organization=approved.organization, year=2022, version=2)
    assert planner.url.rstrip("/").endswith(f"/ke-hoach/{draft.pk}")

    planner.click("#edit-targets")
    planner.fill("#id_targets-0-target_value", "95")
    planner.click("#save")
    planner.wait_for_selector("#targets")
    assert "95,00 %" in planner.locator("#targets").inner_text()

    planner.click("#edit-project-1")
    planner.fill("#id_total", "140")
    planner.fill("#id_recurrent", "140")
    planner.click("#save")
    planner.wait_for_selector("#appendix-total")
    assert planner.locator("#appendix-total").inner_text().strip() == "410"
    assert "Bốn trăm mười triệu đồng" in planner.locator("#total-words").inner_text()

    planner.fill("#action-note", "Trình Lãnh đạo Sở")
    planner.click("#action-submit")
    planner.wait_for_selector("#plan-status")
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.SUBMITTED

    leader = _page_for(browser, live_server, users["lanhdao"], off_host)
    leader.goto(f"{live_server.url}/ke-hoach/{draft.pk}/")
    leader.click("#action-approve")
    leader.wait_for_selector("#figures-state")
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.APPROVED

    from docx import Document

    docx = Document(BytesIO(_download(leader, "#download-docx")))
    text = " ".join(p.text for p in docx.paragraphs)
    cells = [[c.text for c in row.cells] for row in docx.tables[-1].rows]
    assert "nhiệm vụ chuyên môn: 77 máy" in text and "97 tài khoản" in text and "47 hồ sơ" in text
    assert "(Bằng chữ: Bốn trăm mười triệu đồng)." in text
    assert cells[3][5] == "140" and cells[-1][5] == "410"

    pdf_path = tmp_path / "plan.pdf"
    pdf_path.write_bytes(_download(leader, "#download-pdf"))
    pdf = re.sub(
        r"\s+",
        " ",
        subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout,
    )
    assert "nhiệm vụ chuyên môn: 77 máy" in pdf and "Tổng kinh phí: 267.000.000 đồng" in pdf
    assert "Bốn trăm mười triệu đồng" in pdf

    leader.goto(f"{live_server.url}/ke-hoach/tong-quan/?plan={draft.pk}")
    leader.wait_for_selector("#chart-budget")
    assert leader.evaluate("() => !!Chart.getChart(document.getElementById('chart-budget'))")
    assert off_host == [] and planner.errors == [] and leader.errors == []
