"""End-to-end in Chromium: a citizen asks a question; the editor assigns it, the unit answers, the
leader approves, the editor publishes; the citizen then finds it by an unaccented search.
Axe checks the public question pages (ask form, list, question): no serious or critical violation."""

import pytest
from django.conf import settings
from django.test import Client

from apps.organizations.roles import Role
from apps.portal.models import Question, QuestionStatus
from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page):
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    page.off_host = off_host
    return page


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
    return _watch(context.new_page())


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _act(page, live_server, question, action, fill=None):
    page.goto(f"{live_server.url}/cong-thong-tin/van-phong/cau-hoi/{question.pk}/")
    form = page.locator(f"#form-{action}")
    for selector, value in (fill or {}).items():
        if selector.endswith("unit"):
            form.locator(selector).select_option(label=value)
        else:
            form.locator(selector).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    question.refresh_from_db()


def test_citizen_question_answered_approved_published_and_found(
    browser, live_server, make_user, tree, settings
):
    from axe_playwright_python.sync_playwright import Axe

    from apps.portal.models import QuestionTopic

    settings.PORTAL_QUESTION_MIN_FILL_SECONDS = 1
    QuestionTopic.objects.create(name="Sở hữu trí tuệ")
    editor = make_user(Role.EDITOR, username="bientap")
    leader = make_user(Role.LEADER, username="lanhdao")
    specialist = make_user(Role.SPECIALIST, username="cv-qlcn", unit="tech")

    citizen = _watch(browser.new_context(locale="vi-VN").new_page())
    citizen.goto(f"{live_server.url}/cong-thong-tin/hoi-dap/gui-cau-hoi/")
    assert serious(Axe().run(citizen)) == []  # the ask form
    citizen.fill("#id_asker_name", "Nguyễn Văn Hùng")
    citizen.fill("#id_email", "hung@example.vn")
    citizen.fill("#id_title", "Thời gian cấp văn bằng bảo hộ nhãn hiệu")
    citizen.fill("#id_body", "Doanh nghiệp tôi nộp đơn đăng ký nhãn hiệu đã 8 tháng, khi nào có kết quả?")
    citizen.wait_for_timeout(1200)  # a person takes longer than the time-to-fill check
    citizen.click("#ask-form button[type=submit]")
    citizen.wait_for_url("**/hoi-dap/da-gui/")
    code = citizen.locator("#question-code").inner_text()
    question = Question.objects.get(code=code)
    assert question.status == QuestionStatus.RECEIVED

    editor_page = session_page(browser, live_server, editor)
    _act(editor_page, live_server, question, "assign", {"#id_assign-unit": tree["tech"].name})
    assert question.status == QuestionStatus.ASSIGNED and question.unit == tree["tech"]

    unit_page = session_page(browser, live_server, specialist)
    _act(
        unit_page,
        live_server,
        question,
        "answer",
        {"#id_answer-answer": "Thời hạn thẩm định nội dung là 9 tháng."},
    )
    assert question.status == QuestionStatus.ANSWERED

    leader_page = session_page(browser, live_server, leader)
    _act(leader_page, live_server, question, "approve")
    assert question.status == QuestionStatus.APPROVED

    _act(editor_page, live_server, question, "publish")
    assert question.status == QuestionStatus.PUBLISHED

    citizen.goto(f"{live_server.url}/cong-thong-tin/hoi-dap/")
    citizen.fill("#q", "van bang nhan hieu")
    citizen.click("#question-search button[type=submit]")
    citizen.wait_for_url("**/hoi-dap/?q=van+bang+nhan+hieu*")
    links = citizen.locator("#question-results h2 a")
    assert links.count() == 1
    assert links.first.inner_text() == "Thời gian cấp văn bằng bảo hộ nhãn hiệu"
    assert serious(Axe().run(citizen)) == []  # the list
    links.first.click()
    citizen.wait_for_url(f"**/hoi-dap/{code}/")
    assert "Thời hạn thẩm định nội dung là 9 tháng." in citizen.locator("main").inner_text()
    assert serious(Axe().run(citizen)) == []  # the question page
    for page in (citizen, editor_page, unit_page, leader_page):
        assert not page.off_host, f"requests left the machine: {page.off_host}"
