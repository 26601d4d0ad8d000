"""End-to-end in Chromium: an enterprise registers, fills the survey over two sittings and submits;
an officer returns it once, then accepts; the enterprise sees its result with the radar chart and
downloads the PDF."""

import json

import pytest

from apps.organizations.roles import Role
from apps.techassess.models import AssessmentResult, Survey, SurveyStatus

from .golden import MID_MECHANICAL

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mật-khẩu-123"


def sign_in(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    page.off_host = off_host
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].w-100")
    page.wait_for_load_state()
    return context, page


def fill_section(page, section):
    for q in section["questions"]:
        value = MID_MECHANICAL.get(q["code"])
        selector = f"#id_{q['code']}"
        if value is None:
            continue
        if q["type"] == "boolean":
            page.select_option(selector, "true" if value else "false")
        elif q["type"] == "choice":
            page.select_option(selector, str(value))
        else:
            page.fill(selector, str(value))


def test_enterprise_survey_return_accept_and_result(browser, live_server, methods, make_user):
    make_user(Role.CITIZEN, username="doanhnghiep", password=PASSWORD)
    make_user(Role.SPECIALIST, username="chuyenvien", password=PASSWORD)
    sections = methods["demo"].definition["sections"]

    # The enterprise registers and fills the first sections, then leaves.
    context, page = sign_in(browser, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/")
    page.click("#register-enterprise")
    page.fill("#id_name", "Công ty TNHH Cơ khí Ea Kao")
    page.fill("#id_tax_code", "6000123456")
    page.fill("#id_vsic_code", "2592")
    page.fill("#id_commune", "Phường Ea Kao")
    page.click("button[type=submit].btn-primary")
    page.click("#start-survey")
    for section in sections[:3]:
        assert page.locator("h1").inner_text() == section["title"]
        fill_section(page, section)
        page.click("#save-next")
    fill_section(page, sections[3])
    page.click("#save-exit")
    assert "Sản lượng" in page.content() or page.locator("#submit-survey").is_visible()
    survey = Survey.objects.get()
    assert survey.status == SurveyStatus.DRAFT and len(survey.sections_saved) == 4
    context.close()

    # Second sitting: resume where it stopped, finish and submit.
    context, page = sign_in(browser, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/phan/{sections[0]['code']}/")
    assert page.input_value("#id_employees_total") == "50"
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/phan/{sections[4]['code']}/")
    for section in sections[4:]:
        fill_section(page, section)
        page.click("#save-next")
    page.click("#submit-survey")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SUBMITTED
    context.close()

    # The officer returns it once.
    officer_context, officer = sign_in(browser, live_server, "chuyenvien")
    officer.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/")
    officer.fill("#id_note", "Đề nghị bổ sung báo cáo tài chính năm 2024.")
    officer.click("#return-survey")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.RETURNED

    # The enterprise reads the comments and submits again.
    context, page = sign_in(browser, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/")
    assert "bổ sung báo cáo tài chính" in page.locator("#review-note").inner_text()
    page.click("#submit-survey")

    # The officer accepts: the result is computed.
    officer.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/")
    officer.click("#accept-survey")
    officer.wait_for_url("**/ket-qua/**")
    assert AssessmentResult.objects.filter(survey=survey).count() == 1

    # The enterprise sees its result with the radar chart and downloads the PDF.
    page.goto(f"{live_server.url}/danh-gia-cong-nghe/phieu/{survey.pk}/")
    page.click("#view-result")
    page.wait_for_selector("#radar-chart[data-drawn='1']")
    # The radar's axes carry the methodology's group names (#18.9), not only T/E/O/R/I.
    axes = page.evaluate("document.getElementById('radar-chart').chart.data.labels")
    groups = methods["demo"].definition["groups"]
    assert [" ".join(lines) for lines in axes] == [g["name_vi"] for g in groups]
    assert "60,36" in page.locator("#total-points").inner_text()
    assert "Trung bình tiên tiến" in page.locator("#result-class").inner_text()
    assert "Minh họa" in page.content()
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith("-minh-hoa.pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (v["id"], [n["html"][:100] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert not page.off_host and not officer.off_host
    context.close()
    officer_context.close()


def test_officer_pages_have_no_serious_accessibility_violation(browser, live_server, methods, make_user):
    from axe_playwright_python.sync_playwright import Axe

    from apps.techassess import services

    officer = make_user(Role.SPECIALIST, username="chuyenvien", password=PASSWORD)
    enterprise = services.register_enterprise(
        actor=officer,
        data={"name": "DN Axe", "tax_code": "6000000777", "vsic_code": "1077", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=officer)
    services.accept(survey, actor=officer)
    from apps.techassess.models import LegacyResult

    LegacyResult.objects.create(
        enterprise=enterprise,
        year=2016,
        methodology=methods["tt04"],
        methodology_label="Thông tư 04/2014/TT-BKHCN (phương pháp cũ)",
        groups={"T": 18.5, "H": 12, "I": None, "O": 14},
        total=53.5,
        class_name="Trung bình",
        organization=enterprise.organization,
    )
    context, page = sign_in(browser, live_server, "chuyenvien")
    paths = [
        "/danh-gia-cong-nghe/",
        f"/danh-gia-cong-nghe/phieu/{survey.pk}/",
        f"/danh-gia-cong-nghe/phuong-phap/{methods['tt17'].pk}/",
        "/danh-gia-cong-nghe/tong-hop/",
        "/danh-gia-cong-nghe/nhap-excel/",
        "/danh-gia-cong-nghe/doanh-nghiep/dang-ky/",
        "/danh-gia-cong-nghe/de-nghi-lien-ket/",
        "/danh-gia-cong-nghe/ket-qua-thong-tu-04/",
        f"/danh-gia-cong-nghe/doanh-nghiep/{enterprise.pk}/",
    ]
    found = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        violations = [
            (v["id"], [n["html"][:100] for n in v["nodes"]])
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if violations:
            found[path] = violations
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    context.close()
