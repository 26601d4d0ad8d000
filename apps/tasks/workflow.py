"""The transition tables: (action) -> (allowed from-states, to-state), one per stateful entity.

Services apply transitions only through `target(table, action, current)`, which refuses any
move the table does not list.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AssignmentStatus as A
from .models import MeetingStatus as M
from .models import TaskStatus as T
from .models import UnitReportStatus as R

ASSIGNMENT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": ((), A.ASSIGNED),
    "progress": ((A.ASSIGNED, A.IN_PROGRESS), A.IN_PROGRESS),
    "extend": ((A.ASSIGNED, A.IN_PROGRESS), None),  # the state stays; only the deadline moves
    "report": ((A.ASSIGNED, A.IN_PROGRESS), A.REPORTED),
    "accept": ((A.REPORTED,), A.DONE),
    "return": ((A.REPORTED,), A.IN_PROGRESS),
    "cancel": ((A.ASSIGNED, A.IN_PROGRESS, A.REPORTED), A.CANCELLED),
}

TASK_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "close": ((T.OPEN,), T.DONE),  # every assignment accepted (or cancelled)
    "reopen": ((T.DONE,), T.OPEN),
    "cancel": ((T.OPEN,), T.CANCELLED),
}

MEETING_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "schedule": ((), M.SCHEDULED),
    "reschedule": ((M.SCHEDULED,), M.SCHEDULED),
    "hold": ((M.SCHEDULED, M.HELD), M.HELD),  # recording the minutes marks it held
    "cancel": ((M.SCHEDULED,), M.CANCELLED),
}

REPORT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "save": ((R.DRAFT, R.RETURNED), None),
    "submit": ((R.DRAFT, R.RETURNED), R.SUBMITTED),
    "accept": ((R.SUBMITTED,), R.ACCEPTED),
    "return": ((R.SUBMITTED,), R.RETURNED),
}


def target(table: dict, action: str, current: str) -> str:
    """The state after `action` from `current`, or ValidationError when the table forbids it."""
    allowed, to_state = table[action]
    if allowed and current not in allowed:
        raise ValidationError(_("This action is not possible in the current state."), code="bad_transition")
    return to_state or current


def allowed_actions(table: dict, current: str) -> set[str]:
    return {action for action, (allowed, _to) in table.items() if current in allowed}


# What each action is called in a status history (the rows keep the action code).
ACTION_LABELS = {
    "assign": gettext_lazy("Assigned"),
    "progress": gettext_lazy("Progress updated"),
    "extend": gettext_lazy("Deadline extended"),
    "extension_request": gettext_lazy("Extension requested"),
    "extension_refuse": gettext_lazy("Extension refused"),
    "report": gettext_lazy("Completion reported"),
    "accept": gettext_lazy("Completion accepted"),
    "return": gettext_lazy("Returned for more work"),
    "cancel": gettext_lazy("Cancelled"),
    "close": gettext_lazy("Task completed"),
    "reopen": gettext_lazy("Task reopened"),
}
