"""Schedule of periodic self-assessments: due/overdue flags and reminders through the outbox,
with a frozen clock."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core import workflow
from apps.core.notifications.models import OutboxMessage
from apps.itsec import indicators, services
from apps.itsec.models import SecurityLevelStatus
from apps.itsec.scheduled import remind_reviews, review_state
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db

APPROVED = datetime.date(2024, 3, 15)


@pytest.fixture
def world(make_user, tree):
    it = make_user(Role.IT_OFFICER, username="it")
    other_it = make_user(Role.IT_OFFICER, username="it-yte", unit="other_unit")
    system = factories.system(
        tree["agency"], proposed_level=2, level_status=SecurityLevelStatus.SUBMITTED, review_every_months=12
    )
    workflow.apply(system, "approve", it, note="12/QĐ", reference="12/QĐ", on=APPROVED)
    system.refresh_from_db()
    return {"it": it, "other_it": other_it, "system": system, "tree": tree}


def _frozen(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def _messages(user, event=None):
    qs = OutboxMessage.objects.filter(recipient_user=user)
    return qs.filter(event=event) if event else qs


def test_approval_schedules_the_first_review(world):
    assert world["system"].next_review_on == datetime.date(2025, 3, 15)
    assert review_state(world["system"], datetime.date(2025, 1, 1)) == "scheduled"
    assert review_state(world["system"], datetime.date(2025, 3, 1)) == "due"
    assert review_state(world["system"], datetime.date(2025, 3, 16)) == "overdue"


def test_reminders_once_when_due_then_weekly_when_overdue(world, monkeypatch):
    it, other = world["it"], world["other_it"]
    assert remind_reviews(datetime.date(2025, 2, 1)) == 0  # more than 30 days ahead
    assert remind_reviews(datetime.date(2025, 2, 20)) == 1
    due = _messages(it, "itsec_review_due").get()
    assert "15/03/2025" in due.body and "Cổng thông tin" in due.body
    assert not _messages(other).exists()  # another agency's officer is not told
    assert remind_reviews(datetime.date(2025, 2, 21)) == 0  # once per notice period
    assert remind_reviews(datetime.date(2025, 3, 15)) == 0
    # The day after the due date: overdue, then again only after a week.
    _frozen(monkeypatch, datetime.date(2025, 3, 16))
    assert remind_reviews() == 1
    assert _messages(it, "itsec_review_overdue").count() == 1
    assert remind_reviews(datetime.date(2025, 3, 20)) == 0
    assert remind_reviews(datetime.date(2025, 3, 23)) == 1
    assert _messages(it, "itsec_review_overdue").count() == 2
    assert AuditEvent.objects.filter(verb="system_review_reminded").count() == 3


def test_a_self_assessment_moves_the_schedule_on(world):
    from apps.itsec.models import AssessmentAnswer
    from apps.itsec.requirements import checklist, ensure_requirement_sets

    ensure_requirement_sets()
    system = world["system"]
    remind_reviews(datetime.date(2025, 3, 20))
    _rs, items = checklist(2, datetime.date(2025, 3, 25))
    services.record_self_assessment(
        world["it"],
        system,
        performed_on=datetime.date(2025, 3, 25),
        answers={r: {"result": AssessmentAnswer.Result.MET} for r in items},
    )
    system.refresh_from_db()
    assert system.next_review_on == datetime.date(2026, 3, 25)
    assert review_state(system, datetime.date(2025, 3, 26)) == "scheduled"
    assert remind_reviews(datetime.date(2025, 4, 1)) == 0
    before = _messages(world["it"]).count()
    assert remind_reviews(datetime.date(2026, 3, 1)) == 1  # next cycle's notice
    assert _messages(world["it"], "itsec_review_overdue").count() == 1  # the one of 20/03/2025
    assert "25/03/2026" in _messages(world["it"], "itsec_review_due").get().body
    assert _messages(world["it"]).count() == before + 1


def test_overdue_flags_on_pages_and_indicators(client, world, monkeypatch):
    c = verified_client(client, world["it"])
    _frozen(monkeypatch, datetime.date(2025, 1, 1))
    page = c.get(reverse("itsec:system_list")).content.decode()
    assert "review-overdue" not in page and "review-due" not in page
    _frozen(monkeypatch, datetime.date(2025, 4, 1))
    page = c.get(reverse("itsec:system_list")).content.decode()
    assert "review-overdue" in page
    assert "Cổng thông tin" in c.get(reverse("itsec:system_list"), {"review": "overdue"}).content.decode()
    assert "Cổng thông tin" not in c.get(reverse("itsec:system_list"), {"review": "due"}).content.decode()
    assert (
        "review-overdue" in c.get(reverse("itsec:system_detail", args=[world["system"].pk])).content.decode()
    )
    agency = world["tree"]["agency"]
    assert indicators.reviews(agency, datetime.date(2025, 4, 1))["overdue"] == 1
    assert indicators.reviews(agency, datetime.date(2025, 3, 1))["due"] == 1


def test_remediation_tasks_past_due_are_flagged(client, world, monkeypatch):
    task = factories.remediation(world["system"])
    task.due_on = datetime.date(2024, 6, 30)
    task.save()
    agency = world["tree"]["agency"]
    assert indicators.reviews(agency, datetime.date(2024, 6, 1))["remediation_overdue"] == 0
    assert indicators.reviews(agency, datetime.date(2024, 7, 1))["remediation_overdue"] == 1
    c = verified_client(client, world["it"])
    url = reverse("itsec:system_detail", args=[world["system"].pk])
    _frozen(monkeypatch, datetime.date(2024, 7, 1))
    assert "remediation-overdue" in c.get(url).content.decode()
    services.complete_remediation(world["it"], task, done_on=datetime.date(2024, 7, 1))
    assert "remediation-overdue" not in c.get(url).content.decode()
    assert indicators.reviews(agency, datetime.date(2024, 7, 2))["remediation_open"] == 0


def test_management_command(world, capsys):
    call_command("remind_itsec_reviews", "--today", "2025-03-20")
    assert "1 system(s) reminded" in capsys.readouterr().out


def test_overdue_remediation_reminds_the_assignee_weekly(world):
    task = factories.remediation(world["system"])
    task.due_on, task.assigned_to = datetime.date(2024, 6, 30), world["it"]
    task.save()
    from apps.itsec.scheduled import remind_remediations

    assert remind_remediations(datetime.date(2024, 6, 30)) == 0  # due today: not late yet
    assert remind_remediations(datetime.date(2024, 7, 1)) == 1
    message = _messages(world["it"], "itsec_remediation_overdue").get()
    assert "30/06/2024" in message.body and "Bổ sung" in message.body
    assert remind_remediations(datetime.date(2024, 7, 5)) == 0
    assert remind_remediations(datetime.date(2024, 7, 8)) == 1
    services.complete_remediation(world["it"], task, done_on=datetime.date(2024, 7, 9))
    assert remind_remediations(datetime.date(2024, 7, 20)) == 0
    assert _messages(world["it"], "itsec_remediation_overdue").count() == 2
