import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import record
from apps.audit.verification import verify_chain


def raw(sql: str, params=()):
    """Tamper as a database administrator would: straight SQL, around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


@pytest.fixture
def events(db):
    return [record("test_event", None, note=f"sự kiện {i}") for i in range(5)]


def test_untouched_chain_verifies(events, capsys):
    call_command("verify_audit")
    assert "5 sự kiện" in capsys.readouterr().out


def test_altered_event_is_reported(events):
    raw("UPDATE audit_auditevent SET note = %s WHERE seq = 3", ["đã sửa"])
    with pytest.raises(CommandError, match="KHÔNG toàn vẹn"):
        call_command("verify_audit")
    _, problems = verify_chain()
    assert [p.seq for p in problems] == [3]


def test_removed_event_is_reported(events):
    raw("DELETE FROM audit_auditevent WHERE seq = 2")
    _, problems = verify_chain()
    assert {p.seq for p in problems} >= {2}


def test_removed_last_event_is_reported(events):
    raw("DELETE FROM audit_auditevent WHERE seq = 5")
    _, problems = verify_chain()
    assert problems


def test_orm_refuses_changes(events):
    event = AuditEvent.objects.get(seq=1)
    event.note = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_database_refuses_changes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    record("test_event", None)
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'x'")


def test_field_changes_enter_the_chain(users):
    from apps.organizations.roles import Role

    user = users[Role.SPECIALIST]
    user.phone = "0262 3812 345"
    user.save()
    event = AuditEvent.objects.filter(verb="fields_updated", object_id=str(user.pk)).latest("seq")
    assert event.changes["phone"] == ["", "0262 3812 345"]
    assert not verify_chain()[1]


def test_request_context_is_recorded(client, users):
    from django.urls import reverse

    from apps.organizations.roles import Role
    from conftest import verified_client

    admin = users[Role.ADMINISTRATOR]
    target = users[Role.SPECIALIST]
    verified_client(client, admin)
    client.post(
        reverse("accounts:account_action", args=[target.pk, "suspend"]),
        {"note": "kiểm tra"},
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.get(verb="account_suspended")
    assert (event.actor_id, event.ip_address, event.note) == (admin.pk, "10.1.2.3", "kiểm tra")
    related = AuditEvent.objects.filter(request_id=event.request_id)
    assert related.filter(verb="fields_updated").exists()  # the diff is grouped with the event
