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
def events(db, django_capture_on_commit_callbacks):
    # Events are chained once their transaction commits: run those commit hooks, as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        made = [record("test_event", None, note=f"sự kiện {i}") for i in range(5)]
    return [AuditEvent.objects.get(pk=e.pk) for e in made]


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


def test_events_are_chained_in_order_once_their_transaction_commits(events):
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_an_event_not_yet_chained_is_chained_by_the_verification(db):
    pending = record("test_event", None, note="chưa được nối")  # its commit hook never ran
    assert AuditEvent.objects.get(pk=pending.pk).seq is None
    checked, problems = verify_chain()
    assert checked == 1 and problems == []
    assert AuditEvent.objects.get(pk=pending.pk).seq == 1


@pytest.mark.django_db(transaction=True)
def test_database_lets_a_pending_event_be_chained_once_and_nothing_else_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    with transaction.atomic():
        pending = record("test_event", None, note="gốc")
        # Chaining may not smuggle in a change: giving it a seq and a new note is refused.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET seq = 99, note = 'x' WHERE id = %s", [pending.pk])
    chained = AuditEvent.objects.get(pk=pending.pk)  # chained by its commit hook
    assert chained.seq == 1 and chained.note == "gốc"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = 2 WHERE id = %s", [pending.pk])


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
    event = AuditEvent.objects.filter(verb="fields_updated", object_id=str(user.pk)).latest("id")
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


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_with_an_event_does_not_hold_up_another_writers_events_on_postgresql():
    """#16: the single head row must not queue unrelated writes behind each other's transactions."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    import threading
    import time

    from django.db import connections, transaction

    inside, release = threading.Event(), threading.Event()

    def long_transaction():
        try:
            with transaction.atomic():
                record("test_event", None, note="giao dịch dài")
                inside.set()
                release.wait(30)  # still scanning files, rendering, … with its event written
        finally:
            connections.close_all()

    worker = threading.Thread(target=long_transaction)
    worker.start()
    assert inside.wait(30)
    start = time.monotonic()
    other = record("test_event", None, note="giao dịch khác")  # commits, and is chained, at once
    waited = time.monotonic() - start
    release.set()
    worker.join(30)
    assert waited < 5, f"the second writer waited {waited:.1f} s for the first one's transaction"
    assert AuditEvent.objects.get(pk=other.pk).seq == 1
    assert AuditEvent.objects.get(note="giao dịch dài").seq == 2  # chained in the order of commits
    assert verify_chain()[1] == []
