"""Celery tasks (beat entries): tasks.send_task_reminders, tasks.open_due_periods and
tasks.send_report_reminders, each daily."""

import datetime

from celery import shared_task


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


@shared_task(name="tasks.send_task_reminders", acks_late=True)
def send_task_reminders(today: str | None = None) -> dict:
    from .scheduled import send_task_reminders as run

    return run(_day(today))


@shared_task(name="tasks.open_due_periods", acks_late=True)
def open_due_periods(today: str | None = None) -> list[int]:
    from .reporting import open_due_periods as run

    return [p.pk for p in run(_day(today))]


@shared_task(name="tasks.send_report_reminders", acks_late=True)
def send_report_reminders(today: str | None = None) -> dict:
    from .scheduled import send_report_reminders as run

    return run(_day(today))
