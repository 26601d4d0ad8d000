"""The state machines of the module: assignments, tasks, extension requests, meetings and unit
reports. Moved only by `core.workflow.apply`; the services check scope (who may see the object)
first, the tables say who may take each move (DESIGN.md)."""

from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.workflow import SYSTEM
from apps.core.workflow import Transition as T

from . import models as m
from . import selectors

A, TS, E, MS, R = m.AssignmentStatus, m.TaskStatus, m.ExtensionStatus, m.MeetingStatus, m.UnitReportStatus

# Roles an actor holds for one object, from the module's predicates.
WORKER = "worker"  # works on the assignment: the assignee, its unit's staff, or the head for their staff
REVIEWER = "reviewer"  # the assigner, or a leader whose approve scope reaches the task
MANAGER = "manager"  # the organiser of the meeting, or an assigner whose change scope reaches it
FILLER = "filler"  # staff of the reporting unit
RECEIVER = "receiver"  # the leader receiving the report


def _assignment_roles(actor, assignment) -> set[str]:
    roles = {WORKER} if selectors.can_work_on(actor, assignment) else set()
    return roles | ({REVIEWER} if selectors.can_review(actor, assignment.task) else set())


def _report_roles(actor, report) -> set[str]:
    from . import reporting

    roles = {FILLER} if reporting.can_fill(actor, report) else set()
    return roles | ({RECEIVER} if reporting.can_review(actor, report) else set())


def _escalated(assignment, step):
    assignment.escalated_on = step.params["on"]


OPEN = {A.ASSIGNED, A.IN_PROGRESS}
ASSIGNMENT = workflow.Machine(
    "assignment",
    m.Assignment,
    [
        T("progress", _("Progress updated"), OPEN, A.IN_PROGRESS, {WORKER}),
        T("extension_request", _("Extension requested"), OPEN, None, {WORKER}, "extension_requested"),
        T("extension_refuse", _("Extension refused"), OPEN, None, {REVIEWER}, "extension_refused"),
        T("extend", _("Deadline extended"), OPEN, None, {REVIEWER}),  # only the deadline moves
        T("escalate", _("Overdue task escalated"), OPEN, None, {SYSTEM}, "assignment_escalated"),
        T("report", _("Completion reported"), OPEN, A.REPORTED, {WORKER}),
        T("accept", _("Completion accepted"), {A.REPORTED}, A.DONE, {REVIEWER}),
        T("return", _("Returned for more work"), {A.REPORTED}, A.IN_PROGRESS, {REVIEWER}),
        T("cancel", _("Assignment cancelled"), set(m.OPEN_ASSIGNMENT), A.CANCELLED, {REVIEWER}),
    ],
    initial={A.ASSIGNED},
    terminal={A.DONE, A.CANCELLED},
    history=m.AssignmentHistory,
    history_fk="assignment",
    roles_of=_assignment_roles,
    effects={"escalate": _escalated},
)

TASK = workflow.Machine(
    "task",
    m.Task,
    [
        T("close", _("Task completed"), {TS.OPEN}, TS.DONE, {REVIEWER}, "task_closed"),  # nothing left open
        T("reopen", _("Task reopened"), {TS.DONE}, TS.OPEN, {REVIEWER}, "task_reopened"),
        T("cancel", _("Task cancelled"), {TS.OPEN}, TS.CANCELLED, {REVIEWER}, "task_cancelled"),
    ],
    initial={TS.OPEN},
    terminal={TS.CANCELLED},
    history=m.TaskHistory,
    history_fk="task",
    roles_of=lambda actor, task: {REVIEWER} if selectors.can_review(actor, task) else set(),
)

EXTENSION = workflow.Machine(
    "assignment_extension",
    m.ExtensionRequest,
    [
        T("approve", _("Extension approved"), {E.PENDING}, E.APPROVED, {REVIEWER}, "extension_approved"),
        T("refuse", _("Extension refused"), {E.PENDING}, E.REFUSED, {REVIEWER}, "extension_request_refused"),
    ],
    initial={E.PENDING},
    terminal={E.APPROVED, E.REFUSED},
    history=m.ExtensionRequestHistory,
    history_fk="extension",
    roles_of=lambda actor, ext: {REVIEWER} if selectors.can_review(actor, ext.assignment.task) else set(),
    noun=_("extension request"),
)

MEETING = workflow.Machine(
    "meeting",
    m.Meeting,
    [
        T(
            "reschedule",
            _("Meeting rescheduled"),
            {MS.SCHEDULED},
            MS.SCHEDULED,
            {MANAGER},
            "meeting_rescheduled",
        ),
        T(
            "hold",
            _("Minutes recorded"),
            {MS.SCHEDULED, MS.HELD},
            MS.HELD,
            {MANAGER},
            "meeting_minutes_recorded",
        ),
        T("cancel", _("Meeting cancelled"), {MS.SCHEDULED}, MS.CANCELLED, {MANAGER}, "meeting_cancelled"),
    ],
    initial={MS.SCHEDULED},
    terminal={MS.CANCELLED},
    history=m.MeetingHistory,
    history_fk="meeting",
    roles_of=lambda actor, meeting: {MANAGER} if selectors.can_manage_meeting(actor, meeting) else set(),
    noun=_("meeting"),
)

EDITABLE = {R.DRAFT, R.RETURNED}
UNIT_REPORT = workflow.Machine(
    "unit_report",
    m.UnitReport,
    [
        T("submit", _("Report submitted"), EDITABLE, R.SUBMITTED, {FILLER}),
        T("accept", _("Report accepted"), {R.SUBMITTED}, R.ACCEPTED, {RECEIVER}),
        T("return", _("Report returned"), {R.SUBMITTED}, R.RETURNED, {RECEIVER}),
    ],
    initial={R.DRAFT},
    terminal={R.ACCEPTED},
    history=m.UnitReportHistory,
    history_fk="report",
    roles_of=_report_roles,
    noun=_("unit report"),
)

# The first row of an object's history names how it began (the engine's `create` calls it "create").
FIRST_ACTIONS = {
    "assign": _("Assigned"),
    "request": _("Extension requested"),
    "schedule": _("Meeting scheduled"),
    "open": _("Report period opened"),
}


def first_row(machine, obj, action: str, actor=None, note: str = ""):
    """The history row of an object's creation; its audit event is the caller's (one per task or
    period, not one per row)."""
    return machine.history.objects.create(
        **{machine.history_fk: obj},
        action=action,
        to_state=getattr(obj, machine.field),
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def action_label(machine, action: str):
    transition = machine.transitions.get(action)
    return transition.label if transition else FIRST_ACTIONS.get(action, action)
