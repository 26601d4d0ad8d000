"""Models of the core capabilities; each lives in its own sub-package."""

from .calendar.models import CalendarOverride, CalendarSettings, DayKind
from .counters.models import Counter, CounterDefinition, ResetPeriod
from .files.models import ScanStatus, StoredFile
from .notifications.models import Channel, MessageStatus, NotificationTemplate, OutboxMessage
from .rendering.models import JobStatus, RenderJob

__all__ = [
    "CalendarOverride",
    "CalendarSettings",
    "DayKind",
    "Counter",
    "CounterDefinition",
    "ResetPeriod",
    "StoredFile",
    "ScanStatus",
    "Channel",
    "MessageStatus",
    "NotificationTemplate",
    "OutboxMessage",
    "JobStatus",
    "RenderJob",
]
