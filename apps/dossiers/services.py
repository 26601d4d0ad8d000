"""Every change to a dossier: permission check → transaction with a row lock → history + audit →
notification (written in the transaction, delivered after commit). Moves go through `act`, the
dossier machine of `workflow.py` on the one engine (`core.workflow`)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow as engine
from apps.core.counters.models import CounterDefinition, ResetPeriod
from apps.core.counters.service import format_reference
from apps.core.files.intake import UploadRejected, accept_upload, atomic_with_files
from apps.organizations.roles import Role

from . import catalogue, ledger
from .access import UPLOAD_PURPOSE
from .models import Channel, DeskSettings, Dossier, DossierDocument, Rating, State, StatusChange
from .notifications import notify_applicant, notify_next
from .selectors import staff_roles
from .workflow import APPLICANT, DOSSIER, TransitionError, name_of

CODE_KEY = "dossier_code"
RESULT_KEY = "dossier_result"
RECEIPT_KEY = "dossier_fee_receipt"
DEFAULT_CODE_FORMAT = "{org_code}-{date}-{seq:04d}"
DEFAULT_RESULT_FORMAT = "{seq:03d}/{yy}/KQ-{org_code}"
DEFAULT_RECEIPT_FORMAT = "BL{yy}-{seq:06d}"


class SubmissionError(ValidationError):
    """Bad input at submission: `message_dict` maps fields (or "__all__") to messages."""


# --------------------------------------------------------------------------- set-up data
def ensure_counters() -> None:
    CounterDefinition.objects.get_or_create(
        key=CODE_KEY,
        defaults={"name": "Mã hồ sơ (Một cửa)", "format": DEFAULT_CODE_FORMAT, "reset": ResetPeriod.DAILY},
    )
    CounterDefinition.objects.get_or_create(
        key=RESULT_KEY,
        defaults={
            "name": "Số kết quả giải quyết hồ sơ",
            "format": DEFAULT_RESULT_FORMAT,
            "reset": ResetPeriod.YEARLY,
        },
    )
    CounterDefinition.objects.get_or_create(
        key=RECEIPT_KEY,
        defaults={
            "name": "Số biên lai thu phí, lệ phí điện tử",
            "format": DEFAULT_RECEIPT_FORMAT,
            "reset": ResetPeriod.YEARLY,
        },
    )


# The agency's electronic identifier (QCVN 102:2016/BTTTT): four groups, the last a letter and two
# digits, e.g. "000.00.31.H22". The demo's value is the placeholder below, flagged as such.
PLACEHOLDER_IDENTIFIER = "000.00.00.X00"
AGENCY_IDENTIFIER_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")


def clean_agency_identifier(value: str) -> str:
    """The identifier in its canonical form; ValidationError unless it has the national format."""
    value = (value or "").strip().upper()
    if not AGENCY_IDENTIFIER_RE.fullmatch(value):
        raise ValidationError(
            _(
                "The agency identifier must have the national format 000.00.00.X00 (QCVN 102:2016): "
                "three digits, two digits, two digits, then a letter and two digits, e.g. 000.00.31.H22."
            ),
            code="agency_identifier",
        )
    return value


def may_configure_desk(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and Role.ADMINISTRATOR in staff_roles(actor)


def save_desk_settings(*, actor, organization, agency_identifier: str) -> DeskSettings:
    """Set the identifier that starts the agency's new dossier codes (administrators only).

    Dossiers already coded keep their code; the placeholder value stays flagged as a placeholder."""
    if not may_configure_desk(actor):
        raise PermissionDenied
    identifier = clean_agency_identifier(agency_identifier)
    if organization.agency().pk != organization.pk:
        raise ValidationError(
            _("Choose an agency: its units use the identifier of the agency they belong to."),
            code="not_an_agency",
        )
    with transaction.atomic():
        row = DeskSettings.objects.select_for_update().filter(organization=organization).first()
        row = row or DeskSettings(organization=organization)
        before = row.agency_identifier or None
        row.agency_identifier = identifier
        row.is_placeholder = identifier == PLACEHOLDER_IDENTIFIER
        row.save()
        if before != identifier:
            record(
                "dossier_desk_settings_changed",
                row,
                actor=actor,
                note=identifier,
                changes={"agency_identifier": [before, identifier]},
            )
    return row


def agency_identifier(desk) -> str:
    agency = desk.agency() if hasattr(desk, "agency") else desk
    settings_row = DeskSettings.objects.filter(organization=agency).first()
    return settings_row.agency_identifier if settings_row else agency.code


def _new_code(desk, at: dt.datetime) -> str:
    ensure_counters()
    agency = desk.agency()
    return format_reference(CODE_KEY, organization=agency, at=at, org_code=agency_identifier(desk))


# --------------------------------------------------------------------------- the one way to move a dossier
def act(dossier_id: int, action: str, *, actor=None, applicant_verified: bool = False, **kwargs) -> Dossier:
    """Take `action` on the dossier through its machine (workflow.DOSSIER); returns the saved dossier.

    Raises TransitionError (illegal, stale `expected_version`, or refused by the effect) and
    PermissionDenied. `applicant_verified`: the caller has proven the person is the dossier's
    applicant (status lookup by code and contact), so the applicant's moves are theirs to take.
    Other keywords: `expected_version`, `note`, `at` and the action's own parameters.
    """
    vouched = {APPLICANT} if applicant_verified else ()
    return engine.apply(Dossier(pk=dossier_id), action, actor, machine=DOSSIER, vouched=vouched, **kwargs)


# --------------------------------------------------------------------------- creation
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)


# Request fields of a procedure's form that repeat the applicant's details of step 1, by the field
# names the catalogue uses (apps/procedures/demo.py) and, for phone and e-mail, by their type.
PREFILL_NAMES = {
    "applicant_name": {"ho_ten", "ho_va_ten", "ten_to_chuc", "ten_nguoi_de_nghi"},
    "applicant_id_number": {"so_cccd", "so_dinh_danh", "cccd", "ma_so_thue"},
    "applicant_address": {"dia_chi", "dia_chi_lien_he"},
    "applicant_phone": {"so_dien_thoai", "dien_thoai"},
    "applicant_email": {"email", "thu_dien_tu"},
}
PREFILL_TYPES = {"phone": "applicant_phone", "email": "applicant_email"}


def prefill_form(info, applicant: dict, form_data: dict) -> dict:
    """The request's values with the empty fields that repeat an applicant detail filled from it,
    so the applicant is not asked twice for their name, address or phone (they may still edit)."""
    values = dict(form_data or {})
    for field in info.form_fields:
        if str(values.get(field.name) or "").strip():
            continue
        source = next((key for key, names in PREFILL_NAMES.items() if field.name in names), None)
        source = source or PREFILL_TYPES.get(field.type)
        if source and (applicant.get(source) or "").strip():
            values[field.name] = applicant[source].strip()
    return values


def known_applicant(user) -> dict:
    """Step 1 of a new online form for a signed-in citizen: what their account says about them and,
    when they applied before in their own name, the ID number and address of that dossier."""
    values = {"applicant_name": user.full_name, "applicant_email": user.email, "applicant_phone": user.phone}
    last = (
        Dossier.objects.filter(applicant_user=user, applicant_name=user.full_name)
        .exclude(state=State.DRAFT)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if last is not None:
        values["applicant_id_number"] = last.applicant_id_number
        values["applicant_address"] = last.applicant_address
        values["applicant_phone"] = values["applicant_phone"] or last.applicant_phone
    return {key: value for key, value in values.items() if value}


def _check_applicant(applicant: dict, errors: dict) -> dict:
    clean = {k: (applicant.get(k) or "").strip() for k in APPLICANT_FIELDS}
    if not clean["applicant_name"]:
        errors.setdefault("applicant_name", []).append(_("Enter the applicant's name."))
    if not (clean["applicant_phone"] or clean["applicant_email"]):
        errors.setdefault("applicant_phone", []).append(_("Give a phone number or an e-mail address."))
    return clean


def _version_or_error(version_id: int):
    try:
        info = catalogue.get_version(version_id)
    except Exception as exc:  # noqa: BLE001 - any lookup failure is "no such procedure"
        raise SubmissionError({"__all__": [_("This procedure is not available.")]}) from exc
    if info is None:
        raise SubmissionError({"__all__": [_("This procedure is not available.")]})
    return info


def submitter_key(*, client=None, user=None, contact: str = "") -> str:
    """Who submits, as the owner of an idempotency key: an API client, an account (citizen or
    officer), or a verified e-mail address. Empty when nobody is known: then no key is honoured."""
    if client is not None:
        return f"client:{client.pk}"
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        return f"user:{user.pk}"
    contact = (contact or "").strip().lower()
    return f"contact:{contact}" if contact else ""


def find_submission(submitter: str, idempotency_key: str | None) -> Dossier | None:
    """The dossier this submitter already sent under this key; never another submitter's."""
    if not submitter or not idempotency_key:
        return None
    return Dossier.objects.filter(idempotency_scope=submitter, idempotency_key=idempotency_key).first()


