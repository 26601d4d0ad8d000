"""Editorial rules of the content admin (issue #18, point 8): nobody approves a review step of their
own item; the audit log names who published (the approver), not the author; page addresses made
from Vietnamese titles keep their letters without diacritics."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation

from apps.organizations.roles import Role
from conftest import verified_client

from .site_fixtures import *  # noqa: F403 — fixtures (portal, editorial)

pytestmark = pytest.mark.django_db

TITLE = "Sở KH&CN tổ chức hội nghị tổng kết chuyển đổi số năm 2025"


@pytest.fixture(autouse=True)
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


def _submit(portal, author, *, title=TITLE, go_live_at=None):
    from apps.portal.models import NewsArticlePage

    article = NewsArticlePage(title=title, lead="Tóm tắt.", live=False, go_live_at=go_live_at)
    portal["news"].add_child(instance=article)
    article.save_revision(user=author)
    state = article.get_workflow().start(article, author)
    return NewsArticlePage.objects.get(pk=article.pk), state


def _verbs(article):
    from apps.audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_id=str(article.pk)).order_by("id").values_list("verb", "actor_id")
    )


# --------------------------------------------------------------------------- 8c: no self-approval
def test_editor_cannot_approve_the_first_step_of_their_own_article(client, portal, editorial, make_user):
    from apps.portal.models import EditorialApprovalTask

    author = editorial["editor"]  # an editor writes news too, and is in the first step's group
    other_editor = make_user(Role.EDITOR, username="bientap2")
    article, state = _submit(portal, author)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert isinstance(task, EditorialApprovalTask)

    # Wagtail offers the author no review action and does not list the item as awaiting their review.
    assert task.get_actions(article, author) == []
    assert not task.get_task_states_user_can_moderate(author).exists()
    assert [name for name, _label, _modal in task.get_actions(article, other_editor)].count("approve") == 2
    assert task.get_task_states_user_can_moderate(other_editor).filter(pk=task_state.pk).exists()

    # The workflow-action path and the task state itself refuse, with the reason in Vietnamese.
    with pytest.raises(PermissionDenied, match="Bạn là người gửi duyệt tin bài này"):
        task.on_action(task_state, author, "approve")
    with pytest.raises(PermissionDenied, match="một thành viên khác của nhóm phải duyệt bước này"):
        task_state.approve(user=author)
    task_state.refresh_from_db()
    state.refresh_from_db()
    assert task_state.status == "in_progress" and state.current_task_state_id == task_state.pk
    assert "portal_step_approved" not in [verb for verb, _actor in _verbs(article)]

    # In the content admin: the author's "Approve" from the editor's footer is refused with a message.
    admin = verified_client(client, author)
    response = admin.post(
        f"/quan-tri-noi-dung/pages/{article.pk}/edit/",
        {"action-workflow-action": "true", "workflow-action-name": "approve"},
        follow=True,
    )
    assert "Bạn là người gửi duyệt tin bài này" in response.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    # The dashboard's approve dialog refuses the author too (Wagtail sends them back to the dashboard).
    url = f"/quan-tri-noi-dung/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"
    assert admin.post(url)["Location"] == "/quan-tri-noi-dung/"
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"

    # Another editor approves; the board's step follows and the board publishes.
    task.on_action(task_state, other_editor, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Ban biên tập phê duyệt"
    state.current_task_state.approve(user=editorial["board"])
    article.refresh_from_db()
    assert article.live


def test_board_member_cannot_approve_the_final_step_of_an_item_they_submitted(portal, editorial, make_user):
    from django.contrib.auth.models import Group

    # A leader who also edits (both roles) submits; the editor approves; the leader cannot finish it.
    leader_editor = editorial["board"]
    leader_editor.groups.add(Group.objects.get(name=Role.EDITOR.value))
    article, state = _submit(portal, leader_editor)
    state.current_task_state.approve(user=editorial["editor"])
    state.refresh_from_db()
    final = state.current_task_state
    assert final.task.specific.get_actions(article, leader_editor) == []
    with pytest.raises(PermissionDenied):
        final.approve(user=leader_editor)
    article.refresh_from_db()
    assert not article.live  # the refused approval published nothing
    other_leader = make_user(Role.LEADER, username="banbientap2")
    final.refresh_from_db()
    final.approve(user=other_leader)
    article.refresh_from_db()
    assert article.live


def test_steps_made_before_the_rule_are_adopted_in_place(db):
    """A deployment whose workflow already had Wagtail's plain group steps keeps them (and the items
    in review) but now under the rule."""
    from wagtail.models import GroupApprovalTask, Task

    from apps.portal import site_setup
    from apps.portal.models import EditorialApprovalTask

    legacy = GroupApprovalTask.objects.create(name=site_setup.EDITOR_TASK_NAME)
    site_setup.ensure_workflow()
    adopted = Task.objects.get(pk=legacy.pk).specific
    assert isinstance(adopted, EditorialApprovalTask) and adopted.name == site_setup.EDITOR_TASK_NAME
    assert list(site_setup.ensure_workflow().tasks.values_list("pk", flat=True))[0] == legacy.pk


# --------------------------------------------------------------------------- 8d: audit names the publisher
def test_audit_names_the_board_member_who_approved_as_publisher(portal, editorial):
    article, state = _submit(portal, editorial["author"])
    state.current_task_state.approve(user=editorial["editor"])
    state.refresh_from_db()
    state.current_task_state.approve(user=editorial["board"])
    article.refresh_from_db()
    assert article.live
    published = [actor for verb, actor in _verbs(article) if verb == "portal_page_published"]
    assert published == [editorial["board"].pk]


def test_audit_of_a_scheduled_publication_names_the_approver_not_the_author(portal, editorial):
    go_live = timezone.now() + datetime.timedelta(days=2)
    article, state = _submit(portal, editorial["author"], go_live_at=go_live)
    state.current_task_state.approve(user=editorial["editor"])
    state.refresh_from_db()
    state.current_task_state.approve(user=editorial["board"])
    article.refresh_from_db()
    assert not article.live
    events = _verbs(article)
    assert ("portal_page_scheduled", editorial["board"].pk) in events
    assert "portal_page_published" not in [verb for verb, _actor in events]  # not on the site yet

    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live
    published = [actor for verb, actor in _verbs(article) if verb == "portal_page_published"]
    assert published == [editorial["board"].pk]


# --------------------------------------------------------------------------- 8b: folded slugs
def test_page_saved_without_slug_gets_the_title_with_diacritics_folded(portal):
    from apps.portal.models import NewsArticlePage, StandardPage

    article = NewsArticlePage(title=TITLE, lead="Tóm tắt.")
    portal["news"].add_child(instance=article)
    assert article.slug == "so-khcn-to-chuc-hoi-nghi-tong-ket-chuyen-doi-so-nam-2025"
    twin = NewsArticlePage(title=TITLE, lead="Tóm tắt.")
    portal["news"].add_child(instance=twin)
    assert twin.slug == "so-khcn-to-chuc-hoi-nghi-tong-ket-chuyen-doi-so-nam-2025-2"
    page = StandardPage(title="Đường dây nóng Đắk Lắk")
    page._cached_parent_obj = portal["home"]
    page.full_clean(exclude=["path", "depth"])  # as the admin form does before the page is in the tree
    assert page.slug == "duong-day-nong-dak-lak"


def test_admin_creates_the_folded_slug_and_tells_the_browser_how_to_fold(client, portal, editorial):
    from apps.portal.models import NewsArticlePage

    admin = verified_client(client, editorial["author"])
    url = f"/quan-tri-noi-dung/pages/add/portal/newsarticlepage/{portal['news'].pk}/"
    html = admin.get(url).content.decode()
    # The slug field's w-slug controller gets formatters that fold "ở"/"đ" before it slugifies.
    assert "data-w-slug-formatters-value=" in html
    from apps.portal.models.pages import SLUG_FORMATTERS

    folds = {base: pattern for pattern, base in SLUG_FORMATTERS}
    assert "ở" in folds["o"] and "Ở" in folds["o"] and "đ" in folds["d"] and "ự" in folds["u"]

    response = admin.post(
        url,
        {
            "title": TITLE,
            "slug": "",
            "lead": "Tóm tắt.",
            "date": "2025-11-01",
            "body-count": "0",
            "body_en-count": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert (
        NewsArticlePage.objects.get(title=TITLE).slug
        == "so-khcn-to-chuc-hoi-nghi-tong-ket-chuyen-doi-so-nam-2025"
    )


# --------------------------------------------------------------------------- 8a: the admin in Vietnamese
def _visible_text(html: str) -> str:
    import re

    html = re.sub(r"(?is)<(script|style|svg|template)[^>]*>.*?</\1>", " ", html)
    return " ".join(re.sub(r"(?s)<[^>]+>", " ", html).split())


def _english(text: str, words) -> list[str]:
    import re

    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


ENGLISH = [
    "Pages", "Live", "Draft", "Submit for moderation", "Awaiting your review", "Request changes",
    "More actions", "Promote", "Page title", "Status", "In Moderation", "Workflow", "Reports", "Help",
    "Add child page", "View history", "Visit the live page", "Search all pages…", "Site summary",
    "Snippets", "Save draft", "Publish", "Approve",
]  # fmt: skip


def test_content_admin_speaks_vietnamese_to_the_editorial_office(client, portal, editorial):
    import json
    import re

    from apps.portal.models import NewsArticlePage

    live = NewsArticlePage(title="Tin đã đăng", lead="Tóm tắt.")
    portal["news"].add_child(instance=live)
    live.save_revision(user=editorial["author"]).publish()
    draft = NewsArticlePage(title="Bài nháp của tác giả", lead="Tóm tắt.", live=False)
    portal["news"].add_child(instance=draft)
    draft.save_revision(user=editorial["author"])
    in_review, _state = _submit(portal, editorial["author"], title="Bài đang chờ duyệt")

    editor = verified_client(client, editorial["editor"])
    pages = {
        "dashboard": editor.get("/quan-tri-noi-dung/").content.decode(),
        "explorer": editor.get(f"/quan-tri-noi-dung/pages/{portal['news'].pk}/").content.decode(),
        "review": editor.get(f"/quan-tri-noi-dung/pages/{in_review.pk}/edit/").content.decode(),
    }
    client.logout()
    author = verified_client(client, editorial["author"])
    pages["draft"] = author.get(f"/quan-tri-noi-dung/pages/{draft.pk}/edit/").content.decode()
    for name, html in pages.items():
        assert 'lang="vi"' in html, name
        assert _english(_visible_text(html), ENGLISH) == [], name
    # The sidebar menu is rendered from JSON: its labels are Vietnamese too.
    labels = [json.loads(f'"{m}"') for m in re.findall(r'"label": "([^"]*)"', pages["dashboard"])]
    assert "Trang" in labels and "Báo cáo" in labels and "Pages" not in labels and "Reports" not in labels

    assert "Chờ bạn duyệt" in _visible_text(pages["dashboard"])
    explorer = _visible_text(pages["explorer"])
    assert "đã đăng" in explorer and "Thao tác hàng loạt" in explorer
    assert 'aria-label="Thêm trang con"' in pages["explorer"]
    review = _visible_text(pages["review"])
    assert "Đang chờ duyệt" in review and "Yêu cầu sửa" in review and "Tìm kiếm và menu" in review
    assert "Tiêu đề trang như công chúng sẽ thấy" in review  # Wagtail's help text on the title
    assert "Gửi duyệt (Quy trình biên tập tin bài)" in _visible_text(pages["draft"])
