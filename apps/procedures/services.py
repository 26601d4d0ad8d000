"""Every state change of the catalogue: permission check → transaction → status history → audit event.

Versions move draft → published → retired (the table in workflow.py). Publishing a version closes the
one in force the day before the new one starts, so at most one published version is in force on
any date; a published version is never edited again.

`actor=None` means the system itself (demo seeder, import command run by an operator on the
server); a user actor must be allowed to manage the catalogue.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.workflow import TransitionError
from apps.organizations.scoping import Action, restrict

from .models import Field, Procedure, ProcedureVersion, VersionStatus
from .schema import validate_version_payload
from .text import normalize
from .workflow import VERSION

# Fields copied from one version to the next and editable on a draft.
VERSION_FIELDS = (
    "code",
    "name",
    "field",
    "competent_unit",
    "legal_bases",
    "processing_days",
    "steps",
    "documents",
    "form_fields",
    "fee",
    "result_type",
    "legacy_level",
    "online_level",
    "channels",
    "source_url",
    "note",
)


def can_manage(user) -> bool:
    """Administrators (and superusers) maintain the catalogue."""
    return restrict(user, Action.MANAGE).everything


def _require_manage(actor) -> None:
    if actor is not None and not can_manage(actor):
        raise PermissionDenied(_("You may not change the procedure catalogue."))


def field_named(name: str) -> Field:
    field, _created = Field.objects.get_or_create(name=name.strip())
    return field


def procedure_key(code: str, name: str) -> str:
    return code.strip() or normalize(name)[:300]


def _full_clean(version: ProcedureVersion) -> None:
    version.full_clean(exclude=["procedure", "number", "status"], validate_unique=False)
    validate_version_payload(version)


@transaction.atomic
def create_procedure(actor, *, key: str | None = None, **values) -> ProcedureVersion:
    """A new procedure with its first version as a draft."""
    _require_manage(actor)
    procedure = Procedure.objects.create(key=key or procedure_key(values.get("code", ""), values["name"]))
    version = ProcedureVersion(procedure=procedure, number=1, status=VersionStatus.DRAFT, created_by=actor)
    for name, value in values.items():
        setattr(version, name, value)
    _full_clean(version)
    return workflow.create(version, actor, machine=VERSION)


@transaction.atomic
def create_draft(actor, procedure: Procedure) -> ProcedureVersion:
    """A new draft copied from the version in force (or the latest one)."""
    _require_manage(actor)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This procedure already has a draft; edit that one."))
    from .selectors import effective_on

    source = effective_on(procedure.versions.all()).first() or procedure.versions.order_by("-number").first()
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ProcedureVersion(procedure=procedure, number=number, status=VersionStatus.DRAFT, created_by=actor)
    for name in VERSION_FIELDS:
        setattr(draft, name, getattr(source, name))
    return workflow.create(draft, actor, note=f"v{source.number}", machine=VERSION)


@transaction.atomic
def update_draft(actor, version: ProcedureVersion, **values) -> ProcedureVersion:
    """Change a draft; published and retired versions are frozen."""
    _require_manage(actor)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise TransitionError(_("Only a draft can be edited; create a new draft from this version."))
    changes = {}
    for name, value in values.items():
        if name not in VERSION_FIELDS:
            raise ValueError(name)
        old = getattr(version, name)
        if old != value:
            changes[name] = [str(old), str(value)]
        setattr(version, name, value)
    _full_clean(version)
    version.save()
    if changes:
        record("procedure_draft_updated", version, actor=actor, changes=changes)
    return version


@transaction.atomic
def publish(actor, version: ProcedureVersion, *, effective_from: datetime.date | None = None, note: str = ""):
    """Publish a draft from `effective_from` (today by default), closing the version in force."""
    _require_manage(actor)
    Procedure.objects.select_for_update().get(pk=version.procedure_id)  # one publisher at a time
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    today = timezone.localdate()
    effective_from = effective_from or today
    if version.status == VersionStatus.DRAFT:
        errors = {}
        if version.processing_days is None or version.processing_days <= 0:
            errors["processing_days"] = [_("Set the processing time before publishing.")]
        elif not version.steps:
            errors["steps"] = [_("Split the processing time into steps before publishing.")]
        if errors:
            raise ValidationError(errors)
        _full_clean(version)
    published = list(
        version.procedure.versions.select_for_update()
        .filter(status=VersionStatus.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("effective_from")
    )
    for other in published:
        if other.effective_from and other.effective_from >= effective_from:
            raise ValidationError(
                {
                    "effective_from": [
                        _("The new version must take effect after %(date)s, when version %(n)s took effect.")
                        % {"date": other.effective_from.strftime("%d/%m/%Y"), "n": other.number}
                    ]
                }
            )
    end = effective_from - datetime.timedelta(days=1)
    for other in published:  # close the versions in force first: one open version at a time
        if other.effective_to is None or other.effective_to > end:
            other.effective_to = end
            other.save(update_fields=["effective_to"])
    version = workflow.apply(version, "publish", actor, note, machine=VERSION, effective_from=effective_from)
    for other in published:
        if other.effective_to < today:
            note = _("Replaced by version %(n)s") % {"n": version.number}
            workflow.apply(other, "retire", actor, note, machine=VERSION)
    return version


@transaction.atomic
def retire(actor, version: ProcedureVersion, *, note: str = "") -> ProcedureVersion:
    """Withdraw a published version: it is no longer in force from today."""
    _require_manage(actor)
    return workflow.apply(version, "retire", actor, note, machine=VERSION)


def retire_expired(on: datetime.date | None = None) -> int:
    """Scheduled: mark published versions whose end date has passed as retired."""
    on = on or timezone.localdate()
    expired = list(ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_to__lt=on))
    for version in expired:
        workflow.apply(version, "retire", None, _("End of validity"), machine=VERSION, on=on)
    return len(expired)


def days(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


TEMPLATE_PURPOSE = "procedure_template"


def _register_template_purpose() -> None:
    from apps.core.files.intake import DOCX, MB, ODT, PDF, XLSX, register_purpose

    register_purpose(TEMPLATE_PURPOSE, {PDF, DOCX, ODT, XLSX}, 5 * MB)


def attach_template(actor, version: ProcedureVersion, code: str, upload) -> ProcedureVersion:
    """Attach the blank form file of the document component `code` to a draft (scanned and sniffed
    by core file intake). Published versions are frozen: a new blank form goes into a new draft."""
    from apps.core.files.intake import accept_upload

    _require_manage(actor)
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise TransitionError(_("Only a draft can be edited; create a new draft from this version."))
        documents = [dict(d) for d in version.documents or []]
        target = next((d for d in documents if d.get("code") == code), None)
        if target is None:
            raise ValidationError({"documents": [_("No document component with this code.")]})
        stored = accept_upload(upload, purpose=TEMPLATE_PURPOSE, user=actor)
        old = target.get("template_file_id")
        target["template_file_id"] = str(stored.pk)
        version.documents = documents
        _full_clean(version)
        version.save()
        record(
            "procedure_draft_updated",
            version,
            actor=actor,
            changes={f"template_file_id[{code}]": [str(old), str(stored.pk)]},
            note=stored.original_name,
        )
    return version


def template_file(version: ProcedureVersion, code: str):
    """The StoredFile of the blank form of document `code`, or None."""
    from apps.core.files.models import StoredFile

    for doc in version.documents or []:
        if doc.get("code") == code and doc.get("template_file_id"):
            return StoredFile.objects.filter(pk=doc["template_file_id"]).first()
    return None
