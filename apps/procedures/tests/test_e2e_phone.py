"""End-to-end at phone width (#18.11g): the public catalogue fits a 390 × 844 screen, nothing
clipped and no sideways scrolling; every column's value stays readable with its heading."""

import pytest

from .factories import make_published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    off_host = []
    page.on(
        "request",
        lambda r: off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None,
    )
    yield page
    context.close()
    assert not off_host, f"requests left the machine: {off_host}"


def test_the_catalogue_fits_a_phone_screen(phone, live_server, settings):
    settings.LANGUAGE_CODE = "vi"  # this package's tests read English; a visitor's phone reads Vietnamese
    make_published(
        "Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
        code="1.004523",
        field="An toàn bức xạ và hạt nhân",
    )
    make_published("Đăng ký công bố hợp quy", field="Tiêu chuẩn đo lường chất lượng", level=3)

    phone.goto(f"{live_server.url}/thu-tuc/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
    # Nothing scrolls sideways inside the page either: every cell lies within the screen.
    overflow = phone.evaluate(
        """() => [...document.querySelectorAll('table tbody td')]
             .filter(el => el.offsetParent !== null)
             .filter(el => { const r = el.getBoundingClientRect();
                             return r.right > window.innerWidth + 0.5 || r.left < -0.5; })
             .map(el => el.tagName + ' ' + el.textContent.trim().slice(0, 40))"""
    )
    assert overflow == []
    # Each row reads as the procedure with its field, level and processing time, labelled.
    first = phone.locator("tbody tr").first
    text = first.inner_text()
    assert "Cấp giấy phép tiến hành công việc bức xạ" in text
    assert "Lĩnh vực" in text and "An toàn bức xạ và hạt nhân" in text
    assert "Thời hạn giải quyết" in text and "10 ngày làm việc" in text