def create_dossier(
    *,
    version_id: int,
    desk,
    channel: str,
    applicant: dict,
    form_data: dict,
    uploads: dict,
    actor=None,
    applicant_user=None,
    idempotency_key: str | None = None,
    at: dt.datetime | None = None,
    check_documents: bool = True,
    draft: Dossier | None = None,
    submitter: str | None = None,
) -> Dossier:
    """Create a submitted dossier in one transaction; nothing is kept when anything is wrong.

    `uploads` maps a document code to an uploaded file. Walk-in dossiers may miss documents (the
    reception check then asks for a supplement); online ones must carry every required document.

    A repeated `idempotency_key` from the same `submitter` (see `submitter_key`; by default the
    signed-in `actor` or `applicant_user`) returns the dossier that submitter's first call created.
    The same key from anyone else is a fresh submission; with no known submitter the key is ignored.
    """
    at = at or timezone.now()
    person = actor or applicant_user
    if submitter is None:
        submitter = submitter_key(user=person)
    if not submitter:
        idempotency_key = None
    existing = find_submission(submitter, idempotency_key)
    if existing:
        return existing
    info = _version_or_error(version_id)
    if channel not in info.channels:
        raise SubmissionError(
            {"__all__": [_("This procedure does not accept dossiers through this channel.")]}
        )
    errors: dict[str, list] = {}
    clean_applicant = _check_applicant(applicant, errors)
    try:
        cleaned = catalogue.validate_form(version_id, form_data)
    except ValidationError as exc:
        cleaned = {}
        for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            errors.setdefault(field, []).extend(messages)
    fee = Decimal(0)
    if info.has_fee and not errors:
        try:
            fee = catalogue.compute_fee(version_id, cleaned)
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                errors.setdefault(field, []).extend(messages)
    kept = _draft_files(draft)
    if check_documents:
        for spec in info.documents:
            if spec.required and not uploads.get(spec.code) and not kept.get(spec.code):
                errors.setdefault(f"doc_{spec.code}", []).append(
                    _("Attach “%(name)s”.") % {"name": spec.name}
                )
    if errors:
        raise SubmissionError(errors)

    try:
        with transaction.atomic():
            dossier = Dossier()
            if draft is not None:
                dossier = Dossier.objects.select_for_update().get(pk=draft.pk)
                if dossier.state != State.DRAFT:
                    return dossier  # the same draft submitted twice: one dossier
                dossier.documents.filter(is_supplement=False).delete()
            dossier.organization = desk
            dossier.procedure_version_id = info.version_id
            dossier.procedure_id = info.procedure_id
            dossier.procedure_code = info.code or ""
            dossier.procedure_name = info.name
            dossier.procedure_field = str(info.field or "")
            dossier.legacy_level = info.legacy_level
            dossier.online_level = info.online_level or ""
            dossier.procedure_snapshot = catalogue.snapshot(info)
            dossier.channel = channel
            dossier.applicant_user = applicant_user or dossier.applicant_user
            for key, value in clean_applicant.items():
                setattr(dossier, key, value)
            dossier.form_data = cleaned
            dossier.fee = fee
            dossier.idempotency_key = idempotency_key or None
            dossier.idempotency_scope = submitter if idempotency_key else ""
            dossier.submitted_at = at
            dossier.state = State.SUBMITTED
            dossier.received_by = actor if channel != "online" else None
            dossier.save()
            for spec in info.documents:
                upload = uploads.get(spec.code)
                stored = kept.get(spec.code)
                if upload:
                    try:
                        # The signed-in person who hands the file in: the officer at the desk, or
                        # the citizen submitting online (None only for an API client or a contact).
                        stored = accept_upload(upload, purpose=UPLOAD_PURPOSE, user=person, organization=desk)
                    except UploadRejected as exc:
                        raise SubmissionError({f"doc_{spec.code}": [f"{spec.name}: {exc.message}"]}) from exc
                if stored or channel != "online":
                    DossierDocument.objects.create(
                        dossier=dossier,
                        code=spec.code,
                        name=spec.name,
                        form=spec.form or "",
                        quantity=spec.quantity or 1,
                        file=stored,
                    )
            # The code is taken last: the counter row stays locked only briefly.
            dossier.code = _new_code(desk, at)
            dossier.save(update_fields=["code"])
            StatusChange.objects.create(
                dossier=dossier,
                action="submit",
                from_state=State.DRAFT,
                to_state=State.SUBMITTED,
                actor=actor,
                actor_name=name_of(actor) or clean_applicant["applicant_name"],
                at=at,
                note=str(Channel(channel).label),
            )
            ledger.count(dossier, ledger.Kind.SUBMITTED, at)
            record("dossier_submit", dossier, actor=actor, note=dossier.code)
            notify_applicant(dossier, "dossier_submitted")
            notify_next(dossier, "submit")
    except IntegrityError:
        existing = find_submission(submitter, idempotency_key)  # the same submitter's twin request won
        if existing:
            return existing
        raise
    return dossier


