"""Read queries and permission predicates of the tasks module, always scoped.

Who sees an assignment: whoever `restrict(user, "view")` reaches through the assignee unit, the
assignee person, the assigner, and the members of the assignee unit when the task was given to
the unit as a whole (a unit's staff work on the unit's tasks).
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.core.calendar import workdays
from apps.organizations.roles import Role
from apps.organizations.scoping import Action, restrict
from apps.organizations.selectors import roles_of, unit_ids_of

from .models import OPEN_ASSIGNMENT, Assignment, AssignmentStatus, Meeting, Task

ASSIGNER_ROLES = {Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR}


def today() -> datetime.date:
    return timezone.localdate()


def due_soon_workdays() -> int:
    return int(getattr(settings, "TASKS_DUE_SOON_WORKDAYS", 3))


def can_assign(user) -> bool:
    return bool(roles_of(user) & ASSIGNER_ROLES)  # a superuser holds the administrator role


def is_leader(user) -> bool:
    return bool(roles_of(user) & {Role.LEADER, Role.ADMINISTRATOR})


def assignable_units(user):
    """Units the user may assign to: those its approve scope reaches."""
    from apps.organizations.models import Organization, OrganizationKind

    scope = restrict(user, Action.APPROVE)
    qs = Organization.objects.filter(kind=OrganizationKind.UNIT)
    if not scope.everything:
        qs = qs.filter(pk__in=scope.organization_ids)
    return qs.order_by("name")


# ---------------------------------------------------------------- assignments


def assignments_for(user, action: str = Action.VIEW):
    scope = restrict(user, action)
    base = Assignment.objects.select_related("task", "unit", "assignee", "task__assigned_by")
    if scope.is_empty:
        return base.none()
    visible = scope.filter(base, org_field="unit", owner_fields=("assignee", "task__assigned_by"))
    own_units = unit_ids_of(user)
    if own_units and not scope.everything:
        visible = visible | base.filter(unit_id__in=own_units, assignee__isnull=True)
    return visible.distinct()


def my_assignments(user):
    units = unit_ids_of(user)
    return Assignment.objects.select_related("task", "unit", "assignee").filter(
        Q(assignee=user) | Q(assignee__isnull=True, unit_id__in=units)
    )


def unit_assignments(user):
    """Assignments of the units the user belongs to (and their subunits within the view scope)."""
    from apps.organizations.models import Organization

    paths = Organization.objects.filter(pk__in=unit_ids_of(user)).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return assignments_for(user).filter(condition)


def can_view_assignment(user, assignment) -> bool:
    return assignments_for(user).filter(pk=assignment.pk).exists()


def can_work_on(user, assignment) -> bool:
    """May update progress, ask for an extension and report completion."""
    if not getattr(user, "is_authenticated", False):
        return False
    if assignment.assignee_id:
        if assignment.assignee_id == user.pk:
            return True
        # the head of the assignee's unit may report for their staff
        return Role.UNIT_HEAD in roles_of(user) and restrict(user, Action.CHANGE).allows(
            assignment, org_field="unit"
        )
    return assignment.unit_id in unit_ids_of(user)


def can_review(user, task) -> bool:
    """May accept or return completion, decide extensions: the assigner, or a leader above the task."""
    if not getattr(user, "is_authenticated", False):
        return False
    if task.assigned_by_id == user.pk:
        return True
    return is_leader(user) and restrict(user, Action.APPROVE).allows(task, org_field="organization")


def soon_until(on: datetime.date) -> datetime.date:
    """Deadlines up to this day count as due soon (TASKS_DUE_SOON_WORKDAYS working days ahead)."""
    return workdays.add_working_days_to_date(on, due_soon_workdays())


def flags(assignment, on: datetime.date | None = None, until: datetime.date | None = None) -> dict:
    """Overdue / due-soon for an open assignment; done-late for a finished one."""
    on = on or today()
    result = {"overdue": False, "due_soon": False, "late": False}
    if assignment.status in OPEN_ASSIGNMENT and assignment.status != AssignmentStatus.REPORTED:
        if on > assignment.due_date:
            result["overdue"] = True
        elif (until or soon_until(on)) >= assignment.due_date:
            result["due_soon"] = True
    if assignment.reported_on and assignment.reported_on > assignment.due_date:
        result["late"] = True
    if (
        assignment.status == AssignmentStatus.REPORTED
        and on > assignment.due_date
        and not assignment.reported_on
    ):
        result["overdue"] = True
    return result


def annotate_flags(assignments, on: datetime.date | None = None) -> list:
    on = on or today()
    until = soon_until(on)
    rows = list(assignments)
    for a in rows:
        f = flags(a, on, until)
        a.overdue, a.due_soon, a.late = f["overdue"], f["due_soon"], f["late"]
    return rows


def board(user, on: datetime.date | None = None) -> dict:
    """The leader's board: counts per unit and per state (overdue is its own column)."""
    on = on or today()
    rows = annotate_flags(assignments_for(user).exclude(status=AssignmentStatus.CANCELLED), on)
    states = ["in_time", "overdue", "reported", "done_on_time", "done_late"]
    per_unit: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(states, 0)
    for a in rows:
        if a.status == AssignmentStatus.DONE:
            key = "done_late" if a.late else "done_on_time"
        elif a.status == AssignmentStatus.REPORTED:
            key = "reported"
        else:
            key = "overdue" if a.overdue else "in_time"
        unit = a.unit.short_name or a.unit.name
        per_unit.setdefault(unit, dict.fromkeys(states, 0))[key] += 1
        totals[key] += 1
    overdue = [a for a in rows if a.overdue]
    return {"per_unit": per_unit, "totals": totals, "overdue": overdue, "states": states, "rows": rows}


