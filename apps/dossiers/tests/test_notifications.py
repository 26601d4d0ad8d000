"""Notifications at each step: to the applicant, and to the officer who must act next."""

import pytest

from apps.core.notifications.models import OutboxMessage
from apps.dossiers import services
from apps.dossiers.notifications import ensure_templates
from apps.organizations.roles import Role

from .conftest import monday_9am

pytestmark = pytest.mark.django_db


def _to(user, event="dossier_task"):
    return OutboxMessage.objects.filter(event=event, recipient=user.email, channel="email")


def test_the_next_officer_is_told_at_each_hand_over(users, submit):
    ensure_templates()
    desk, leader = users[Role.ONE_STOP_OFFICER], users[Role.LEADER]
    head, specialist = users[Role.UNIT_HEAD], users[Role.SPECIALIST]
    dossier = submit()
    assert _to(desk).count() == 1  # a new dossier waits for the reception check
    assert OutboxMessage.objects.filter(event="dossier_task", channel="in_app").exists()
    services.act(dossier.pk, "receive", actor=desk, at=monday_9am())
    services.act(dossier.pk, "transfer", actor=desk, at=monday_9am())
    assert _to(leader).count() == 1
    services.act(dossier.pk, "assign", actor=leader, handler=head, at=monday_9am())
    assert _to(head).count() == 1
    services.act(dossier.pk, "assign", actor=head, handler=specialist, at=monday_9am())
    assert _to(specialist).count() == 1
    services.act(dossier.pk, "propose", actor=specialist, at=monday_9am())
    assert _to(leader).count() == 2
    message = _to(leader).last()
    assert dossier.code in message.subject


def test_the_applicant_is_told_at_each_step(users, submit):
    ensure_templates()
    desk, leader = users[Role.ONE_STOP_OFFICER], users[Role.LEADER]
    dossier = submit()
    services.act(dossier.pk, "receive", actor=desk, at=monday_9am())
    services.act(dossier.pk, "transfer", actor=desk, at=monday_9am())
    services.act(dossier.pk, "assign", actor=leader, handler=users[Role.UNIT_HEAD], at=monday_9am())
    events = list(
        OutboxMessage.objects.filter(recipient=dossier.applicant_email)
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert events == ["dossier_submitted", "dossier_received", "dossier_transfer", "dossier_assign"]


def test_a_refused_action_notifies_nobody(users, submit):
    ensure_templates()
    dossier = submit()
    before = OutboxMessage.objects.count()
    with pytest.raises(services.TransitionError):
        services.act(dossier.pk, "return_result", actor=users[Role.ONE_STOP_OFFICER])
    assert OutboxMessage.objects.count() == before
