"""End-to-end in Chromium (issue #18, point 10b): the drafter picks the reviewers in the people
picker (Tom Select, grouped by unit) in an order other than the list's, and the review chain follows
the picked order. No request leaves the machine: the picker is served from our static files."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pick_people(page, select_id, names):
    """Picks each person in the Tom Select control of `select_id`, one after the other, by typing
    a part of the name without diacritics (as a user would)."""
    from apps.core.text import normalize

    for name in names:
        page.fill(f"#{select_id}-ts-control", normalize(name).split()[-1])
        page.locator(f"#{select_id}-ts-dropdown .option", has_text=name).first.click()


def test_reviewers_review_in_the_order_the_drafter_picked(browser, live_server, actors, tree, doc_types):
    from apps.documents import services
    from apps.documents.models import ReviewStep

    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["BC"],
        summary="Báo cáo kết quả chuyển đổi số quý I",
        composition={
            "body": "Nội dung báo cáo.",
            "signer_name": "Đinh Khắc Tuấn",
            "signer_title": "Giám đốc",
        },
    )
    client = verified_client(Client(), actors["specialist"])
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
    page = context.new_page()
    off_host = []
    page.on("request", lambda r: off_host.append(r.url) if not r.url.startswith(live_server.url) else None)
    console_errors = []
    page.on(
        "console", lambda m: console_errors.append(m.text + str(m.location)) if m.type == "error" else None
    )
    page.goto(f"{live_server.url}/van-ban/di/{draft.pk}/")

    # The picker lists the two reviewers under their units; the unit's head comes first in the list.
    page.click("#id_reviewers-ts-control")
    groups = page.locator("#id_reviewers-ts-dropdown .optgroup-header").all_inner_texts()
    assert groups == ["Phòng Quản lý Công nghệ", "Sở KH&CN"]
    page.keyboard.press("Escape")

    # The drafter wants the leader first this time, then the unit head: the chain follows that.
    pick_people(page, "id_reviewers", ["Đinh Khắc Tuấn", actors["head"].full_name])
    chips = page.locator("#submit .ts-control .item").all_inner_texts()
    assert [c.split("—")[0].strip().rstrip("×").strip() for c in chips] == [
        "Đinh Khắc Tuấn",
        actors["head"].full_name,
    ]
    with page.expect_navigation():
        page.click("#submit button[type=submit]")
    draft.refresh_from_db()
    assert draft.status == "in_review", page.locator(".alert").all_inner_texts()
    steps = list(draft.reviews.order_by("order").values_list("reviewer_id", flat=True))
    assert steps == [actors["leader"].pk, actors["head"].pk]
    assert services.pending_step(draft).reviewer_id == actors["leader"].pk
    assert ReviewStep.objects.filter(document=draft).count() == 2
    assert off_host == []
    # The picker runs under the CSP (no inline style refused in its file).
    assert [e for e in console_errors if "tom-select" in e] == []
    context.close()
