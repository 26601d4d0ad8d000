"""Every change to a plan: permission check → transaction → audit event.

Status changes go through `core.workflow.apply` (see workflow.py); everything else is recorded with
`audit.services.record`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow as engine

from .models import Comment, LegalBasis, Plan, PlanSection, PlanStatus, Project, Target
from .selectors import can_edit, can_track, creatable_agencies, roles_for
from .workflow import plan_machine, project_machine

HEADER_FIELDS = [
    "title",
    "number_symbol",
    "place",
    "date",
    "figures_as_of",
    "parent_agency",
    "agency_name",
    "signer_authority",
    "signer_position",
    "signer_name",
    "recipients",
    "spent_equipment",
    "spent_software",
    "spent_services",
]
PROJECT_FIELDS = [
    "order",
    "name",
    "lead_unit",
    "objective",
    "timing",
    "total",
    "recurrent",
    "investment",
    "other",
    "notes",
]


def _require_edit(user, plan):
    if not can_edit(user, plan):
        raise PermissionDenied(_("Only a planner of the agency may change a draft plan."))


def create_plan(user, *, organization, year: int, title: str, **fields) -> Plan:
    if not creatable_agencies(user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("Only a planner of the agency may create its plan."))
    if Plan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            _("This agency already has a plan for %(year)s; revise it instead.") % {"year": year}
        )
    plan = Plan(organization=organization, year=year, title=title, created_by=user, **fields)
    return engine.create(plan, user, note=title, machine=plan_machine)


@transaction.atomic
def update_header(user, plan: Plan, data: dict) -> Plan:
    _require_edit(user, plan)
    changes = {}
    for name in HEADER_FIELDS:
        if name in data and getattr(plan, name) != data[name]:
            changes[name] = [str(getattr(plan, name)), str(data[name])]
            setattr(plan, name, data[name])
    plan.save()
    if changes:
        record("plan_updated", plan, actor=user, changes=changes)
    return plan


@transaction.atomic
def save_sections(user, plan: Plan, texts: dict[str, str]) -> None:
    _require_edit(user, plan)
    changed = []
    for code, text in texts.items():
        section, _made = PlanSection.objects.get_or_create(plan=plan, code=code)
        if section.text != text:
            section.text = text
            section.save()
            changed.append(code)
    if changed:
        record("plan_sections_updated", plan, actor=user, note=", ".join(changed))


@transaction.atomic
def save_rows(user, plan: Plan, formset, verb: str) -> None:
    """Saves a bases/targets/projects formset of a draft plan in one transaction."""
    _require_edit(user, plan)
    rows = formset.save(commit=False)
    for row in rows:
        row.plan = plan
        row.save()
    for row in formset.deleted_objects:
        row.delete()
    if rows or formset.deleted_objects:
        record(verb, plan, actor=user, note=f"{len(rows)} / {len(formset.deleted_objects)}")


@transaction.atomic
def save_project(user, plan: Plan, project: Project | None, data: dict) -> Project:
    _require_edit(user, plan)
    project = project or Project(plan=plan)
    if project.pk is None and not data.get("order"):
        data["order"] = (plan.projects.aggregate(m=Max("order"))["m"] or 0) + 1
    changes = {}
    for name in PROJECT_FIELDS:
        if name in data and getattr(project, name) != data[name]:
            changes[name] = [str(getattr(project, name)), str(data[name])]
            setattr(project, name, data[name])
    project.save()
    record("plan_project_saved", plan, actor=user, note=project.name[:200], changes=changes)
    return project


@transaction.atomic
def delete_project(user, project: Project) -> None:
    _require_edit(user, project.plan)
    record("plan_project_deleted", project.plan, actor=user, note=project.name[:200])
    project.delete()


@transaction.atomic
def replace_projects(user, plan: Plan, rows: list[dict], note: str = "") -> int:
    """The Excel import: the appendix becomes exactly these rows, or nothing changes."""
    _require_edit(user, plan)
    plan.projects.all().delete()
    for order, row in enumerate(rows, start=1):
        Project.objects.create(plan=plan, **{**row, "order": row.get("order") or order})
    record("plan_appendix_imported", plan, actor=user, note=note or f"{len(rows)}")
    return len(rows)


def add_comment(user, plan: Plan, text: str) -> Comment:
    if not roles_for(user, plan):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write a comment first."))
    with transaction.atomic():
        comment = Comment.objects.create(plan=plan, author=user, text=text.strip())
        record("plan_commented", plan, actor=user, note=text.strip()[:200])
    return comment


def move(user, plan: Plan, action: str, note: str = "", expected_version=None) -> Plan:
    """A status change of the plan (submit, approve, send back, revise)."""
    return engine.apply(
        plan, action, user, note=note, expected_version=expected_version, machine=plan_machine
    )


def revise(user, plan: Plan, note: str = "") -> Plan:
    """Revises an approved plan; returns the new draft version."""
    holder: dict = {}

    def keep(obj, step):
        holder["new"] = step.params["new_plan"]

    engine.apply(plan, "revise", user, note=note, machine=plan_machine, effect=keep)
    return holder["new"]


def copy_as_new_version(plan: Plan, actor) -> Plan:
    """The revision's effect (inside the workflow's transaction): a new draft with every part copied."""
    fields = {f: getattr(plan, f) for f in HEADER_FIELDS}
    new = Plan(
        organization=plan.organization,
        year=plan.year,
        version=plan.version + 1,
        previous=plan,
        created_by=actor if getattr(actor, "pk", None) else None,
        status=PlanStatus.DRAFT,
        **fields,
    )
    engine.create(
        new,
        actor,
        note=_("Version %(n)s, revising version %(old)s") % {"n": new.version, "old": plan.version},
        machine=plan_machine,
    )
    for basis in plan.bases.all():
        LegalBasis.objects.create(
            plan=new, part=basis.part, order=basis.order, text=basis.text, document_id=basis.document_id
        )
    for target in plan.targets.all():
        Target.objects.create(
            plan=new,
            order=target.order,
            text=target.text,
            indicator_key=target.indicator_key,
            target_value=target.target_value,
            unit=target.unit,
        )
    for section in plan.sections.all():
        PlanSection.objects.create(plan=new, code=section.code, text=section.text)
    for project in plan.projects.all():
        Project.objects.create(plan=new, **{f: getattr(project, f) for f in PROJECT_FIELDS})
    return new


def move_project(user, project: Project, action: str, note: str = "") -> Project:
    return engine.apply(project, action, user, note=note, machine=project_machine)


@transaction.atomic
def record_disbursement(user, project: Project, amount: int, note: str = "") -> Project:
    if not can_track(user, project.plan):
        raise PermissionDenied
    if project.plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("A project's progress is tracked once its plan is approved."))
    if amount < 0:
        raise ValidationError(_("The disbursed amount cannot be negative."))
    if amount > project.total:
        raise ValidationError(_("The disbursed amount cannot exceed the total investment."))
    before = project.disbursed
    project.disbursed = amount
    project.save(update_fields=["disbursed"])
    record(
        "plan_project_disbursed",
        project.plan,
        actor=user,
        note=note or project.name[:200],
        changes={"disbursed": [before, amount]},
    )
    return project


def send_for_signing(user, plan: Plan) -> int:
    """ "Gửi ký và ban hành": the generated DOCX becomes an outgoing draft in the documents module."""
    from apps.documents.public import create_outgoing_draft

    from . import document

    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan is sent for signing."))
    if plan.sent_document_id:
        raise ValidationError(_("This plan has already been sent for signing."))
    if not roles_for(user, plan) & {"planner", "leader", "administrator"}:
        raise PermissionDenied
    with transaction.atomic():
        doc_id = create_outgoing_draft(
            user,
            organization=plan.organization,
            filename=document.filename(plan, "docx"),
            content=document.to_docx(plan),
            summary=plan.title,
            type_abbreviation="KH",
            signer_name=plan.signer_name,
            signer_title=plan.signer_position,
        )
        Plan.objects.filter(pk=plan.pk).update(sent_document_id=doc_id)
        plan.sent_document_id = doc_id
        record("plan_sent_for_signing", plan, actor=user, note=str(doc_id))
    return doc_id
