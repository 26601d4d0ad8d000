"""The state machines of the module: asset status, incident handling, security-level approval and
asset imports. Moved only by `core.workflow.apply`; the services check scope first (DESIGN.md)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.workflow import SYSTEM, TransitionError
from apps.core.workflow import Transition as T
from apps.organizations.selectors import roles_of

from . import models as m
from . import notifications
from .selectors import MANAGER_ROLES, manage_scope

A, INC, L, J = m.AssetStatus, m.IncidentStatus, m.SecurityLevelStatus, m.ImportStatus
M = MANAGER_ROLES  # the IT officer and the administrator, within their scope
REQUESTER = "requester"  # the import runs on behalf of whoever uploaded the file


def _managers(actor, obj) -> set[str]:
    """Roles count only for records inside the actor's management scope (their agency)."""
    return roles_of(actor) if manage_scope(actor).allows(obj) else set()


def _effective(asset, step):
    """The indicators count a status from the day it took effect, not from when it was entered."""
    on = step.params.get("effective_on") or timezone.localdate(step.at)
    if on < asset.purchase_date:
        raise TransitionError(_("The change cannot take effect before the purchase date."))
    step.history.effective_on = on


ALIVE = {A.IN_USE, A.SPARE, A.BROKEN}
ASSET = workflow.Machine(
    "asset",
    m.Asset,
    [
        T("use", _("Put in use"), ALIVE - {A.IN_USE}, A.IN_USE, M, "asset_in_use"),
        T("spare", _("Set aside as spare"), ALIVE - {A.SPARE}, A.SPARE, M, "asset_spare"),
        T("break", _("Report broken"), ALIVE - {A.BROKEN}, A.BROKEN, M, "asset_broken"),
        T("dispose", _("Dispose of the asset"), ALIVE, A.DISPOSED, M, "asset_disposed"),
    ],
    initial={A.IN_USE},
    terminal={A.DISPOSED},
    history=m.AssetStatusChange,
    history_fk="asset",
    roles_of=_managers,
    effects=dict.fromkeys(["use", "spare", "break", "dispose"], _effective),
)


def _triaged(incident, step):
    incident.severity, incident.category = step.params["severity"], step.params["category"]
    incident.assigned_to = incident.assigned_to or step.actor
    incident.assets.set(step.params.get("assets", ()))
    incident.systems.set(step.params.get("systems", ()))


def _closed(incident, step):
    lessons = step.params.get("lessons_learned", "")
    if not lessons.strip():
        raise TransitionError(_("Write the lessons learned before closing."))
    incident.lessons_learned, incident.closed_at = lessons, step.at
    notifications.incident_closed(incident)  # in the transaction: the outbox row goes with the move


INCIDENT = workflow.Machine(
    "incident",
    m.Incident,
    [
        T("triage", _("Triage"), {INC.REPORTED}, INC.TRIAGED, M, "incident_triaged"),
        T("respond", _("Start the response"), {INC.TRIAGED}, INC.RESPONDING, M, "incident_responding"),
        T("close", _("Close the incident"), {INC.TRIAGED, INC.RESPONDING}, INC.CLOSED, M, "incident_closed"),
        T("reject", _("Not an incident"), {INC.REPORTED}, INC.REJECTED, M, "incident_rejected"),
    ],
    initial={INC.REPORTED},
    terminal={INC.CLOSED, INC.REJECTED},
    history=m.IncidentStatusChange,
    history_fk="incident",
    roles_of=_managers,
    effects={
        "triage": _triaged,
        "close": _closed,
        "reject": lambda obj, step: setattr(obj, "closed_at", step.at),
    },
)


def _submitted(system, step):
    if not system.proposed_level:
        raise TransitionError(_("Run the classification before submitting."))
    system.submission_reference = step.params.get("reference", "")
    system.submitted_on = step.params.get("on") or timezone.localdate(step.at)


def add_months(day, months: int):
    month = day.month - 1 + months
    year = day.year + month // 12
    return day.replace(year=year, month=month % 12 + 1, day=min(day.day, 28))


def _approved(system, step):
    on = step.params.get("on") or timezone.localdate(step.at)
    system.approved_level = step.params.get("level") or system.proposed_level
    system.approval_reference, system.approved_on = step.params.get("reference", ""), on
    system.next_review_on = add_months(on, system.review_every_months)


SUBMITTABLE = {L.DRAFT, L.RETURNED, L.APPROVED}  # from "approved" too: re-classification (Art. 18)
LEVEL = workflow.Machine(
    "system_level",
    m.InformationSystem,
    [
        T("submit", _("Submit the proposal"), SUBMITTABLE, L.SUBMITTED, M, "system_level_submitted"),
        T("approve", _("Approve the level"), {L.SUBMITTED}, L.APPROVED, M, "system_level_approved"),
        T("return", _("Return the proposal"), {L.SUBMITTED}, L.RETURNED, M, "system_level_returned"),
    ],
    field="level_status",
    initial={L.DRAFT},
    history=m.SecurityLevelChange,
    history_fk="system",
    roles_of=_managers,
    effects={"submit": _submitted, "approve": _approved},
    noun=_("information system"),
)


def _ended(job, step):
    job.progress = 100
    for name, value in step.params.items():  # errors, message and the counts
        setattr(job, name, value)


UNFINISHED = {J.QUEUED, J.RUNNING}  # from "running" too: a lost worker's job is run again
ACTS = {SYSTEM, REQUESTER}
IMPORT = workflow.Machine(
    "asset_import",
    m.ImportJob,
    [
        T("start", _("Start the import"), UNFINISHED, J.RUNNING, ACTS, "assets_import_running"),
        T("finish", _("Finish the import"), {J.RUNNING}, J.DONE, ACTS, "assets_imported"),
        T("fail", _("Stop the import"), UNFINISHED, J.FAILED, ACTS, "assets_import_failed"),
    ],
    initial={J.QUEUED},
    terminal={J.DONE, J.FAILED},
    history=m.ImportJobStatusChange,
    history_fk="job",
    roles_of=lambda actor, job: {REQUESTER} if actor.pk == job.requested_by_id else set(),
    effects={"finish": _ended, "fail": _ended},
)
