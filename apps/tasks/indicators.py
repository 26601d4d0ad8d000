"""Indicators of the tasks module (plan 4.3: tasks assigned to units and reports from units).

Each function takes an organisation (its subtree is counted) and a period, and returns named values.
"""

from dataclasses import dataclass

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
