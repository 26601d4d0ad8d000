"""Events of refused or failed actions outlive the rollback of the action (issue 16)."""

import pytest
from django.db import transaction
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core import events


class Refused(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_lasting_event_survives_the_rollback_and_an_ordinary_one_does_not():
    with pytest.raises(Refused), transaction.atomic():
        events.emit("ordinary_change", note="rolled back with its change")
        events.emit_lasting("action_failed", note="kept")
        raise Refused
    assert not AuditEvent.objects.filter(verb__in=["ordinary_change", "action_failed"]).exists()
    assert events.flush_lasting() == 1  # what the request's end does
    assert AuditEvent.objects.get(verb="action_failed").note == "kept"
    assert events.flush_lasting() == 0  # recorded once


@pytest.mark.django_db(transaction=True)
def test_a_lasting_event_is_recorded_after_a_commit_and_at_once_outside_a_transaction():
    with transaction.atomic():
        events.emit_lasting("failed_but_committed")
        assert not AuditEvent.objects.filter(verb="failed_but_committed").exists()
    assert AuditEvent.objects.filter(verb="failed_but_committed").count() == 1
    events.emit_lasting("outside")
    assert AuditEvent.objects.filter(verb="outside").count() == 1
    assert events.flush_lasting() == 0


@pytest.mark.django_db
def test_a_refused_sign_in_is_in_the_audit_log(client, make_user):
    make_user("specialist", username="chuyenvien")
    response = client.post(reverse("accounts:login"), {"username": "chuyenvien", "password": "sai"})
    assert response.status_code == 200  # the form again, with its error
    refused = AuditEvent.objects.get(verb="sign_in_refused")
    assert "chuyenvien" in refused.note and refused.ip_address == "127.0.0.1" and refused.actor is None
