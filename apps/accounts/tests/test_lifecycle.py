import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError

from apps.accounts import services
from apps.accounts.models import User
from apps.audit.selectors import timeline
from apps.organizations.roles import Role


@pytest.fixture
def admin(users):
    return users[Role.ADMINISTRATOR]


@pytest.mark.django_db
def test_full_lifecycle_is_recorded(admin, tree):
    user = services.create_account(
        admin,
        username="moi",
        full_name="Trần Thị Mới",
        email="m@example.vn",
        organization=tree["tech"],
        role=Role.SPECIALIST,
        password="Mật-khẩu-123",
    )
    assert user.is_active and user.groups.filter(name="specialist").exists()

    services.suspend_account(admin, user, note="Nghỉ phép dài ngày")
    user.refresh_from_db()
    assert user.status == "suspended" and not user.is_active

    services.reactivate_account(admin, user)
    services.deactivate_account(admin, user, reason="retirement", on_date=datetime.date(2021, 9, 30))
    user.refresh_from_db()
    assert user.status == "deactivated" and user.deactivation_reason == "retirement"
    assert user.status_changed_on == datetime.date(2021, 9, 30)
    assert not user.memberships.filter(is_active=True).exists()
    assert not user.groups.exists()

    verbs = [e.verb for e in timeline(user) if not e.verb.startswith("fields_")]
    assert verbs == ["account_created", "account_suspended", "account_active", "account_deactivated"]
    assert all(e.actor_id == admin.pk for e in timeline(user) if not e.verb.startswith("fields_"))


@pytest.mark.django_db
def test_deactivation_needs_a_reason(admin, users):
    with pytest.raises(ValidationError):
        services.deactivate_account(admin, users[Role.SPECIALIST], reason="")
    users[Role.SPECIALIST].refresh_from_db()
    assert users[Role.SPECIALIST].status == "active"


@pytest.mark.django_db
def test_cannot_suspend_twice_or_oneself(admin, users):
    target = users[Role.SPECIALIST]
    services.suspend_account(admin, target, note="x")
    with pytest.raises(ValidationError):
        services.suspend_account(admin, target, note="again")
    with pytest.raises(ValidationError):
        services.suspend_account(admin, admin, note="me")


@pytest.mark.django_db
def test_accounts_are_never_deleted(users):
    with pytest.raises(ProtectedError):
        users[Role.SPECIALIST].delete()
    assert User.objects.filter(pk=users[Role.SPECIALIST].pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_change_lifecycles(users, role):
    with pytest.raises(PermissionDenied):
        services.suspend_account(users[role], users[Role.SPECIALIST], note="x")


@pytest.mark.django_db
def test_deactivated_user_loses_row_scope(users):
    from apps.organizations.scoping import restrict

    leader = users[Role.LEADER]
    assert restrict(leader, "view").organization_ids
    services.deactivate_account(users[Role.ADMINISTRATOR], leader, reason="transfer")
    leader.refresh_from_db()
    assert restrict(leader, "view").is_empty


@pytest.mark.django_db
def test_new_account_and_deactivation_are_notified_after_commit(
    admin, tree, django_capture_on_commit_callbacks
):
    from django.core import mail

    from apps.core.notifications.defaults import ensure_default_templates

    ensure_default_templates()
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_account(
            admin,
            username="moi",
            full_name="Trần Thị Mới",
            email="moi@example.vn",
            organization=tree["tech"],
            role=Role.SPECIALIST,
            password="Mật-khẩu-123",
        )
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]
    assert "Mật-khẩu-123" not in mail.outbox[0].body  # a password never travels by e-mail
    with django_capture_on_commit_callbacks(execute=True):
        services.deactivate_account(admin, user, reason="transfer")
    assert len(mail.outbox) == 2 and "moi" in mail.outbox[1].body


@pytest.mark.django_db
def test_account_list_queries_do_not_grow_with_rows(client, users, make_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from conftest import verified_client

    verified_client(client, users[Role.ADMINISTRATOR])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:account_list"))
    for i in range(20):
        make_user(Role.SPECIALIST, username=f"them{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("accounts:account_list")).status_code == 200