def _draft_files(draft: Dossier | None) -> dict:
    """The files already uploaded to a draft, by document code."""
    if draft is None or not draft.pk:
        return {}
    return {
        d.code: d.file
        for d in draft.documents.filter(is_supplement=False).exclude(file=None).select_related("file")
    }


def save_draft(
    *,
    version_id: int,
    desk,
    data: dict,
    step: int,
    draft: Dossier | None = None,
    user=None,
    uploads: dict | None = None,
    contact: str = "",
) -> Dossier:
    """Save an online form half-way (save and resume by the draft's resume token).

    The draft belongs to the signed-in account, or else to the verified e-mail `contact`. Files in
    `uploads` (document code → file) are scanned and stored on the draft one by one: the accepted
    ones are kept on the draft even when another file of the same step is refused; a refused file
    leaves nothing stored. Refusals raise SubmissionError after the rest is saved; its `draft`
    attribute is the saved draft (to show what is already attached).
    """
    info = _version_or_error(version_id)
    specs = {spec.code: spec for spec in info.documents}
    refused: dict[str, list] = {}
    with atomic_with_files():
        if draft is not None:
            draft = Dossier.objects.select_for_update().get(pk=draft.pk)
        dossier = draft or Dossier(
            organization=desk,
            procedure_version_id=info.version_id,
            procedure_id=info.procedure_id,
            procedure_name=info.name,
            channel="online",
            state=State.DRAFT,
            applicant_user=user if getattr(user, "is_authenticated", False) else None,
        )
        if dossier.state != State.DRAFT:
            raise TransitionError(_("This dossier has already been submitted."))
        for key in APPLICANT_FIELDS:
            if key in data:
                setattr(dossier, key, (data.get(key) or "").strip())
        if contact and not dossier.applicant_user_id:
            dossier.applicant_email = contact  # the verified address is the one that counts
        dossier.form_data = {**dossier.form_data, **data.get("form", {})}
        dossier.draft_step = step
        dossier.save()
        for code, upload in (uploads or {}).items():
            spec = specs.get(code)
            if spec is None or not upload:
                continue
            try:
                stored = accept_upload(upload, purpose=UPLOAD_PURPOSE, user=user, organization=desk)
            except UploadRejected as exc:
                refused[f"doc_{code}"] = [f"{spec.name}: {exc.message}"]
                continue  # refused before anything was written; the other files go on
            dossier.documents.filter(code=code, is_supplement=False).delete()
            DossierDocument.objects.create(
                dossier=dossier,
                code=code,
                name=spec.name,
                form=spec.form or "",
                quantity=spec.quantity or 1,
                file=stored,
            )
    if refused:
        error = SubmissionError(refused)
        error.draft = dossier
        raise error
    return dossier


