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
