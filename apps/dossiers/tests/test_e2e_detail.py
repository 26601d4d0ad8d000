"""End-to-end in Chromium (issue #18.2): a dossier's detail page in Vietnamese shows the applicant's
answers as a labelled form and the history as a readable timeline."""

import pytest

from apps.dossiers import services
from apps.organizations.roles import Role

from .test_e2e import page_as, serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dossier_detail_reads_in_vietnamese(browser, live_server, users, submit, settings):
    settings.LANGUAGE_CODE = "vi"
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    services.act(dossier.pk, "transfer", actor=users[Role.ONE_STOP_OFFICER])
    services.act(dossier.pk, "assign", actor=users[Role.LEADER], handler=users[Role.UNIT_HEAD])
    page = page_as(browser, live_server, users[Role.LEADER])
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    answers = page.locator("#dossier-answers")
    assert "Mục đích" in answers.inner_text() and "Sử dụng thiết bị X-quang" in answers.inner_text()
    timeline = page.locator("[data-timeline]")
    text = timeline.inner_text()
    assert "Tiếp nhận (mẫu 01)" in text
    assert "Trạng thái: Đã nộp, chờ kiểm tra để tiếp nhận → Đã tiếp nhận" in text
    assert f"Người đang xử lý: {users[Role.UNIT_HEAD].full_name}" in text
    for raw in ("None", "\\u", "dossiers.", "{", "state:"):
        assert raw not in text, raw
    # a new record's first values are folded away until asked for
    first = timeline.locator("details").first
    assert not first.locator("dl").is_visible()
    first.locator("summary").click()
    assert first.locator("dl").is_visible()
    assert "Phí, lệ phí" in first.inner_text() and "500.000" in first.inner_text()
    # The applicant's personal data is not copied into the record's history (the audit log cannot be
    # purged, #16): the page shows it from the dossier itself, which a purge empties.
    assert "Nguyễn Văn An" not in first.inner_text()
    assert "Nguyễn Văn An" in page.locator("body").inner_text()
    assert serious(page) == []
