"""End-to-end: without signing in, a visitor finds a procedure by an unaccented search and opens it."""

import pytest

from .factories import make_published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    yield page
    context.close()
    assert not off_host, f"requests left the machine: {off_host}"


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_visitor_finds_a_procedure_without_diacritics_and_opens_it(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    target = make_published(
        "Cấp giấy phép tiến hành công việc bức xạ", fee={"kind": "fixed", "amount": "3000000"}
    )
    make_published("Đăng ký công bố hợp quy", field="Tiêu chuẩn đo lường chất lượng", level=3)

    page.goto(f"{live_server.url}/thu-tuc/")
    assert serious(Axe().run(page)) == []  # the public catalogue page
    page.fill("#q", "cap giay")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/thu-tuc/?q=cap+giay*")
    links = page.locator("table a")
    assert links.count() == 1
    assert links.first.inner_text() == target.name
    links.first.click()
    page.wait_for_url(f"**/thu-tuc/{target.procedure_id}/")
    assert page.locator("h1").inner_text() == target.name
    body = page.locator("main, body").first.inner_text()
    assert "Đơn đề nghị" in body and "3.000.000" in body
    assert serious(Axe().run(page)) == []  # the procedure page
