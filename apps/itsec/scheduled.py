"""Scheduled work: reminders of periodic self-assessments of information systems.

One entry point (`remind_reviews`) used by Celery beat (task `itsec.remind_reviews`) and by the
management command `remind_itsec_reviews`. It also reminds the person assigned to a remediation
task past its due date (then every OVERDUE_REPEAT_DAYS until it is done).

A system whose next review falls within REVIEW_NOTICE_DAYS is announced once ("due"); once the
date has passed it is announced as overdue, then again every OVERDUE_REPEAT_DAYS until a
self-assessment moves the date on.
The clock is a parameter (`today`), so the schedule is tested with a frozen date.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from . import notifications
from .models import InformationSystem, RemediationTask

REVIEW_NOTICE_DAYS = 30
OVERDUE_REPEAT_DAYS = 7


def review_state(system, today: datetime.date) -> str:
    """ "overdue", "due" (within the notice period), "scheduled" or "" (no date)."""
    if not system.next_review_on:
        return ""
    if system.next_review_on < today:
        return "overdue"
    if system.next_review_on <= today + datetime.timedelta(days=REVIEW_NOTICE_DAYS):
        return "due"
    return "scheduled"


def _needs_reminder(system, today: datetime.date) -> bool:
    state = review_state(system, today)
    last = system.review_reminded_on
    if state == "due":
        # Once per cycle: not already reminded inside this notice period.
        return last is None or last < system.next_review_on - datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    if state == "overdue":
        return (
            last is None
            or last <= system.next_review_on
            or last <= today - datetime.timedelta(days=OVERDUE_REPEAT_DAYS)
        )
    return False


def remind_reviews(today: datetime.date | None = None) -> int:
    """Queue the reminders due on `today`; returns how many systems were reminded."""
    today = today or timezone.localdate()
    notifications.ensure_templates()
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    reminded = 0
    candidates = InformationSystem.objects.filter(
        next_review_on__isnull=False, next_review_on__lte=horizon
    ).select_related("organization")
    for system in candidates:
        if not _needs_reminder(system, today):
            continue
        with transaction.atomic():
            locked = InformationSystem.objects.select_for_update().get(pk=system.pk)
            if not _needs_reminder(locked, today):
                continue
            overdue = review_state(locked, today) == "overdue"
            notifications.review_reminder(system, overdue=overdue)
            locked.review_reminded_on = today
            locked.save(update_fields=["review_reminded_on"])
            record(
                "system_review_reminded",
                locked,
                note=("Quá hạn tự đánh giá từ " if overdue else "Đến hạn tự đánh giá ngày ")
                + f"{locked.next_review_on:%d/%m/%Y}",
            )
            reminded += 1
    remind_remediations(today)
    return reminded


def remind_remediations(today: datetime.date) -> int:
    """Remind assignees of remediation tasks past their due date; at most once a week each."""
    notifications.ensure_templates()
    repeat = today - datetime.timedelta(days=OVERDUE_REPEAT_DAYS)
    due = (
        RemediationTask.objects.filter(done_on__isnull=True, due_on__lt=today, assigned_to__isnull=False)
        .exclude(reminded_on__gt=repeat)
        .select_related("assigned_to", "answer__requirement", "answer__assessment__system")
    )
    sent = 0
    for task in due:
        with transaction.atomic():
            locked = RemediationTask.objects.select_for_update().get(pk=task.pk)
            if locked.done_on or (locked.reminded_on and locked.reminded_on > repeat):
                continue
            notifications.remediation_overdue(task)
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on"])
            record(
                "remediation_reminded",
                task.answer.assessment.system,
                note=f"{task.description[:200]} — hạn {task.due_on:%d/%m/%Y}",
            )
            sent += 1
    return sent
