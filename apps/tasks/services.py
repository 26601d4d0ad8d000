"""Every change of assigned tasks and meetings: scope check → transaction → move by the machine in
`workflow.py` (role check, history row, audit event) → notify.

Periodic reports live in `reporting.py`; the scheduled entry points (reminders, escalation,
period opening) in `scheduled.py`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.files.intake import accept_upload
from apps.core.notifications.service import notify
from apps.organizations.roles import Role

from . import selectors
from .models import (
    OPEN_ASSIGNMENT,
    AgendaDocument,
    Assignment,
    ExtensionRequest,
    ExtensionStatus,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Participant,
    ProgressUpdate,
    Room,
    SourceKind,
    Task,
    TaskStatus,
)
from .workflow import ASSIGNMENT, EXTENSION, MEETING, first_row

EVIDENCE_PURPOSE = "task_evidence"
MEETING_PURPOSE = "meeting_document"


def _today(on):
    return on or selectors.today()


def _members(unit, roles=None):
    from apps.accounts.models import User

    qs = User.objects.filter(
        memberships__organization=unit, memberships__is_active=True, is_active=True
    ).exclude(memberships__role=Role.CITIZEN)
    if roles:
        qs = qs.filter(memberships__role__in=roles)
    return qs.distinct()


def unit_heads(unit):
    return _members(unit, roles=[Role.UNIT_HEAD])


def _recipients(assignment):
    if assignment.assignee_id:
        return [assignment.assignee]
    heads = list(unit_heads(assignment.unit))
    return heads or list(_members(assignment.unit))


def _context(assignment, **extra):
    return {
        "task": assignment.task,
        "assignment": assignment,
        "unit": assignment.unit,
        "due_date": assignment.due_date,
        **extra,
    }


def _notify_each(event, users, context):
    for user in users:
        notify(event, user=user, context=context)


# ================================================================ assignments


def _refresh_task(task, actor):
    """Close the task once no assignment is open; reopen it when one is returned."""
    states = set(task.assignments.values_list("status", flat=True))
    any_open = bool(states & set(OPEN_ASSIGNMENT))
    if task.status == TaskStatus.OPEN and states and not any_open:
        workflow.apply(task, "close", actor)
    elif task.status == TaskStatus.DONE and any_open:
        workflow.apply(task, "reopen", actor)


def assign_task(
    actor,
    *,
    title: str,
    due_date: datetime.date,
    units=(),
    people=(),
    description: str = "",
    expected_result: str = "",
    priority: str = "normal",
    source_kind: str = SourceKind.OTHER,
    source_reference: str = "",
    meeting=None,
    on: datetime.date | None = None,
) -> Task:
    """Create a task with one assignment per unit and per person."""
    if not selectors.can_assign(actor):
        raise PermissionDenied
    on = _today(on)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the task.")})
    if not units and not people:
        raise ValidationError({"units": _("Choose at least one unit or person.")})
    if due_date < on:
        raise ValidationError({"due_date": _("The deadline cannot be in the past.")})
    allowed = set(selectors.assignable_units(actor).values_list("pk", flat=True))
    person_units = []
    for person in people:
        unit_id = (
            person.memberships.filter(is_active=True, organization_id__in=allowed)
            .values_list("organization_id", flat=True)
            .first()
        )
        if unit_id is None:
            raise ValidationError(
                {
                    "people": _("%(name)s is outside the units you may assign to.")
                    % {"name": person.get_full_name() or person.username}
                }
            )
        person_units.append((person, unit_id))
    for unit in units:
        if unit.pk not in allowed:
            raise PermissionDenied
    agency = actor.memberships.filter(is_active=True).select_related("organization").first()
    organization = agency.organization.agency() if agency else units[0].agency()
    with transaction.atomic():
        task = Task.objects.create(
            organization=organization,
            title=title,
            description=description,
            expected_result=expected_result,
            priority=priority,
            source_kind=meeting and SourceKind.MEETING or source_kind,
            source_reference=source_reference,
            meeting=meeting,
            due_date=due_date,
            assigned_by=actor,
            assigned_on=on,
        )
        record("task_assigned", task, actor=actor, note=title[:1000])
        rows = [(unit.pk, None) for unit in units] + [(uid, person) for person, uid in person_units]
        for unit_id, person in rows:
            a = Assignment.objects.create(
                task=task, unit_id=unit_id, assignee=person, due_date=due_date, original_due_date=due_date
            )
            first_row(ASSIGNMENT, a, "assign", actor, title[:500])
            _notify_each("task_assigned", _recipients(a), _context(a, actor=actor))
    return task


def _in_scope(actor, assignment):
    """Who may see the assignment at all; who may take each move is the machine's table."""
    if not selectors.can_view_assignment(actor, assignment):
        raise PermissionDenied


def _evidence(assignment, actor, files):
    return [
        accept_upload(f, purpose=EVIDENCE_PURPOSE, user=actor, organization=assignment.unit) for f in files
    ]


