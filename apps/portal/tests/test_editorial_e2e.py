"""End-to-end in Chromium (issue #18, point 8b): typing a Vietnamese title in the content admin fills
the page address with the diacritics folded (đ → d), as the server folds them; before, Wagtail's
script dropped every accented letter ("s-khcn-t-chc-hi-ngh")."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_title_typed_in_the_admin_fills_a_folded_slug(browser, live_server, make_user):
    from apps.portal import demo_site, site_setup
    from apps.portal.models import NewsArticlePage, NewsIndexPage

    home = demo_site.ensure_site()
    news = NewsIndexPage(title="Tin tức", slug="tin-tuc")
    home.add_child(instance=news)
    news.save_revision().publish()
    site_setup.ensure_section_permissions(news)
    author = make_user(Role.SPECIALIST, username="tacgia")
    client = verified_client(Client(), author)
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
    page.goto(f"{live_server.url}/quan-tri-noi-dung/pages/add/portal/newsarticlepage/{news.pk}/")
    page.locator("#id_title").press_sequentially("Sở KH&CN tổ chức Hội nghị đánh giá ứng dụng")
    page.locator("#id_title").blur()
    slug = page.locator("#id_slug")
    expect(slug).to_have_value("so-khcn-to-chuc-hoi-nghi-danh-gia-ung-dung")

    # Typed into the address field itself (tab "Tìm kiếm và menu"), it is folded the same way.
    page.get_by_role("tab", name="Tìm kiếm và menu").click()
    slug.fill("Đắk Lắk số hóa")
    slug.blur()
    expect(slug).to_have_value("dak-lak-so-hoa")

    page.get_by_role("tab", name="Nội dung").click()
    page.fill("#id_lead", "Tóm tắt.")
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').first.evaluate("el => el.click()")
    article = NewsArticlePage.objects.get(title="Sở KH&CN tổ chức Hội nghị đánh giá ứng dụng")
    assert article.slug == "dak-lak-so-hoa"
    context.close()
