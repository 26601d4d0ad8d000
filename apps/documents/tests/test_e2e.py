"""End-to-end in Chromium: incoming registered → assigned by the leader → handled by a specialist →
answered with an outgoing document approved, numbered, signed (two-factor code) and issued to
another agency on the platform, which sees it in its incoming register with its signatures checked
on arrival and a preview of the first page."""

import pytest

from apps.documents.models import IncomingDocument, OutgoingDocument

from .conftest import KEY_PASSWORD, SEAL_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_incoming_to_answer_issued_to_another_agency(browser, live_server, actors, tree, pdf_bytes, tmp_path):
    base = live_server.url
    off_host = []
    logins: dict[str, int] = {}

    def session(username):
        # recovery codes are single-use: each sign-in takes the next one (code4 is kept for signing)
        logins[username] = logins.get(username, -1) + 1
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        page.on(
            "request", lambda r: off_host.append(r.url) if not r.url.startswith((base, "data:")) else None
        )
        page.goto(f"{base}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", "Mật-khẩu-123")
        page.click("button[type=submit].w-100")
        page.wait_for_url("**/xac-thuc-hai-lop/**")
        page.fill("#id_code", f"code{logins[username]}")
        page.click("button[type=submit].w-100")
        page.wait_for_url("**/lam-viec/")
        return context, page

    # 1. The clerk registers the incoming document with its scan and submits it to the leader.
    scan = tmp_path / "cong-van-den.pdf"
    scan.write_bytes(pdf_bytes)
    ctx, page = session("vanthu")
    page.goto(f"{base}/van-ban/den/moi/")
    page.select_option("#id_doc_type", label="Công văn")
    page.fill("#id_number_symbol", "1234/UBND-KGVX")
    page.fill("#id_document_date", "2022-03-01")
    page.fill("#id_sender_name", "UBND tỉnh Đắk Lắk")
    page.fill("#id_summary", "Về việc báo cáo kết quả chuyển đổi số")
    page.set_input_files("#id_file", str(scan))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/van-ban/den/*/")
    incoming = IncomingDocument.objects.get(number_symbol="1234/UBND-KGVX")
    assert incoming.arrival_number == 1
    page.select_option("#submit #id_leader", label="Đinh Khắc Tuấn")
    with page.expect_navigation():
        page.click("#submit button[type=submit]")
    assert "Trình" in page.locator("#incoming-status").inner_text() or incoming.history.count() == 2
    from axe_playwright_python.sync_playwright import Axe

    violations = serious(Axe().run(page))
    assert not violations, "\n".join(violations)
    ctx.close()

    # 2. The leader assigns it to Phòng Quản lý Công nghệ with a deadline.
    ctx, page = session("lanhdao")
    page.goto(f"{base}/van-ban/den/{incoming.pk}/")
    page.select_option("#assign #id_lead_unit", label="Phòng Quản lý Công nghệ")
    page.fill("#assign #id_instruction", "Phòng QLCN chủ trì tham mưu trả lời")
    page.fill("#assign #id_deadline", "2030-03-10")
    with page.expect_navigation():
        page.click("#assign button[type=submit]")
    assert page.locator("#lead-unit").inner_text() == "Phòng Quản lý Công nghệ"
    ctx.close()

    # 3. The unit head gives it to the specialist.
    ctx, page = session("truongphong")
    page.goto(f"{base}/van-ban/den/{incoming.pk}/")
    page.select_option("#handler #id_handler", label="Người dùng specialist")
    with page.expect_navigation():
        page.click("#handler button[type=submit]")
    ctx.close()

    # 4. The specialist drafts the answer from the template and submits it to the leader.
    ctx, page = session("chuyenvien")
    page.goto(f"{base}/van-ban/den/{incoming.pk}/")
    page.click("#reply")
    page.wait_for_url("**/van-ban/di/moi/**")
    page.select_option("#id_doc_type", label="Báo cáo")
    page.fill("#id_body", "Sở KH&CN báo cáo kết quả chuyển đổi số năm 2022 như sau.")
    page.fill("#id_signer_name", "Đinh Khắc Tuấn")
    page.fill("#id_signer_title", "Giám đốc")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/van-ban/di/*/")
    outgoing = OutgoingDocument.objects.get(answers=incoming)
    page.fill("#submit #id_reviewers-ts-control", "tuan")  # the people picker (Tom Select)
    page.locator("#id_reviewers-ts-dropdown .option", has_text="Đinh Khắc Tuấn").first.click()
    with page.expect_navigation():
        page.click("#submit button[type=submit]")
    outgoing.refresh_from_db()
    assert outgoing.status == "in_review", page.locator(".alert").all_inner_texts()
    ctx.close()

    # 5. The leader approves.
    ctx, page = session("lanhdao")
    page.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    page.fill("#review #id_comment", "Đồng ý ban hành")
    with page.expect_navigation():
        page.click("#approve")
    ctx.close()

    # 6. The clerk numbers it.
    ctx, page = session("vanthu")
    page.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    with page.expect_navigation():
        page.click("#number button[type=submit]")
    assert page.locator("#number-symbol").inner_text() == "01/BC-SKHCN"
    ctx.close()

    # 7. The leader signs with a fresh second factor and the key password.
    ctx, page = session("lanhdao")
    page.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    page.fill("#sign #id_code", "code4")
    page.fill("#sign #id_key_password", KEY_PASSWORD)
    with page.expect_navigation():
        page.click("#sign button[type=submit]")
    assert page.locator('.signature-report[data-verdict="valid"]').count() == 1
    ctx.close()

    # 8. The clerk issues it to Sở Y tế on the platform with the organisation signature.
    ctx, page = session("vanthu")
    page.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    page.select_option("#issue #id_internal", label="Sở Y tế")
    page.fill("#issue #id_external", "UBND tỉnh Đắk Lắk")
    page.fill("#issue #id_code", "code4")
    page.fill("#issue #id_seal_password", SEAL_PASSWORD)
    with page.expect_navigation():
        page.click("#issue button[type=submit]")
    assert page.locator('.signature-report[data-verdict="valid"]').count() == 2
    violations = serious(Axe().run(page))
    assert not violations, "\n".join(violations)
    ctx.close()

    # 9. Sở Y tế's clerk sees it in its incoming register, without re-typing.
    ctx, page = session("vanthu-syt")
    page.goto(f"{base}/van-ban/")
    row = page.locator("tbody tr").first
    assert "01/BC-SKHCN" in row.inner_text()
    assert "Sở KH&CN" in row.inner_text()
    # its signatures were checked on arrival, and the first page is shown as a derived preview
    with page.expect_navigation():
        row.locator("a").first.click()
    assert page.locator('#arrival-check[data-verdict="valid"]').count() == 1
    page.wait_for_function(
        "() => { const i = document.querySelector('#document-preview');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=30000,
    )
    ctx.close()

    incoming.refresh_from_db()
    assert incoming.status == "completed" and incoming.answer_id == outgoing.pk
    assert off_host == []
