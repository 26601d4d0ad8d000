"""Every view and endpoint, for every role: who gets in, who is refused."""

import pytest
from django.urls import reverse

from apps.organizations.roles import Role
from conftest import verified_client

R = Role
ALL = set(Role)
ACCOUNT_VIEWERS = {R.UNIT_HEAD, R.LEADER, R.IT_OFFICER, R.ADMINISTRATOR}
ORG_VIEWERS = ALL - {R.CITIZEN, R.EDITOR}

# name -> (url builder, roles that get 200; the others get 403)
PAGES = {
    "home": (lambda ctx: reverse("core:home"), ALL),
    "profile": (lambda ctx: reverse("accounts:profile"), ALL),
    "account_list": (lambda ctx: reverse("accounts:account_list"), ACCOUNT_VIEWERS),
    "account_export": (lambda ctx: reverse("accounts:account_list") + "?export=xlsx", ACCOUNT_VIEWERS),
    "account_create": (lambda ctx: reverse("accounts:account_create"), {R.ADMINISTRATOR}),
    "account_detail": (
        lambda ctx: reverse("accounts:account_detail", args=[ctx["target"].pk]),
        ACCOUNT_VIEWERS,
    ),
    "apiclient_list": (lambda ctx: reverse("accounts:apiclient_list"), {R.ADMINISTRATOR}),
    "organization_tree": (lambda ctx: reverse("organizations:tree"), ORG_VIEWERS),
    "organization_export": (lambda ctx: reverse("organizations:tree") + "?export=xlsx", ORG_VIEWERS),
    # Unit detail of "Phòng Quản lý Công nghệ": the agency-wide roles and that unit's members.
    "organization_detail": (
        lambda ctx: reverse("organizations:detail", args=[ctx["tree"]["tech"].pk]),
        {R.SPECIALIST, R.UNIT_HEAD, R.LEADER, R.CLERK, R.IT_OFFICER, R.ADMINISTRATOR},
    ),
    "audit_log": (lambda ctx: reverse("audit:event_list"), {R.ADMINISTRATOR}),
    "inbox": (lambda ctx: reverse("core:inbox"), ALL),
    "calendar_api": (lambda ctx: reverse("core:add_working_days") + "?date=2026-02-13&days=1", ALL),
    "api_me": (lambda ctx: reverse("api:me"), ALL),
    "api_tree": (lambda ctx: reverse("api:organization_tree"), ALL),
    "api_schema": (lambda ctx: reverse("api-schema"), ALL),
}

# Object pages answer 404 to a role that may use the module but not reach this object,
# so that they do not reveal that it exists.
OBJECT_PAGES = {"account_detail", "organization_detail"}

# POST actions: roles that may perform them (others get 403).
ACTIONS = {
    "suspend": (
        lambda ctx: reverse("accounts:account_action", args=[ctx["target"].pk, "suspend"]),
        {"note": "Tạm khoá để kiểm tra"},
        {R.ADMINISTRATOR},
    ),
    "assign_role": (
        lambda ctx: reverse("accounts:role_assign", args=[ctx["target"].pk]),
        {"organization": "office", "role": "clerk"},
        {R.ADMINISTRATOR},
    ),
    "create_account": (
        lambda ctx: reverse("accounts:account_create"),
        {
            "username": "moi",
            "full_name": "Người Mới",
            "email": "moi@example.vn",
            "organization": "tech",
            "role": "specialist",
            "password": "Mật-khẩu-dài-9",
        },
        {R.ADMINISTRATOR},
    ),
    "issue_token": (
        lambda ctx: reverse("accounts:apiclient_list"),
        {"name": "Cổng DVC", "organization": "agency", "scopes": ["organizations:read"]},
        {R.ADMINISTRATOR},
    ),
}


@pytest.fixture
def ctx(tree, users, make_user):
    return {"tree": tree, "users": users, "target": make_user(R.SPECIALIST, username="target")}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", list(PAGES))
def test_page_access_per_role(client, ctx, role, page):
    build, allowed = PAGES[page]
    verified_client(client, ctx["users"][role])
    response = client.get(build(ctx))
    expected = {200} if role in allowed else {403, 404} if page in OBJECT_PAGES else {403}
    assert response.status_code in expected, f"{role} on {page}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", [p for p in PAGES if p not in {"home", "api_schema", "calendar_api"}])
def test_anonymous_is_sent_to_login_or_refused(client, ctx, page):
    # The public pages (home, API schema, the working-day calculator for the portal) are excluded.
    response = client.get(PAGES[page][0](ctx))
    if page.startswith("api_"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_post_action_per_role(client, ctx, role, action):
    build, data, allowed = ACTIONS[action]
    data = {k: (ctx["tree"][v].pk if k == "organization" else v) for k, v in data.items()}
    verified_client(client, ctx["users"][role])
    response = client.post(build(ctx), data)
    if role in allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if action == "suspend":
            ctx["target"].refresh_from_db()
            assert ctx["target"].status == "suspended"
    else:
        assert response.status_code == 403
        ctx["target"].refresh_from_db()
        assert ctx["target"].status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_configuration_screens_only_for_administrators(client, ctx, role):
    verified_client(client, ctx["users"][role])
    index = client.get(reverse("admin:index"))
    calendar = client.get(reverse("admin:core_calendaroverride_changelist"))
    if role == R.ADMINISTRATOR:
        assert (index.status_code, calendar.status_code) == (200, 200)
    else:  # the admin site sends non-staff users to the (single) sign-in page
        assert index.status_code == 302 and calendar.status_code == 302


@pytest.mark.django_db
def test_leader_cannot_reach_an_account_of_another_agency(client, ctx, make_user):
    outsider = make_user(R.SPECIALIST, username="outsider", unit="other_unit")
    verified_client(client, ctx["users"][R.LEADER])
    assert client.get(reverse("accounts:account_detail", args=[outsider.pk])).status_code == 404
    listed = client.get(reverse("accounts:account_list")).content.decode()
    assert "target" in listed and "outsider" not in listed


@pytest.mark.django_db
def test_unit_head_sees_only_their_unit(client, ctx, make_user):
    in_office = make_user(R.SPECIALIST, username="office-person", unit="office")
    verified_client(client, ctx["users"][R.UNIT_HEAD])
    assert client.get(reverse("accounts:account_detail", args=[ctx["target"].pk])).status_code == 200
    assert client.get(reverse("accounts:account_detail", args=[in_office.pk])).status_code == 404
