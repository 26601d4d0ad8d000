"""The users' error pages (issue 18, point 3): Vietnamese, with ways on, also while DEBUG is on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core import views
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_debug(settings):
    """The demo's settings: DEBUG on, the friendly pages on."""
    settings.DEBUG = True
    settings.CQS_FRIENDLY_ERRORS = True
    return settings


def quiet_client(user=None):
    client = Client(raise_request_exception=False)
    return verified_client(client, user) if user is not None else client


def test_404_of_a_view_is_the_vietnamese_page_with_debug_on(demo_debug, users):
    client = quiet_client(users[Role.ONE_STOP_OFFICER])
    response = client.get(reverse("dossiers:detail", args=[987654]), HTTP_REFERER="http://testserver/ho-so/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="404"' in page and "Không tìm thấy trang" in page
    assert "Trang bạn tìm không tồn tại hoặc đã được chuyển sang địa chỉ khác." in page
    assert "Using the URLconf" not in page and "technical_404" not in page  # not Django's debug page
    assert 'href="http://testserver/ho-so/"' in page and "Quay lại trang trước" in page  # back
    assert reverse("core:staff_home") in page and "Về không gian làm việc" in page  # home


def test_404_of_an_unknown_path_is_the_vietnamese_page_with_debug_on(demo_debug):
    # No URL pattern matches (not even the portal's catch-all): Django answers before any view.
    response = quiet_client().get("/khong-co-trang-nay.txt")
    page = response.content.decode()
    assert response.status_code == 404 and 'data-status="404"' in page and "Không tìm thấy trang" in page
    assert "Đăng nhập" in page and reverse("accounts:login") + "?next=" in page  # an anonymous visitor


def test_with_the_setting_off_developers_keep_the_technical_pages(settings, users, monkeypatch):
    settings.DEBUG = True
    settings.CQS_FRIENDLY_ERRORS = False
    client = quiet_client(users[Role.ONE_STOP_OFFICER])
    page = client.get(reverse("dossiers:detail", args=[987654])).content.decode()
    assert 'data-status="404"' not in page and "Page not found" in page  # Django's debug 404

    def boom(user):
        raise RuntimeError("hỏng có chủ ý")

    monkeypatch.setattr(views, "modules_for", boom)
    response = client.get(reverse("core:staff_home"))
    assert response.status_code == 500 and "RuntimeError" in response.content.decode()  # the traceback


def test_403_shows_the_reason_the_view_gave(demo_debug, users):
    client = quiet_client(users[Role.SPECIALIST])
    response = client.get(reverse("dossiers:walk_in"))  # the one-stop desk's page
    page = response.content.decode()
    assert response.status_code == 403 and 'data-status="403"' in page
    assert "Bạn không có quyền truy cập trang này." in page
    assert 'id="error-reason"' in page and "Bạn không được mở trang này." in page  # the gate's reason


def test_403_handler_shows_any_permission_denied_reason_escaped(users):
    request = RequestFactory().get("/ke-hoach/")
    request.user = users[Role.SPECIALIST]
    response = views.error_403(request, PermissionDenied("Kế hoạch này nằm ngoài phạm vi của bạn <b>."))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Kế hoạch này nằm ngoài phạm vi của bạn &lt;b&gt;." in page
    bare = views.error_403(request, PermissionDenied()).content.decode()
    assert 'id="error-reason"' not in bare


def test_404_shows_no_developer_message_of_a_plain_http404(users):
    from django.http import Http404

    request = RequestFactory().get("/x/")
    request.user = users[Role.SPECIALIST]
    page = views.error_404(request, Http404("No Dossier matches the given query.")).content.decode()
    assert "No Dossier matches" not in page and 'id="error-reason"' not in page


@pytest.mark.parametrize("debug", [True, False])
def test_500_is_the_self_contained_page_rendered_by_the_handler(settings, users, monkeypatch, debug):
    settings.DEBUG = debug
    settings.CQS_FRIENDLY_ERRORS = True

    def boom(user):
        raise RuntimeError("hỏng có chủ ý")

    monkeypatch.setattr(views, "modules_for", boom)
    response = quiet_client(users[Role.LEADER]).get(reverse("core:staff_home"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-status="500"' in page and "Lỗi hệ thống" in page and 'href="/"' in page
    assert "RuntimeError" not in page and "hỏng có chủ ý" not in page  # nothing of the crash shown


def test_500_handler_needs_no_request_context():
    # Rendered without context processors (the database may be what failed).
    response = views.error_500(RequestFactory().get("/"))
    assert response.status_code == 500 and "Lỗi hệ thống" in response.content.decode()


def test_400_is_the_vietnamese_page_with_debug_on(demo_debug, users, monkeypatch):
    from django.core.exceptions import SuspiciousOperation

    def suspicious(user):
        raise SuspiciousOperation("giả lập")

    monkeypatch.setattr(views, "modules_for", suspicious)
    response = quiet_client(users[Role.LEADER]).get(reverse("core:staff_home"))
    page = response.content.decode()
    assert response.status_code == 400 and 'data-status="400"' in page
    assert "Không xử lý được yêu cầu." in page
