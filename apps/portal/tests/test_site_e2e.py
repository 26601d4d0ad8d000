"""End-to-end in Chromium (issue 9, public site).

An author writes an article in Wagtail's admin with a publication time and submits it; the editor
and then the editorial board approve it in the admin; it is not on the home page until its time
comes (the scheduled time is moved into the past and Wagtail's publish_scheduled runs, as the beat
entry does), then it is; a search without diacritics finds it. Axe checks home, article and a
procedure page.
"""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Sở KH&CN hỗ trợ doanh nghiệp chuyển đổi số năm 2026"


def open_page(browser, live_server, user=None):
    context = browser.new_context(locale="vi-VN")
    if user is not None:
        from wagtail.users.models import UserProfile

        # The admin in English for stable button names (Wagtail keeps the language per user).
        UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
        client = verified_client(Client(), user)
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
    page.on(
        "request",
        lambda r: (
            off_host.append(r.url) if not r.url.startswith(("http://localhost", "data:", "blob:")) else None
        ),
    )
    page.off_host = off_host
    return page


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def click_hidden(page, selector):
    """Footer actions sit in Wagtail's drop-up menu; click them as its own script would."""
    page.locator(selector).first.evaluate("el => el.click()")


def approve_in_admin(browser, live_server, user, article_id, action="Approve", comment=None):
    """The reviewer opens the item in the content admin and approves it from the footer's action menu.

    "Approve" submits straight away; "Approve with comment" opens Wagtail's dialog, where the
    reviewer writes the comment and confirms.
    """
    page = open_page(browser, live_server, user)
    page.goto(f"{live_server.url}/quan-tri-noi-dung/pages/{article_id}/edit/")
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    button = footer.get_by_role("button", name=action, exact=True)
    if comment is None:
        with page.expect_navigation():
            button.click()
    else:
        button.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("textbox").fill(comment)  # the only field: the comment
        with page.expect_navigation():
            dialog.locator("button[type=submit]", has_text=action).click()
    assert TITLE in page.locator(".messages").inner_text()
    assert page.off_host == []
    page.context.close()


def awaiting_review(browser, live_server, user) -> str:
    """What the reviewer's admin dashboard lists under "Awaiting your review"."""
    page = open_page(browser, live_server, user)
    page.goto(f"{live_server.url}/quan-tri-noi-dung/")
    panel = page.get_by_role("region", name="Awaiting your review")
    text = panel.inner_text() if panel.count() else ""
    page.context.close()
    return text


def test_author_writes_editor_and_board_approve_it_appears_on_home_at_its_time(
    browser, live_server, make_user
):
    from apps.portal import demo_site, site_setup
    from apps.portal.models import NewsArticlePage, NewsIndexPage

    home = demo_site.ensure_site()
    news = NewsIndexPage(title="Tin tức", slug="tin-tuc", show_in_menus=True)
    home.add_child(instance=news)
    news.save_revision().publish()
    site_setup.ensure_section_permissions(news)
    author = make_user(Role.SPECIALIST, username="tacgia")
    editor = make_user(Role.EDITOR, username="bientap")
    board = make_user(Role.LEADER, username="banbientap")

    # The author writes the article in the content admin, schedules it and submits it.
    page = open_page(browser, live_server, author)
    page.goto(f"{live_server.url}/quan-tri-noi-dung/pages/add/portal/newsarticlepage/{news.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Chương trình tư vấn miễn phí giúp doanh nghiệp đánh giá mức độ sẵn sàng số.")
    page.fill("#id_authors", "Phòng Quản lý Công nghệ")
    page.locator("#id_slug").evaluate("el => { el.value = 'ho-tro-doanh-nghiep-chuyen-doi-so-2026'; }")
    go_live = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("input[name=go_live_at]").first.evaluate(
        "(el, v) => { el.value = v; }", go_live.strftime("%Y-%m-%d %H:%M")
    )
    with page.expect_navigation():
        click_hidden(page, 'button[name="action-submit"]')
    assert page.off_host == []
    page.context.close()

    article = NewsArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.get_latest_revision().as_object().go_live_at is not None
    state = article.current_workflow_state
    assert state is not None and state.current_task_state.task.name == site_setup.EDITOR_TASK_NAME

    assert TITLE in awaiting_review(browser, live_server, editor)
    assert TITLE not in awaiting_review(browser, live_server, board)  # not the board's turn yet
    approve_in_admin(browser, live_server, editor, article.pk)
    state.refresh_from_db()
    assert state.current_task_state.task.name == site_setup.BOARD_TASK_NAME
    assert TITLE in awaiting_review(browser, live_server, board)
    assert TITLE not in awaiting_review(browser, live_server, editor)
    approve_in_admin(browser, live_server, board, article.pk, "Approve with comment", "Đồng ý đăng.")
    state.refresh_from_db()
    assert state.status == "approved"
    assert state.current_task_state.comment == "Đồng ý đăng."
    article.refresh_from_db()
    assert not article.live  # approved, waiting for its scheduled time

    visitor = open_page(browser, live_server)
    visitor.goto(f"{live_server.url}/")
    assert TITLE not in visitor.locator("#latest-news").inner_text()

    # Its time comes: the clock moves past the scheduled time and the beat job's command runs.
    from wagtail.models import Revision

    assert Revision.objects.filter(object_id=str(article.pk), approved_go_live_at__isnull=False).exists()
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=1, minutes=5)
    ):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live

    visitor.goto(f"{live_server.url}/")
    assert TITLE in visitor.locator("#latest-news").inner_text()
    assert serious(_axe(visitor)) == []  # home page
    visitor.get_by_role("link", name=TITLE).first.click()
    visitor.wait_for_url("**/tin-tuc/**")
    assert visitor.locator("h1").inner_text() == TITLE
    assert serious(_axe(visitor)) == []  # article page

    # A search without diacritics finds it.
    visitor.fill("#site-search", "ho tro doanh nghiep chuyen doi so")
    visitor.locator("form[role=search] button[type=submit]").first.click()
    visitor.wait_for_url("**/tim-kiem/**")
    assert TITLE in visitor.locator("#page-results").inner_text()
    assert visitor.off_host == []


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page)


def test_axe_on_a_procedure_page(browser, live_server, settings):
    from apps.procedures.tests.factories import make_published

    settings.LANGUAGE_CODE = "vi"
    target = make_published(
        "Cấp giấy phép tiến hành công việc bức xạ", fee={"kind": "fixed", "amount": "3000000"}
    )
    visitor = open_page(browser, live_server)
    visitor.goto(f"{live_server.url}/thu-tuc/{target.procedure_id}/")
    assert visitor.locator("h1").inner_text() == target.name
    assert serious(_axe(visitor)) == []
