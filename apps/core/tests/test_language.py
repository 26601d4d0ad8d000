import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_vietnamese_whatever_the_browser_asks(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html
    assert page["Content-Language"] == "vi"


@pytest.mark.django_db
def test_english_when_the_user_chooses_it(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html and "Sign in" in html


@pytest.mark.django_db
def test_numbers_and_dates_use_vietnamese_formats(client, users):
    from apps.organizations.roles import Role
    from conftest import verified_client

    verified_client(client, users[Role.ADMINISTRATOR])
    html = client.get(reverse("accounts:account_list")).content.decode()
    assert 'name="year" value="20' in html  # a year is never written "2.026"
    joined = users[Role.SPECIALIST].date_joined
    from django.utils import timezone

    assert timezone.localtime(joined).strftime("%d/%m/%Y") in html


@pytest.mark.django_db
def test_vietnamese_name_order_on_postgresql(make_user):
    from django.db import connection

    from apps.accounts.selectors import accounts_for
    from apps.organizations.roles import Role

    if connection.vendor != "postgresql":
        pytest.skip("ICU collation exists on PostgreSQL only; SQLite orders by code point")
    admin = make_user(Role.ADMINISTRATOR, username="qt")
    for i, name in enumerate(["Đinh Văn An", "Dương Thị Bình", "Ánh Minh", "Em Lê"]):
        make_user(Role.SPECIALIST, username=f"n{i}").__class__.objects.filter(username=f"n{i}").update(
            full_name=name
        )
    names = [u.full_name for u in accounts_for(admin) if u.username.startswith("n")]
    assert names == ["Ánh Minh", "Dương Thị Bình", "Đinh Văn An", "Em Lê"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "msgid, context, vietnamese",
    [
        ("Code", "", "Mã"),
        ("Code", "two-factor", "Mã xác thực"),
        ("Address", "", "Địa chỉ"),
        ("Address", "network", "Địa chỉ IP"),
        ("Pages", "", "Trang"),  # web pages (the content admin's menu)
        ("Pages", "page count", "Số trang"),  # a document's number of pages
        ("pages", "page count", "số trang"),
        ("Pages", "pagination", "Phân trang"),
        ("Retired", "", "Nghỉ hưu"),  # a person
        ("Retired", "no longer in force", "Ngừng áp dụng"),  # a procedure, a methodology
    ],
)
def test_ambiguous_words_are_told_apart_by_context(msgid, context, vietnamese):
    """A dossier code is no authentication code, an applicant's address no IP address (#18)."""
    from django.utils import translation

    with translation.override("vi"):
        said = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert said == vietnamese


@pytest.mark.django_db
def test_the_audit_log_and_the_code_form_use_their_own_words(client, users):
    from apps.organizations.roles import Role
    from conftest import verified_client

    verified_client(client, users[Role.ADMINISTRATOR])
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "Địa chỉ IP" in html
    client.logout()
    from django.utils import translation

    from apps.accounts.forms import CodeForm

    with translation.override("vi"):
        assert str(CodeForm().fields["code"].label) == "Mã xác thực"