# ---------------------------------------------------------------- tasks, meetings


def tasks_for(user):
    ids = assignments_for(user).values("task_id")
    scope = restrict(user, Action.VIEW)
    qs = Task.objects.select_related("assigned_by", "organization")
    if scope.everything:
        return qs
    return qs.filter(Q(pk__in=ids) | Q(assigned_by=user) | Q(organization_id__in=scope.organization_ids))


def meetings_for(user):
    scope = restrict(user, Action.VIEW)
    base = Meeting.objects.select_related("room", "organizer", "organization")
    if scope.is_empty:
        return base.none()
    visible = scope.filter(base, org_field="organization", owner_fields=("organizer",))
    return (visible | base.filter(participants__user=user)).distinct()


def can_manage_meeting(user, meeting) -> bool:
    if meeting.organizer_id == getattr(user, "pk", None):
        return True
    return can_assign(user) and restrict(user, Action.CHANGE).allows(meeting, org_field="organization")


def weekly_schedule(organization, week_start: datetime.date):
    """Public meetings of the agency's subtree during the week starting `week_start` (a Monday)."""
    from apps.organizations.models import Organization

    start = timezone.make_aware(datetime.datetime.combine(week_start, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    orgs = Organization.objects.filter(path__startswith=organization.path)
    return (
        Meeting.objects.filter(organization__in=orgs, is_public=True, starts_at__gte=start, starts_at__lt=end)
        .exclude(status="cancelled")
        .select_related("room")
        .order_by("starts_at")
    )


def status_history(assignment) -> list[dict]:
    """The assignment's timeline (its own rows and those of the task as a whole), oldest first:
    when, who, what, from → to (as the user reads the states), note."""
    from .workflow import ASSIGNMENT, TASK, action_label

    rows = [(h, ASSIGNMENT, False) for h in assignment.history.select_related("actor")]
    rows += [(h, TASK, True) for h in assignment.task.history.select_related("actor")]
    rows.sort(key=lambda r: (r[0].at, r[2], r[0].pk))
    return [
        {
            "at": h.at,
            "actor": h.actor.get_full_name() if h.actor_id else "",
            "action": h.action,
            "label": action_label(machine, h.action),
            "from": machine.state_label(h.from_state) if h.from_state else "",
            "to": machine.state_label(h.to_state),
            "changed": h.from_state != h.to_state,
            "note": h.note,
            "whole_task": whole_task,
        }
        for h, machine, whole_task in rows
    ]
