"""What other modules may read of tasks: plain data, never model instances (DESIGN.md layers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicMeeting:
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    title: str
    chair: str
    place: str  # the room's name, or the other location


def weekly_schedule(organization_code: str, week_start: datetime.date) -> list[PublicMeeting]:
    """The public meetings of an agency's subtree in the week starting `week_start` (the portal's
    "Lịch công tác"); an unknown organisation has an empty schedule."""
    from apps.organizations.models import Organization

    from . import selectors

    organization = Organization.objects.filter(code=organization_code).first()
    if organization is None:
        return []
    return [
        PublicMeeting(m.starts_at, m.ends_at, m.title, m.chair, str(m.room) if m.room else m.location)
        for m in selectors.weekly_schedule(organization, week_start)
    ]


# ---------------------------------------------------------------- staff home counters
def home_counters(user) -> list:
    """The user's open assignments on the staff home (core.modules.register_counters): all, of which
    overdue and due this week (as the task lists flag them), and completions waiting for their
    acceptance."""
    import datetime as dt

    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from apps.core.modules import Counter

    from . import selectors
    from .models import OPEN_ASSIGNMENT, Assignment, AssignmentStatus

    today = selectors.today()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    rows = selectors.annotate_flags(selectors.my_assignments(user).filter(status__in=OPEN_ASSIGNMENT), today)
    working = [a for a in rows if a.status != AssignmentStatus.REPORTED]
    to_accept = Assignment.objects.filter(status=AssignmentStatus.REPORTED, task__assigned_by=user).count()
    mine = reverse("tasks:my_tasks")
    counters = [
        Counter(_("My open tasks"), len(working), mine),
        Counter(_("of which overdue"), sum(1 for a in working if a.overdue), mine, "danger"),
        Counter(
            _("of which due this week"),
            sum(1 for a in working if not a.overdue and a.due_date <= week_end),
            mine,
            "warning",
        ),
    ]
    if to_accept:
        counters.append(
            Counter(_("Completions waiting for my acceptance"), to_accept, reverse("tasks:board"))
        )
    return counters


def leader_overview(user) -> list:
    """For a leader: the board's totals across the units they oversee."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from apps.core.modules import Counter
    from apps.organizations.roles import Role
    from apps.organizations.selectors import has_role

    from . import selectors

    if not has_role(user, Role.LEADER):
        return []
    totals = selectors.board(user)["totals"]
    url = reverse("tasks:board")
    return [
        Counter(_("Tasks in progress on time"), totals["in_time"], url),
        Counter(_("Overdue tasks"), totals["overdue"], url, "danger"),
        Counter(_("Completions waiting for acceptance"), totals["reported"], url, "warning"),
    ]