def update_progress(actor, assignment, *, percent: int, note: str = "", files=(), on=None) -> ProgressUpdate:
    _in_scope(actor, assignment)
    on = _today(on)
    if percent is None or not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
    made = []

    def progressed(a, step):
        a.progress = int(percent)
        made.append(ProgressUpdate.objects.create(assignment=a, percent=percent, note=note, by=actor, on=on))
        made[0].evidence.set(_evidence(a, actor, files))  # stored only once the move is allowed

    workflow.apply(assignment, "progress", actor, note, effect=progressed)
    return made[0]


def request_extension(actor, assignment, *, new_due_date, reason: str) -> ExtensionRequest:
    _in_scope(actor, assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if new_due_date <= assignment.due_date:
        raise ValidationError({"new_due_date": _("The new deadline must be after the current one.")})
    made = []

    def requested(a, step):
        if a.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationError(_("An extension request is already waiting for a decision."))
        made.append(
            ExtensionRequest.objects.create(
                assignment=a, requested_due_date=new_due_date, reason=reason, requested_by=actor
            )
        )
        first_row(EXTENSION, made[0], "request", actor, reason)

    with transaction.atomic():
        assignment = workflow.apply(
            assignment, "extension_request", actor, f"→ {new_due_date:%d/%m/%Y}. {reason}", effect=requested
        )
        notify(
            "task_extension_requested",
            user=assignment.task.assigned_by,
            context=_context(assignment, actor=actor, extension=made[0]),
        )
    return made[0]


def decide_extension(actor, extension, *, approve: bool, note: str = "") -> ExtensionRequest:
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Give the reason for refusing.")})

    def decided(ext, step):
        ext.decided_by, ext.decided_at, ext.decision_note = actor, step.at, note

    with transaction.atomic():
        extension = workflow.apply(extension, "approve" if approve else "refuse", actor, note, effect=decided)
        assignment = extension.assignment
        if approve:
            new = extension.requested_due_date

            def extended(a, step):
                step.history.note = f"{a.due_date:%d/%m/%Y} → {new:%d/%m/%Y}. {note}".strip()
                a.due_date, a.escalated_on = new, None

            assignment = workflow.apply(assignment, "extend", actor, note, effect=extended)
        else:
            assignment = workflow.apply(assignment, "extension_refuse", actor, note)
        _notify_each(
            "task_extension_decided",
            [extension.requested_by],
            _context(assignment, actor=actor, extension=extension, approved=approve),
        )
    return extension


def report_completion(actor, assignment, *, note: str = "", files=(), on=None) -> Assignment:
    _in_scope(actor, assignment)
    on = _today(on)

    def reported(a, step):
        update = ProgressUpdate.objects.create(assignment=a, percent=100, note=note, by=actor, on=on)
        update.evidence.set(_evidence(a, actor, files))
        a.progress, a.reported_on = 100, on

    with transaction.atomic():
        assignment = workflow.apply(assignment, "report", actor, note, effect=reported)
        notify(
            "task_completion_reported",
            user=assignment.task.assigned_by,
            context=_context(assignment, actor=actor),
        )
    return assignment


def review_completion(actor, assignment, *, accept: bool, note: str = "", on=None) -> Assignment:
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say what is missing when returning the task.")})
    on = _today(on)
    with transaction.atomic():
        if accept:
            effect = lambda a, step: setattr(a, "accepted_on", on)  # noqa: E731
        else:
            effect = lambda a, step: setattr(a, "reported_on", None)  # noqa: E731
        assignment = workflow.apply(assignment, "accept" if accept else "return", actor, note, effect=effect)
        _refresh_task(assignment.task, actor)
        _notify_each(
            "task_reviewed",
            _recipients(assignment),
            _context(assignment, actor=actor, accepted=accept, note=note),
        )
    return assignment


def cancel_task(actor, task, *, note: str) -> Task:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reason for cancelling.")})
    with transaction.atomic():
        task = workflow.apply(task, "cancel", actor, note)
        for a in task.assignments.filter(status__in=OPEN_ASSIGNMENT):
            workflow.apply(a, "cancel", actor, note)
    return task


# ================================================================ meetings


def jitsi_url(meeting) -> str:
    base = getattr(settings, "JITSI_BASE_URL", "https://meet.jit.si").rstrip("/")
    return f"{base}/{meeting.online_room_name}"


def _check_room(room, starts_at, ends_at, exclude_pk=None):
    """Refuse an overlapping booking, inside the caller's transaction.

    On PostgreSQL the room row is locked first (SELECT … FOR UPDATE), so two concurrent bookings of
    the same room serialise here and the second one's overlap query sees the first. SQLite ignores
    row locks; the embedded single-process default relies on SQLite's single writer."""
    if room is None:
        return
    Room.objects.select_for_update().get(pk=room.pk)
    clash = (
        Meeting.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "room": _("The room is already booked from %(start)s to %(end)s (%(title)s).")
                % {
                    "start": timezone.localtime(clash.starts_at).strftime("%H:%M %d/%m/%Y"),
                    "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
                    "title": clash.title,
                }
            }
        )


