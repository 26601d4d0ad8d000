"""End-to-end in Chromium: a walk-in dossier refused with form 03; the online flow with payment."""

import socket
import threading

import pytest
from django.test import Client
from django.urls import reverse

from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def page_as(browser, live_server, user=None):
    """A browser page signed in as `user` (two factors passed), or anonymous."""
    context = browser.new_context(locale="vi-VN")
    if user is not None:
        client = verified_client(Client(), user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    return context.new_page()


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {[n['html'][:150] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_walk_in_dossier_refused_with_form_03(browser, live_server, users, catalogue, media):
    page = page_as(browser, live_server, users[Role.ONE_STOP_OFFICER])
    page.goto(f"{live_server.url}/ho-so/tiep-nhan-truc-tiep/")
    page.select_option("#version", "2")
    page.click("#choose-procedure")
    page.fill("#applicant_name", "Trần Thị Bích")
    page.fill("#applicant_phone", "0912345678")
    page.fill("#f_purpose", "Kiểm định thiết bị")
    page.set_input_files(
        "#doc_don", files=[{"name": "don.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.click("#record-dossier")
    page.wait_for_selector("#dossier-state")
    assert serious(page) == []
    page.fill("#note-refuse", "Thủ tục không thuộc thẩm quyền giải quyết của Sở.")
    page.click("button[data-action=refuse]")
    page.wait_for_selector("a[data-form='03']")
    assert page.locator("#dossier-state").inner_text() == str(State.REFUSED.label)
    dossier = Dossier.objects.get()
    assert dossier.state == State.REFUSED and dossier.channel == "walk_in"
    response = page.request.get(live_server.url + page.locator("a[data-form='03']").get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sandbox(settings):
    from apps.dossiers.sandbox_gateway import serve

    port = free_port()
    settings.PAYMENT_SANDBOX_SECRET = "e2e-secret"
    settings.PAYMENT_SANDBOX_URL = f"http://localhost:{port}"
    server, app = serve(port, "e2e-secret")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app
    server.shutdown()
    server.server_close()


def act(page, action, note="", **fields):
    for selector, value in fields.items():
        page.fill(selector, value) if not selector.startswith("select:") else page.select_option(
            selector[7:], value
        )
    if note:
        page.fill(f"#note-{action}", note)
    page.click(f"button[data-action={action}]")
    page.wait_for_load_state()


def test_online_dossier_from_submission_to_rating(browser, live_server, users, catalogue, media, sandbox):
    citizen = page_as(browser, live_server, users[Role.CITIZEN])
    # The multi-step form: applicant, request (saved; resumed from the link), components, check.
    citizen.goto(f"{live_server.url}/ho-so/nop-truc-tuyen/")
    citizen.fill("#q", "cap giay phep tien hanh")  # no diacritics
    citizen.press("#q", "Enter")
    citizen.wait_for_load_state()
    citizen.click("text=Cấp giấy phép tiến hành công việc bức xạ 1")
    citizen.wait_for_selector("#applicant_name")
    assert citizen.url.endswith("/ho-so/nop-truc-tuyen/1/")
    citizen.fill("#applicant_name", "Nguyễn Văn An")
    citizen.fill("#applicant_phone", "0905123456")
    citizen.click("#next-step")
    citizen.fill("#f_purpose", "Sử dụng thiết bị X-quang chẩn đoán")
    citizen.click("#save-draft")
    resume = citizen.locator("#resume-link a").get_attribute("href")
    assert Dossier.objects.get().state == State.DRAFT
    citizen.goto(resume)
    assert citizen.locator("#f_purpose").input_value() == "Sử dụng thiết bị X-quang chẩn đoán"
    assert serious(citizen) == []
    citizen.click("#next-step")
    pdf = {"mimeType": "application/pdf", "buffer": pdf_bytes()}
    citizen.set_input_files("#doc_don", files=[{"name": "don.pdf", **pdf}])
    citizen.set_input_files("#doc_giayphep", files=[{"name": "giay-phep.pdf", **pdf}])
    citizen.click("#next-step")
    citizen.wait_for_selector("#review")
    assert "giay-phep.pdf" in citizen.locator("#review").inner_text()
    assert Dossier.objects.get().code is None  # nothing is submitted before the last step
    citizen.click("#submit-dossier")
    citizen.wait_for_selector("#citizen-state")
    dossier = Dossier.objects.get()
    assert dossier.documents.exclude(file=None).count() == 2

    # Pay the fee in the sandbox: the gateway page, then back to the status page.
    citizen.click("#pay-fee")
    citizen.click("#go-to-gateway")
    citizen.wait_for_selector("#sandbox-pay")
    assert citizen.locator("#amount").inner_text() == "500000"
    citizen.click("#sandbox-pay")
    citizen.wait_for_selector("#fee-paid")
    dossier.refresh_from_db()
    assert dossier.paid

    officer = page_as(browser, live_server, users[Role.ONE_STOP_OFFICER])
    detail = f"{live_server.url}/ho-so/{dossier.pk}/"
    officer.goto(detail)
    act(officer, "receive")
    form_01 = officer.request.get(
        live_server.url + officer.locator("a[data-form='01']").get_attribute("href")
    )
    assert form_01.body().startswith(b"%PDF")
    act(officer, "transfer")

    head = page_as(browser, live_server, users[Role.UNIT_HEAD])
    head.goto(detail)
    head.select_option("select[name=handler]", str(users[Role.SPECIALIST].pk))
    act(head, "assign")

    specialist = page_as(browser, live_server, users[Role.SPECIALIST])
    specialist.goto(detail)
    specialist.fill("textarea[name=items]", "Bản vẽ mặt bằng phòng đặt thiết bị")
    act(specialist, "request_supplement", note="Thiếu bản vẽ mặt bằng.")
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED

    citizen.goto(live_server.url + reverse("dossiers:status_detail", args=[dossier.pk]))
    citizen.set_input_files("#files", files=[{"name": "ban-ve.pdf", **pdf}])
    citizen.click("#send-supplement")
    citizen.wait_for_selector("#citizen-state")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROCESS

    specialist.goto(detail)
    act(specialist, "propose", note="Đề nghị cấp giấy phép.")
    leader = page_as(browser, live_server, users[Role.LEADER])
    leader.goto(detail)
    act(leader, "approve")
    specialist.goto(detail)
    act(specialist, "issue_result")
    officer.goto(detail)
    act(officer, "return_result")
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.result_number

    citizen.goto(live_server.url + reverse("dossiers:status_detail", args=[dossier.pk]))
    result = citizen.request.get(live_server.url + citizen.locator("#download-result").get_attribute("href"))
    assert result.body().startswith(b"%PDF")
    citizen.select_option("#score", "5")
    citizen.click("#rate")
    citizen.wait_for_selector("#citizen-state")
    dossier.refresh_from_db()
    assert dossier.rating.score == 5
    assert serious(citizen) == []
