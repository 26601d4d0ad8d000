"""Scheduled work with one entry point each, used by Celery beat and by management commands.

    send_task_reminders(today)   due-soon reminders to assignees, overdue reminders, and one
                                 escalation per overdue spell to the head of the assignee unit
    open_due_periods(today)      (reporting.open_due_periods) opens report periods on schedule
    send_report_reminders(today) reminds the heads of units whose report is not sent yet, as its
                                 deadline comes near and once a day after it has passed

Both are idempotent for a given day: running twice sends nothing twice.
"""

import datetime

from django.db import transaction

from apps.core import workflow
from apps.core.notifications.service import notify

from . import selectors
from .models import Assignment, AssignmentStatus, UnitReport, UnitReportStatus
from .reporting import open_due_periods  # noqa: F401  (re-exported entry point)


def send_task_reminders(today: datetime.date | None = None) -> dict:
    from .services import _recipients, unit_heads

    today = today or selectors.today()
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0}
    open_rows = Assignment.objects.filter(
        status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS]
    ).select_related("task", "unit", "assignee", "task__assigned_by")
    until = selectors.soon_until(today)
    for a in open_rows:
        f = selectors.flags(a, today, until)
        if not (f["due_soon"] or f["overdue"]):
            continue
        with transaction.atomic():
            a = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("task", "unit", "assignee")
                .get(pk=a.pk)
            )
            context = {"task": a.task, "assignment": a, "unit": a.unit, "due_date": a.due_date}
            if a.last_reminded_on != today:
                event = "task_overdue" if f["overdue"] else "task_due_soon"
                for user in _recipients(a):
                    notify(event, user=user, context=context)
                a.last_reminded_on = today
                a.save(update_fields=["last_reminded_on"])
                counts["overdue" if f["overdue"] else "due_soon"] += 1
            if f["overdue"] and a.escalated_on is None:
                heads = [h for h in unit_heads(a.unit) if h.pk != a.assignee_id] or [a.task.assigned_by]
                for head in heads:
                    notify("task_escalated", user=head, context=context)
                names = ", ".join(h.get_full_name() for h in heads)
                workflow.apply(a, "escalate", None, names, on=today)  # the system's move: actor None
                counts["escalated"] += 1
    return counts


def send_report_reminders(today: datetime.date | None = None) -> dict:
    from .services import _members, unit_heads

    today = today or selectors.today()
    until = selectors.soon_until(today)
    counts = {"due_soon": 0, "overdue": 0}
    pending = (
        UnitReport.objects.filter(
            status__in=[UnitReportStatus.DRAFT, UnitReportStatus.RETURNED], period__due_date__lte=until
        )
        .exclude(last_reminded_on=today)
        .select_related("period", "period__template", "organization")
    )
    for report in pending:
        overdue = today > report.period.due_date
        with transaction.atomic():
            locked = UnitReport.objects.select_for_update().get(pk=report.pk)
            if locked.last_reminded_on == today:
                continue
            event = "report_overdue" if overdue else "report_due_soon"
            for user in list(unit_heads(report.organization)) or list(_members(report.organization)):
                notify(event, user=user, context={"report": report, "period": report.period})
            locked.last_reminded_on = today
            locked.save(update_fields=["last_reminded_on"])
            counts["overdue" if overdue else "due_soon"] += 1
    return counts