def _validate_meeting(mode, room, location, starts_at, ends_at):
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and room is None and not location:
        errors["room"] = _("Choose a room or give a location for an in-person meeting.")
    if room is not None and not room.is_active:
        errors["room"] = _("This room is not available.")
    if errors:
        raise ValidationError(errors)


def schedule_meeting(
    actor,
    *,
    title,
    starts_at,
    ends_at,
    mode=MeetingMode.IN_PERSON,
    room=None,
    location="",
    description="",
    chair="",
    participants=(),
    is_public=True,
    organization=None,
) -> Meeting:
    if not selectors.can_assign(actor):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the meeting title.")})
    _validate_meeting(mode, room, location, starts_at, ends_at)
    if organization is None:
        membership = actor.memberships.filter(is_active=True).select_related("organization").first()
        organization = membership.organization if membership else None
    if organization is None:
        raise PermissionDenied
    with transaction.atomic():
        _check_room(room, starts_at, ends_at)
        meeting = Meeting.objects.create(
            organization=organization,
            title=title.strip(),
            description=description,
            mode=mode,
            room=room,
            location=location,
            starts_at=starts_at,
            ends_at=ends_at,
            chair=chair,
            organizer=actor,
            is_public=is_public,
        )
        first_row(MEETING, meeting, "schedule", actor)
        record("meeting_scheduled", meeting, actor=actor)
        for user in participants:
            Participant.objects.create(meeting=meeting, user=user)
        _invite(meeting, meeting.participants.select_related("user"))
    return meeting


def _invite(meeting, participants, *, event="meeting_invitation"):
    from .ical import meeting_ics

    for p in participants:
        ics = meeting_ics(meeting, attendee=p.user)
        notify(
            event,
            user=p.user,
            context={"meeting": meeting, "online_url": jitsi_url(meeting) if meeting.is_online else ""},
            attachments=[("cuoc-hop.ics", ics.encode(), "text/calendar")],
        )
        p.invited_at = timezone.now()
        p.save(update_fields=["invited_at"])


def reschedule_meeting(actor, meeting, *, starts_at, ends_at, room=None, location="") -> Meeting:
    _validate_meeting(meeting.mode, room, location, starts_at, ends_at)

    def moved(mt, step):
        _check_room(room, starts_at, ends_at, exclude_pk=mt.pk)
        mt.starts_at, mt.ends_at, mt.room, mt.location = starts_at, ends_at, room, location
        mt.sequence += 1

    with transaction.atomic():
        meeting = workflow.apply(meeting, "reschedule", actor, effect=moved)
        _invite(meeting, meeting.participants.select_related("user"), event="meeting_changed")
    return meeting


def cancel_meeting(actor, meeting, *, note="") -> Meeting:
    with transaction.atomic():
        meeting = workflow.apply(meeting, "cancel", actor, note, effect=_next_sequence)
        for p in meeting.participants.select_related("user"):
            notify("meeting_cancelled", user=p.user, context={"meeting": meeting, "note": note})
    return meeting


def _next_sequence(meeting, step):
    meeting.sequence += 1  # iCalendar: every change of the event is a new revision


def add_agenda_document(actor, meeting, *, title, file) -> AgendaDocument:
    if not selectors.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    with transaction.atomic():
        stored = accept_upload(file, purpose=MEETING_PURPOSE, user=actor, organization=meeting.organization)
        doc = AgendaDocument.objects.create(meeting=meeting, title=title or stored.original_name, file=stored)
        record("meeting_document_added", meeting, actor=actor, note=doc.title)
    return doc


def record_minutes(actor, meeting, *, minutes: str, attendance: dict | None = None, file=None) -> Meeting:
    """Write the minutes and attendance (participant pk → Attendance); marks the meeting held."""
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes.")})

    def held(mt, step):  # runs once the move is allowed: no file is stored for a refused one
        mt.minutes = minutes
        if file is not None:
            mt.minutes_file = accept_upload(
                file, purpose=MEETING_PURPOSE, user=actor, organization=mt.organization
            )
        for participant in mt.participants.all():
            value = (attendance or {}).get(participant.pk)
            if value and value != participant.attendance:
                participant.attendance = value
                participant.save(update_fields=["attendance"])

    return workflow.apply(meeting, "hold", actor, effect=held)


def task_from_minutes(actor, meeting, **task_fields) -> Task:
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Record the minutes before creating tasks from them."))
    if not selectors.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    task_fields.setdefault(
        "source_reference",
        f"Kết luận cuộc họp «{meeting.title}» ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}",
    )
    return assign_task(actor, meeting=meeting, source_kind=SourceKind.MEETING, **task_fields)
