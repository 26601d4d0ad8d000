"""Every change of the module: scope check → transaction → audit (status: `workflow.py`) → on_commit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.counters.models import CounterDefinition
from apps.core.counters.service import format_reference

from . import notifications
from .models import (
    AssessmentAnswer,
    Asset,
    AssetClass,
    AssetService,
    AssetStatus,
    Incident,
    IncidentStatus,
    IncidentStep,
    InformationSystem,
    RemediationTask,
    SelfAssessment,
    StaffHeadcount,
)
from .selectors import INCIDENT_OWNERS, is_staff_member, manage_scope, view_scope
from .workflow import ASSET, add_months

# --- Assets -------------------------------------------------------------------------------------

EDITABLE_FIELDS = [
    "asset_type",
    "name",
    "model",
    "serial",
    "specification",
    "operating_system",
    "organization",
    "assigned_to",
    "assigned_name",
    "location",
    "purchase_date",
    "purchase_value",
    "purpose",
    "internet_connected",
    "antivirus_product",
    "antivirus_version",
    "antivirus_licence_expiry",
    "antivirus_last_update",
    "note",
]

# Fields the bulk edit may set on many assets at once.
BULK_FIELDS = [
    "organization",
    "location",
    "purpose",
    "internet_connected",
    "antivirus_product",
    "antivirus_version",
    "antivirus_licence_expiry",
    "antivirus_last_update",
]


def _require_manage(user, obj=None, org=None):
    scope = manage_scope(user)
    if scope.is_empty:
        raise PermissionDenied(_("Only the IT officer or an administrator may change IT assets."))
    if obj is not None and not scope.allows(obj):
        raise PermissionDenied(_("This record is outside your organisation."))
    if org is not None and not (scope.everything or org.pk in scope.organization_ids):
        raise PermissionDenied(_("You may not manage records of this unit."))


def class_for(asset: Asset, key: str | None = None) -> AssetClass | None:
    """The depreciation rule version that applied on the purchase date."""
    key = key or (asset.asset_class.key if asset.asset_class_id else default_class_key(asset.asset_type))
    return AssetClass.version_for(key, asset.purchase_date)


def default_class_key(asset_type: str) -> str:
    return {"computer": "may-tinh", "server": "may-chu", "network": "thiet-bi-mang"}.get(
        asset_type, asset_type
    )


def _value(v):
    if isinstance(v, datetime.date):
        return v.isoformat()
    if hasattr(v, "pk"):
        return str(v)
    return None if v is None else str(v)


def create_asset(user, *, class_key: str | None = None, **fields) -> Asset:
    _require_manage(user, org=fields.get("organization"))
    asset = Asset(**fields)
    asset.asset_class = class_for(asset, class_key)
    asset.full_clean()
    return workflow.create(asset, user, _("Registered"), verb="asset_created")


def update_asset(user, asset: Asset, **fields) -> Asset:
    _require_manage(user, obj=asset)
    if "organization" in fields:
        _require_manage(user, org=fields["organization"])
    changes = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable")
        old = getattr(asset, name)
        if old != value:
            changes[name] = [_value(old), _value(value)]
            setattr(asset, name, value)
    if not changes:
        return asset
    if "purchase_date" in changes or "asset_type" in changes:
        asset.asset_class = class_for(asset)
    asset.full_clean()
    with transaction.atomic():
        asset.save()
        record("asset_updated", asset, actor=user, changes=changes)
    return asset


def add_service(user, asset: Asset, **fields) -> AssetService:
    _require_manage(user, obj=asset)
    service = AssetService(asset=asset, recorded_by=user, **fields)
    service.full_clean()
    with transaction.atomic():
        service.save()
        record(
            "asset_serviced", asset, actor=user, note=f"{service.get_kind_display()}: {service.description}"
        )
    return service


def bulk_edit(
    user, assets, *, status: str = "", status_effective_on=None, status_note: str = "", **fields
) -> int:
    """Set the same values on many assets; all or nothing. Each asset's history records its changes.

    A new `status` goes through the asset machine (effective on `status_effective_on`);
    assets already in that status are left as they are.
    """
    fields = {k: v for k, v in fields.items() if k in BULK_FIELDS}
    if not fields and not status:
        raise ValidationError(_("Choose at least one field to change."))
    if status and status not in AssetStatus.values:
        raise ValidationError(_("Unknown status."))
    if status and status_effective_on is None:
        raise ValidationError(_("Give the date the new status takes effect."))
    assets = list(assets)
    if not assets:
        raise ValidationError(_("Select at least one asset."))
    with transaction.atomic():
        for asset in assets:
            if fields:
                update_asset(user, asset, **fields)
            if status and asset.status != status:
                try:
                    workflow.apply(
                        asset,
                        ASSET.action_to(status),
                        user,
                        note=status_note,
                        effective_on=status_effective_on,
                    )
                except ValidationError as exc:
                    raise ValidationError(f"{asset.code}: {' '.join(exc.messages)}") from exc
    return len(assets)


def record_headcount(user, organization, *, effective_from, headcount: int, note: str = "") -> StaffHeadcount:
    _require_manage(user, org=organization)
    with transaction.atomic():
        row, _created = StaffHeadcount.objects.update_or_create(
            organization=organization,
            effective_from=effective_from,
            defaults={"headcount": headcount, "note": note, "recorded_by": user},
        )
        record("headcount_recorded", row, actor=user, note=f"{organization}: {headcount}")
    return row


# --- Incidents ----------------------------------------------------------------------------------

INCIDENT_COUNTER = "itsec-incident"


def _ensure_counter():
    CounterDefinition.objects.get_or_create(
        key=INCIDENT_COUNTER,
        defaults={"name": "Sự cố an toàn thông tin", "format": "SC-{year}-{seq:04d}", "reset": "yearly"},
    )


def _reporter_unit(user):
    membership = (
        user.memberships.filter(is_active=True).exclude(role="citizen").select_related("organization").first()
    )
    return membership.organization if membership else None


def report_incident(user, *, title: str, description: str, occurred_at) -> Incident:
    if not is_staff_member(user):
        raise PermissionDenied(_("Only staff may report incidents here."))
    unit = _reporter_unit(user)
    if unit is None:
        raise PermissionDenied(_("Your account belongs to no unit."))
    if occurred_at > timezone.now():
        raise ValidationError(_("The time noticed cannot be in the future."))
    _ensure_counter()
    with transaction.atomic():
        incident = Incident(
            code=format_reference(INCIDENT_COUNTER, organization=unit.agency()),
            title=title,
            description=description,
            occurred_at=occurred_at,
            organization=unit,
            reported_by=user,
        )
        workflow.create(incident, user, verb="incident_reported")
        notifications.incident_reported(incident)
    return incident


def _require_incident_manager(user, incident):
    if not manage_scope(user).allows(incident):
        raise PermissionDenied(_("Only the IT officer may handle incidents."))


def triage_incident(
    user, incident: Incident, *, severity, category, assets=(), systems=(), note=""
) -> Incident:
    _require_incident_manager(user, incident)
    params = {"severity": severity, "category": category, "assets": assets, "systems": systems}
    return workflow.apply(incident, "triage", user, note=note, **params)


def add_step(user, incident: Incident, *, action: str, at=None) -> IncidentStep:
    _require_incident_manager(user, incident)
    if incident.status in (IncidentStatus.CLOSED, IncidentStatus.REJECTED):
        raise ValidationError(_("The incident is closed."))
    if incident.status == IncidentStatus.REPORTED:
        raise ValidationError(_("Triage the incident before recording response steps."))
    with transaction.atomic():
        step = IncidentStep.objects.create(
            incident=incident, at=at or timezone.now(), action=action, actor=user
        )
        if incident.status == IncidentStatus.TRIAGED:  # the first step starts the response
            workflow.apply(incident, "respond", user)
        record("incident_step", incident, actor=user, note=action)
    return step


def close_incident(user, incident: Incident, *, lessons_learned: str) -> Incident:
    _require_incident_manager(user, incident)
    return workflow.apply(incident, "close", user, lessons_learned=lessons_learned)


def reject_incident(user, incident: Incident, *, note: str) -> Incident:
    _require_incident_manager(user, incident)
    return workflow.apply(incident, "reject", user, note=note)


def can_view_incident(user, incident) -> bool:
    return view_scope(user).allows(incident, owner_fields=INCIDENT_OWNERS)


# --- Information systems ------------------------------------------------------------------------


def save_system(user, system: InformationSystem) -> InformationSystem:
    _require_manage(user, org=system.organization)
    creating = system.pk is None
    if creating:
        system.created_by = user
    system.full_clean()
    with transaction.atomic():
        system.save()
        record("system_created" if creating else "system_updated", system, actor=user)
    return system


def propose_level(user, system: InformationSystem) -> InformationSystem:
    from .classification import classify

    _require_manage(user, obj=system)
    proposal = classify(system)
    with transaction.atomic():
        system.proposed_level = proposal.level
        system.proposal_reasons = proposal.reasons
        system.save(update_fields=["proposed_level", "proposal_reasons"])
        record("system_level_proposed", system, actor=user, note=f"Cấp độ {proposal.level}")
    return system


# --- Self-assessments ---------------------------------------------------------------------------


def record_self_assessment(
    user, system: InformationSystem, *, performed_on, summary="", answers
) -> SelfAssessment:
    """`answers`: {requirement: {"result", "evidence", "finding", "remediation", "due_on"}}.

    A requirement not met (or partly met) needs a finding; a remediation text creates a task.
    """
    from .requirements import checklist

    _require_manage(user, obj=system)
    level = system.approved_level or system.proposed_level
    if not level:
        raise ValidationError(_("Propose or approve a level before assessing."))
    requirement_set, items = checklist(level, performed_on)
    expected = {r.pk for r in items}
    given = {r.pk for r in answers}
    if expected - given:
        raise ValidationError(_("Answer every requirement of the checklist."))
    for requirement, a in answers.items():
        if (
            a["result"] in (AssessmentAnswer.Result.NOT_MET, AssessmentAnswer.Result.PARTIAL)
            and not a.get("finding", "").strip()
        ):
            raise ValidationError(_("%(code)s: describe the finding.") % {"code": requirement.code})
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            system=system,
            requirement_set=requirement_set,
            level=level,
            performed_on=performed_on,
            performed_by=user,
            summary=summary,
        )
        for requirement, a in answers.items():
            answer = AssessmentAnswer.objects.create(
                assessment=assessment,
                requirement=requirement,
                result=a["result"],
                evidence=a.get("evidence", ""),
                finding=a.get("finding", ""),
            )
            if a.get("remediation", "").strip():
                RemediationTask.objects.create(
                    answer=answer, description=a["remediation"], due_on=a.get("due_on"), assigned_to=user
                )
        if system.approved_on or system.next_review_on:
            system.next_review_on = add_months(performed_on, system.review_every_months)
            system.save(update_fields=["next_review_on"])
        record("system_assessed", system, actor=user, note=f"{performed_on:%d/%m/%Y}, cấp độ {level}")
    return assessment


def complete_remediation(user, task, *, done_on) -> None:
    _require_manage(user, obj=task.answer.assessment.system)
    with transaction.atomic():
        task.done_on = done_on
        task.save(update_fields=["done_on"])
        record("remediation_done", task.answer.assessment.system, actor=user, note=task.description[:200])


def record_lan(user, organization, *, effective_from, has_lan: bool, note: str = ""):
    from .models import UnitNetwork

    _require_manage(user, org=organization)
    with transaction.atomic():
        row, _created = UnitNetwork.objects.update_or_create(
            organization=organization,
            effective_from=effective_from,
            defaults={"has_lan": has_lan, "note": note},
        )
        record("lan_recorded", row, actor=user, note=f"{organization}: {'có' if has_lan else 'không'} LAN")
    return row


# --- Skills and training ------------------------------------------------------------------------


def save_it_staff(user, person):
    """Create or change an IT staff record (qualification, unit, dates)."""
    _require_manage(user, org=person.organization)
    if person.pk:
        _require_manage(user, obj=type(person).objects.get(pk=person.pk))
    creating = person.pk is None
    if person.active_to and person.active_to < person.active_from:
        raise ValidationError(_("The end date cannot be before the start date."))
    person.full_clean()
    with transaction.atomic():
        person.save()
        record(
            "it_staff_created" if creating else "it_staff_updated",
            person,
            actor=user,
            note=f"{person.full_name}: {person.get_qualification_display()}",
        )
    return person


def save_course(user, course):
    _require_manage(user, org=course.organization)
    if course.pk:
        _require_manage(user, obj=type(course).objects.get(pk=course.pk))
    if course.ends_on < course.starts_on:
        raise ValidationError(_("The course cannot end before it starts."))
    creating = course.pk is None
    course.full_clean()
    with transaction.atomic():
        course.save()
        record("course_created" if creating else "course_updated", course, actor=user, note=course.title)
    return course


def record_attendance(user, course, *, full_name: str, attendee=None, passed: bool = True):
    """Add a person to a course's attendance list (once per course)."""
    from .models import Attendance

    _require_manage(user, obj=course)
    full_name = (full_name or (attendee.full_name if attendee else "")).strip()
    if not full_name:
        raise ValidationError(_("Enter the attendee's name."))
    key = " ".join(full_name.split()).casefold()
    rows = course.attendees.values_list("user_id", "full_name")
    if any(
        (attendee is not None and u == attendee.pk) or " ".join(n.split()).casefold() == key for u, n in rows
    ):
        raise ValidationError(_("%(name)s is already on the list.") % {"name": full_name})
    with transaction.atomic():
        row = Attendance.objects.create(course=course, user=attendee, full_name=full_name, passed=passed)
        record(
            "attendance_recorded", course, actor=user, note=f"{full_name}: {'đạt' if passed else 'chưa đạt'}"
        )
    return row


def remove_attendance(user, attendance) -> None:
    _require_manage(user, obj=attendance.course)
    with transaction.atomic():
        course, name = attendance.course, attendance.full_name
        attendance.delete()
        record("attendance_removed", course, actor=user, note=name)


def record_skills(user, organization, *, year: int, basic_it_skills: int, security_trained: int):
    """The unit's count of staff meeting the basic IT-skills standard / trained in security in a year."""
    from . import indicators
    from .models import StaffSkill

    _require_manage(user, org=organization)
    headcount = indicators.staff_of_unit(organization, datetime.date(year, 12, 31))
    if headcount is not None and max(basic_it_skills, security_trained) > headcount:
        raise ValidationError(_("The counts cannot exceed the unit's staff (%(n)d).") % {"n": headcount})
    with transaction.atomic():
        row, _created = StaffSkill.objects.update_or_create(
            organization=organization,
            year=year,
            defaults={"basic_it_skills": basic_it_skills, "security_trained": security_trained},
        )
        record(
            "skills_recorded",
            row,
            actor=user,
            note=f"{organization} {year}: {basic_it_skills} / {security_trained}",
        )
    return row