def remove_draft_file(draft: Dossier, code: str, *, user=None) -> bool:
    """Take the file of component `code` off an online draft (the applicant's "remove"); False when
    there was none. The stored file itself stays, like any accepted upload."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=draft.pk)
        if dossier.state != State.DRAFT:
            raise TransitionError(_("This dossier has already been submitted."))
        documents = dossier.documents.filter(code=code, is_supplement=False).exclude(file=None)
        names = [d.file.original_name for d in documents.select_related("file")]
        if not names:
            return False
        documents.delete()
        actor = user if getattr(user, "is_authenticated", False) else None
        record("dossier_draft_file_removed", dossier, actor=actor, note=f"{code}: {', '.join(names)}")
    return True


def check_step(version_id: int, step: int, applicant: dict, form_data: dict) -> dict:
    """The errors of one step of the online form (empty: the step is complete)."""
    errors: dict[str, list] = {}
    if step == 1:
        _check_applicant(applicant, errors)
    elif step == 2:
        try:
            catalogue.validate_form(version_id, form_data)
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                errors.setdefault(field, []).extend(messages)
    return errors


def rate(dossier: Dossier, *, score: int, comment: str = "", actor=None) -> Rating:
    if dossier.state not in (State.RETURNED, State.CLOSED):
        raise TransitionError(_("The service can be rated once the result has been returned."))
    if not 1 <= int(score) <= 5:
        raise TransitionError(_("Choose a score from 1 to 5."))
    with transaction.atomic():
        if Rating.objects.filter(dossier=dossier).exists():
            raise TransitionError(_("This dossier has already been rated."))
        rating = Rating.objects.create(dossier=dossier, score=int(score), comment=comment)
        record("dossier_rated", dossier, actor=actor, note=f"{score}/5")
    return rating
