"""Public site: pages, permissions per section, the editorial workflow, scheduled publishing, search,
sitemap and RSS, the content admin behind our sign-in, and the demo seeder."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client

from .site_fixtures import *  # noqa: F403 — fixtures (portal, editorial)
from .site_fixtures import publish_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def test_home_at_root_shows_latest_news_and_core_home_name_resolves(client, portal):
    publish_article(portal["news"], "Hội nghị chuyển đổi số năm 2025", category=portal["category"])
    assert reverse("core:home") == "/"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hội nghị chuyển đổi số năm 2025" in html
    assert reverse("procedures:catalogue") in html and reverse("dossiers:status") in html


def test_core_home_without_portal_falls_back_to_welcome_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]


def test_article_page_and_category_filter(client, portal):
    other = publish_article(portal["news"], "Kiểm tra đo lường xăng dầu")
    article = publish_article(
        portal["news"], "Tập huấn kỹ năng số", category=portal["category"], authors="Trung tâm TT-UD"
    )
    response = client.get(article.url)
    assert response.status_code == 200
    assert "Trung tâm TT-UD" in response.content.decode()
    listing = client.get(portal["news"].url, {"chuyen-muc": "cds"}).content.decode()
    assert article.title in listing and other.title not in listing


def test_english_visitor_sees_english_title_and_chrome(client, portal, settings):
    article = publish_article(portal["news"], "Tập huấn kỹ năng số", title_en="Digital skills training")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(article.url).content.decode()
    assert '<h1 class="h2">Digital skills training</h1>' in html
    assert 'lang="en"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert '<h1 class="h2">Tập huấn kỹ năng số</h1>' in client.get(article.url).content.decode()


def test_section_permissions_only_board_and_administrators_publish(portal, editorial):
    from apps.portal.models import NewsArticlePage

    article = NewsArticlePage(title="Bản nháp", lead="x", live=False)
    portal["news"].add_child(instance=article)
    perms = {name: article.permissions_for_user(user) for name, user in editorial.items()}
    assert perms["author"].can_edit() and not perms["author"].can_publish()
    assert perms["editor"].can_edit() and not perms["editor"].can_publish()
    assert perms["board"].can_publish() and not perms["board"].can_add_subpage()
    assert perms["admin"].can_publish()
    assert not perms["citizen"].can_edit()
    assert portal["news"].permissions_for_user(editorial["author"]).can_add_subpage()
    assert not portal["home"].permissions_for_user(editorial["author"]).can_add_subpage()


def _submit(portal, author, *, go_live_at=None, title="Sở KH&CN triển khai chữ ký số chuyên dùng"):
    from apps.portal.models import NewsArticlePage

    article = NewsArticlePage(
        title=title,
        lead="Các đơn vị được cấp chứng thư số.",
        live=False,
        go_live_at=go_live_at,
        category=portal["category"],
    )
    portal["news"].add_child(instance=article)
    article.save_revision(user=author)
    workflow = article.get_workflow()
    assert workflow is not None and workflow.name == "Quy trình biên tập tin bài"
    state = workflow.start(article, author)
    return NewsArticlePage.objects.get(pk=article.pk), state


def test_workflow_editor_then_board_then_published(portal, editorial):
    article, state = _submit(portal, editorial["author"])
    task = state.current_task_state.task.specific
    assert task.name == "Biên tập viên duyệt"
    # Only the editor group may act on the first step.
    assert task.get_actions(article, editorial["author"]) == []
    assert task.get_actions(article, editorial["board"]) == []
    state.current_task_state.approve(user=editorial["editor"])
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    assert task.name == "Ban biên tập phê duyệt"
    assert task.get_actions(article, editorial["editor"]) == []
    article.refresh_from_db()
    assert not article.live
    state.current_task_state.approve(user=editorial["board"])
    article.refresh_from_db()
    assert article.live
    from apps.audit.models import AuditEvent

    events = list(AuditEvent.objects.filter(object_id=str(article.pk)).values_list("verb", "actor_id"))
    assert ("portal_page_submitted", editorial["author"].pk) in events
    assert ("portal_step_approved", editorial["editor"].pk) in events
    assert ("portal_step_approved", editorial["board"].pk) in events
    assert "portal_page_published" in [verb for verb, _actor in events]


def test_workflow_rejection_sends_back_to_author(portal, editorial):
    article, state = _submit(portal, editorial["author"])
    state.current_task_state.reject(user=editorial["editor"])
    state.refresh_from_db()
    article.refresh_from_db()
    assert state.status == "needs_changes"
    assert not article.live


def test_scheduled_publishing_and_unpublishing_with_frozen_time(client, portal, editorial):
    now = timezone.now()
    go_live = now + datetime.timedelta(days=2)
    article, state = _submit(portal, editorial["author"], go_live_at=go_live, title="Tin hẹn giờ đăng")
    state.current_task_state.approve(user=editorial["editor"])
    state.refresh_from_db()
    state.current_task_state.approve(user=editorial["board"])
    article.refresh_from_db()
    assert not article.live  # approved, waiting for its time
    assert "Tin hẹn giờ đăng" not in client.get("/").content.decode()

    call_command("publish_scheduled")
    article.refresh_from_db()
    assert not article.live  # still too early

    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live
    assert "Tin hẹn giờ đăng" in client.get("/").content.decode()

    # Unpublishing at expire_at.
    article.go_live_at = None
    article.expire_at = go_live + datetime.timedelta(days=5)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.live
    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(days=6)):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert not article.live and article.expired
    assert "Tin hẹn giờ đăng" not in client.get("/").content.decode()


def test_beat_runs_publish_scheduled(portal, settings):
    from apps.portal.site_setup import publish_scheduled

    assert settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]["task"] == "portal.publish_scheduled"
    article = publish_article(portal["news"], "Tin cũ")
    article.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    article.save(update_fields=["expire_at"])
    publish_scheduled.apply()
    article.refresh_from_db()
    assert not article.live


def test_search_without_diacritics_finds_article(client, portal):
    article = publish_article(
        portal["news"], "Hỗ trợ doanh nghiệp chuyển đổi số", lead="Tư vấn miễn phí về sẵn sàng số."
    )
    publish_article(portal["news"], "Kiểm tra mũ bảo hiểm")
    response = client.get(reverse("portal:search"), {"q": "chuyen doi so"})
    html = response.content.decode()
    assert response.status_code == 200
    assert article.url in html and "Kiểm tra mũ bảo hiểm" not in html
    # Body text is searchable too, and an upper-case accented query folds the same way.
    assert article.url in client.get(reverse("portal:search"), {"q": "TƯ VẤN MIỄN PHÍ"}).content.decode()


def test_search_ignores_drafts_and_includes_published_questions(client, portal):
    from apps.portal.models import NewsArticlePage

    draft = NewsArticlePage(title="Bản nháp chuyển đổi số", lead="x", live=False)
    portal["news"].add_child(instance=draft)

    class Question:
        title = "Hỏi về chuyển đổi số"
        answered_at = None

        def get_absolute_url(self):
            return "/hoi-dap/1/"

    with mock.patch(
        "apps.portal.selectors_questions.search_published_questions", return_value=[Question()]
    ) as m:
        html = client.get(reverse("portal:search"), {"q": "chuyen doi so"}).content.decode()
    m.assert_called_once()
    assert "Bản nháp" not in html
    assert "/hoi-dap/1/" in html


def test_sitemap_lists_live_pages(client, portal):
    article = publish_article(portal["news"], "Tin trong sơ đồ trang")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert article.url in body and "<urlset" in body


def test_rss_feed_of_news(client, portal):
    publish_article(portal["news"], "Tin thứ nhất", day=datetime.date(2025, 1, 1))
    publish_article(portal["news"], "Tin thứ hai", day=datetime.date(2025, 2, 1), authors="Văn phòng Sở")
    response = client.get(reverse("portal:news_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert body.index("Tin thứ hai") < body.index("Tin thứ nhất")


def test_content_admin_requires_our_sign_in(client, db):
    response = client.get("/quan-tri-noi-dung/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/quan-tri-noi-dung/login/")["Location"].startswith(reverse("accounts:login"))


def test_content_admin_holds_two_factor_users_at_verification(client, editorial):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=editorial["board"], name="d", confirmed=True)
    client.force_login(editorial["board"])
    response = client.get("/quan-tri-noi-dung/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_content_admin_open_to_editor_closed_to_citizen(client, editorial, portal):
    assert verified_client(client, editorial["editor"]).get("/quan-tri-noi-dung/").status_code == 200
    client.logout()
    response = verified_client(client, editorial["citizen"]).get("/quan-tri-noi-dung/")
    assert response.status_code == 302  # Wagtail sends users without access_admin away


def test_csp_relaxed_only_in_content_admin(client, editorial, portal):
    admin_csp = verified_client(client, editorial["editor"]).get("/quan-tri-noi-dung/")[
        "Content-Security-Policy"
    ]
    assert "'unsafe-inline'" in admin_csp
    public_csp = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public_csp and "frame-ancestors 'none'" in public_csp


def test_commune_directory_lists_dak_lak_communes_with_points(client, portal):
    from apps.portal.models import CommuneDirectoryPage, CommuneInfoPoint, dak_lak_communes

    communes = dak_lak_communes()
    names = [name for _code, name in communes]
    assert len(communes) > 100
    assert any("Tuy Hòa" in n for n in names)  # former Phú Yên is part of Đắk Lắk since 07/2025
    code, name = communes[0]
    CommuneInfoPoint.objects.create(ward_code=code, address="Trụ sở UBND", contact_person="Y Khoa Mlô")
    page = CommuneDirectoryPage(title="Điểm thông tin KH&CN", slug="diem-thong-tin")
    portal["home"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url, {"co-diem": "1"}).content.decode()
    assert name in html and "Y Khoa Mlô" in html and names[1] not in html
    searched = client.get(page.url, {"q": normalize_name(names[5])}).content.decode()
    assert names[5] in searched


def normalize_name(name):
    from apps.core.text import normalize

    return normalize(name)


def test_work_schedule_page_shows_public_meetings(client, portal, tree, make_user):
    from apps.portal.models import WorkSchedulePage
    from apps.tasks.models import Meeting

    organizer = make_user("leader", username="ld")
    monday = datetime.date(2025, 11, 24)
    start = timezone.make_aware(datetime.datetime(2025, 11, 25, 8, 0))
    Meeting.objects.create(
        organization=tree["agency"],
        title="Giao ban đầu tuần",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        organizer=organizer,
        chair="Giám đốc Sở",
    )
    Meeting.objects.create(
        organization=tree["agency"],
        title="Họp nội bộ kín",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        organizer=organizer,
        is_public=False,
    )
    page = WorkSchedulePage(
        title="Lịch công tác", slug="lich-cong-tac", organization_code=tree["agency"].code
    )
    portal["home"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url, {"tuan": monday.isoformat()}).content.decode()
    assert "Giao ban đầu tuần" in html and "Giám đốc Sở" in html
    assert "Họp nội bộ kín" not in html


def test_demo_seeder_is_idempotent_and_builds_the_site(client, db):
    from apps.portal import demo_site
    from apps.portal.models import BulletinIssuePage, CommuneInfoPoint, NewsArticlePage, StandardPage

    first = demo_site.seed()
    counts = (
        NewsArticlePage.objects.count(),
        BulletinIssuePage.objects.count(),
        CommuneInfoPoint.objects.count(),
    )
    second = demo_site.seed()
    assert counts == (
        NewsArticlePage.objects.count(),
        BulletinIssuePage.objects.count(),
        CommuneInfoPoint.objects.count(),
    )
    assert first["news"] >= 25 and second["news"] == 0
    assert (
        StandardPage.objects.filter(slug__in=["chuc-nang-nhiem-vu", "co-cau-to-chuc", "lien-he"]).count() == 3
    )
    for path in [
        "/",
        "/tin-tuc/",
        "/gioi-thieu/co-cau-to-chuc/",
        "/van-ban-phap-luat/",
        "/ban-tin-khcn/",
        "/diem-thong-tin-khcn/",
        "/lich-cong-tac/",
        "/dich-vu-cong/",
    ]:
        assert client.get(path).status_code == 200, path
    assert "172/KH-SKHCN" in client.get("/van-ban-phap-luat/").content.decode()


def test_staff_home_offers_portal_content_to_editorial_roles_only(client, editorial, make_user):
    html = verified_client(client, editorial["editor"]).get(reverse("core:staff_home")).content.decode()
    assert 'href="/quan-tri-noi-dung/"' in html
    client.logout()
    officer = make_user("one_stop_officer", username="motcua")
    html = verified_client(client, officer).get(reverse("core:staff_home")).content.decode()
    assert 'href="/quan-tri-noi-dung/"' not in html
