"""Indicators of the tasks module (plan 4.3: tasks assigned to units and reports from units).

Each function takes an organisation (its subtree is counted) and a period, and returns named values.
"""

from dataclasses import dataclass

from apps.core import indicators as registry
from apps.core.periods import Period

from .models import Assignment, AssignmentStatus, UnitReport


@dataclass(frozen=True)
class TaskFigures:
    assigned: int  # assignments (one per unit or person) given during the period
    done_on_time: int  # of those, completion reported by the deadline and accepted
    done_late: int  # accepted, but completion reported after the deadline
    open_overdue: int  # still open at the period's end and past their deadline then
    open_in_time: int  # still open at the period's end: deadline not passed, or reported in time


def task_figures(organization, period: Period) -> TaskFigures:
    """Assignments to units in `organization`'s subtree, assigned between period.start and period.end.

    "Late" compares the day completion was first reported (the one accepted) with the deadline in
    force, which includes granted extensions.
    """
    rows = Assignment.objects.filter(
        unit__path__startswith=organization.path,
        task__assigned_on__gte=period.start,
        task__assigned_on__lte=period.end,
    ).exclude(status=AssignmentStatus.CANCELLED)
    done_on_time = done_late = open_overdue = open_in_time = 0
    assigned = 0
    for status, due, reported, accepted in rows.values_list(
        "status", "due_date", "reported_on", "accepted_on"
    ):
        assigned += 1
        if status == AssignmentStatus.DONE and accepted and accepted <= period.end:
            if reported and reported <= due:
                done_on_time += 1
            else:
                done_late += 1
        elif status == AssignmentStatus.REPORTED and reported and reported <= min(due, period.end):
            open_in_time += 1  # reported in time, awaiting acceptance: not overdue
        elif period.end > due:
            open_overdue += 1
        else:
            open_in_time += 1
    return TaskFigures(assigned, done_on_time, done_late, open_overdue, open_in_time)


@dataclass(frozen=True)
class ReportFigures:
    expected: int  # unit reports of periods whose deadline falls in the period
    submitted_on_time: int  # first submitted by the deadline
    submitted_late: int
    not_submitted: int


def report_figures(organization, period: Period) -> ReportFigures:
    rows = UnitReport.objects.filter(
        organization__path__startswith=organization.path,
        period__due_date__gte=period.start,
        period__due_date__lte=period.end,
    ).values_list("first_submitted_on", "period__due_date")
    on_time = late = missing = 0
    for first, due in rows:
        if first is None:
            missing += 1
        elif first <= due:
            on_time += 1
        else:
            late += 1
    return ReportFigures(on_time + late + missing, on_time, late, missing)


# ---------------------------------------------------------------- the registry (DESIGN.md contract)

_tasks = registry.shared(task_figures)
_reports = registry.shared(report_figures)


def _publish(key, label, unit, source, name):
    def fn(organization, period: Period):
        return getattr(source(organization, period), name)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


_publish("tasks.assigned", "Nhiệm vụ giao cho đơn vị, cá nhân trong kỳ", "nhiệm vụ", _tasks, "assigned")
_publish("tasks.done_on_time", "Nhiệm vụ hoàn thành đúng hạn", "nhiệm vụ", _tasks, "done_on_time")
_publish("tasks.done_late", "Nhiệm vụ hoàn thành quá hạn", "nhiệm vụ", _tasks, "done_late")
_publish("tasks.open_overdue", "Nhiệm vụ chưa hoàn thành, đã quá hạn", "nhiệm vụ", _tasks, "open_overdue")
_publish("tasks.open_in_time", "Nhiệm vụ đang thực hiện trong hạn", "nhiệm vụ", _tasks, "open_in_time")
_publish(
    "tasks.reports.expected", "Báo cáo định kỳ đơn vị phải nộp trong kỳ", "báo cáo", _reports, "expected"
)
_publish(
    "tasks.reports.submitted_on_time",
    "Báo cáo định kỳ nộp đúng hạn",
    "báo cáo",
    _reports,
    "submitted_on_time",
)
_publish("tasks.reports.submitted_late", "Báo cáo định kỳ nộp muộn", "báo cáo", _reports, "submitted_late")
_publish("tasks.reports.not_submitted", "Báo cáo định kỳ chưa nộp", "báo cáo", _reports, "not_submitted")


def _done_on_time_share(organization, period: Period):
    f = _tasks(organization, period)
    return registry.percentage(f.done_on_time, f.assigned)


registry.register(
    "tasks.done_on_time.share",
    "Tỷ lệ nhiệm vụ hoàn thành đúng hạn trên số nhiệm vụ được giao",
    "%",
    _done_on_time_share,
)
