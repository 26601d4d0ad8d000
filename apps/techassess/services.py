"""Every state change of the technology assessment module.

Permission check → transaction → audit event → notifications on commit. Status moves go through
the machines in workflow.py (table, roles, history row, audit event).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.files.intake import accept_upload
from apps.core.notifications.service import notify
from apps.organizations.models import Organization

from . import engine, methodology
from .models import (
    AssessmentResult,
    Enterprise,
    Methodology,
    MethodologyStatus,
    Survey,
    SurveyEvidence,
    SurveyStatus,
)
from .permissions import can_manage_methodology, can_review, can_work_on_survey, is_officer
from .workflow import CLAIM, IMPORT, METHODOLOGY, SURVEY

BUNDLED_DIR = Path(__file__).parent / "methodologies"
BUNDLED = {"demo": "demo_minh_hoa.yaml", "tt17": "tt17_2019.yaml", "tt04": "tt04_2014.yaml"}
EVIDENCE_PURPOSE = "techassess_evidence"


def handling_unit() -> Organization:
    code = getattr(settings, "TECHASSESS_UNIT_CODE", "skhcn-qlcn")
    unit = Organization.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError(
            _("The unit handling technology assessments (%(code)s) does not exist.") % {"code": code}
        )
    return unit


# --- methodologies --------------------------------------------------------------------------------


def bundled_definition(key: str) -> dict:
    return methodology.load_yaml((BUNDLED_DIR / BUNDLED[key]).read_text(encoding="utf-8"))


@transaction.atomic
def import_definition(definition: dict, *, actor=None, check_permission: bool = True) -> Methodology:
    """Create a draft from a definition, or replace the definition of the draft with the same code and
    version. Active and retired versions are never changed: import a new version instead."""
    if check_permission and not can_manage_methodology(actor):
        raise PermissionDenied
    errors = [p for p in methodology.validate(definition) if p.kind == "error"]
    if errors:
        raise ValidationError([str(p) for p in errors])
    existing = (
        Methodology.objects.select_for_update()
        .filter(code=definition["code"], version=definition["version"])
        .first()
    )
    fields = {
        "title": definition.get("title") or definition["code"],
        "illustrative": methodology.is_illustrative(definition),
        "effective_from": definition.get("effective_from"),
        "definition": definition,
    }
    if existing is not None:
        if existing.status != MethodologyStatus.DRAFT:
            raise ValidationError(
                _("Version %(v)s of %(c)s is %(s)s and cannot be changed; import it as a new version.")
                % {"v": existing.version, "c": existing.code, "s": existing.get_status_display()}
            )
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save()
        record("methodology_imported", existing, actor=actor, note=_("Definition replaced by an import."))
        return existing
    obj = Methodology(code=definition["code"], version=definition["version"], created_by=actor, **fields)
    return workflow.create(obj, actor, machine=METHODOLOGY, verb="methodology_imported")


def import_yaml(text, *, actor=None) -> Methodology:
    return import_definition(methodology.load_yaml(text), actor=actor)


@transaction.atomic
def activate(obj: Methodology, *, actor=None, check_permission: bool = True) -> Methodology:
    if check_permission and not can_manage_methodology(actor):
        raise PermissionDenied
    obj = Methodology.objects.select_for_update().get(pk=obj.pk)
    if obj.status == MethodologyStatus.ACTIVE:
        return obj
    return workflow.apply(obj, "activate", actor, machine=METHODOLOGY)


def current_methodology() -> Methodology | None:
    """The methodology new surveys use: the active one with the latest effective date, an official
    one before an illustrative one."""
    today = timezone.localdate()
    candidates = Methodology.objects.filter(status=MethodologyStatus.ACTIVE, effective_from__lte=today)
    return candidates.order_by("illustrative", "-effective_from", "-pk").first()


def ensure_bundled(*, activate_demo: bool = True) -> dict[str, Methodology]:
    """Load the bundled definitions as drafts (idempotent); the demonstration one is activated."""
    out = {}
    for key in BUNDLED:
        definition = bundled_definition(key)
        obj = Methodology.objects.filter(code=definition["code"], version=definition["version"]).first()
        if obj is None:
            obj = Methodology.objects.create(
                code=definition["code"],
                version=definition["version"],
                title=definition["title"],
                illustrative=methodology.is_illustrative(definition),
                effective_from=definition["effective_from"],
                definition=definition,
            )
        out[key] = obj
    if activate_demo and out["demo"].status == MethodologyStatus.DRAFT:
        activate(out["demo"], check_permission=False)
        out["demo"].refresh_from_db()
    return out


# --- enterprises and surveys ----------------------------------------------------------------------


@transaction.atomic
def register_enterprise(*, actor, data: dict) -> Enterprise:
    """An enterprise account registers its own enterprise; an officer registers one on its behalf."""
    officer = is_officer(actor)
    if not officer and not actor.is_authenticated:
        raise PermissionDenied
    enterprise = Enterprise(
        name=data["name"].strip(),
        tax_code=data["tax_code"].strip(),
        vsic_code=data["vsic_code"].strip(),
        industry_name=data.get("industry_name", "").strip(),
        commune=data["commune"].strip(),
        address=data.get("address", "").strip(),
        representative=data.get("representative", "").strip(),
        phone=data.get("phone", "").strip(),
        email=(data.get("email") or "").strip(),
        owner=None if officer else actor,
        organization=handling_unit(),
        created_by=actor,
    )
    enterprise.full_clean()
    enterprise.save()
    record("enterprise_registered", enterprise, actor=actor)
    return enterprise


@transaction.atomic
def start_survey(*, actor, enterprise: Enterprise, year: int) -> Survey:
    from .permissions import can_use_enterprise

    if not can_use_enterprise(actor, enterprise):
        raise PermissionDenied
    current = current_methodology()
    if current is None:
        raise ValidationError(_("No methodology is active; an administrator must activate one first."))
    try:
        survey = Survey(
            enterprise=enterprise,
            year=year,
            methodology=current,
            organization=enterprise.organization,
            created_by=actor,
            entered_on_behalf=is_officer(actor) and enterprise.owner_id != actor.pk,
        )
        return workflow.create(survey, actor, machine=SURVEY, verb="survey_started")
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already has a survey for %(year)s.") % {"name": enterprise.name, "year": year}
        ) from None


def section_of(survey: Survey, section_code: str) -> dict:
    for section in survey.methodology.definition.get("sections") or []:
        if section["code"] == section_code:
            return section
    raise ValidationError(_("Unknown survey section."))


@transaction.atomic
def save_section(survey: Survey, section_code: str, values: dict, *, actor) -> Survey:
    """Store the (already form-validated) answers of one section; the survey stays a draft."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_work_on_survey(actor, survey):
        raise PermissionDenied
    if not survey.editable:
        raise ValidationError(_("This survey has been submitted and can no longer be changed."))
    section = section_of(survey, section_code)
    allowed = {q["code"] for q in section.get("questions") or []}
    answers = dict(survey.answers)
    changes = {}
    for code in allowed:
        value = values.get(code)
        if isinstance(value, Decimal):
            value = float(value)
        if answers.get(code) != value:
            changes[code] = [answers.get(code), value]
        answers[code] = value
    survey.answers = answers
    if section_code not in survey.sections_saved:
        survey.sections_saved = [*survey.sections_saved, section_code]
    survey.save(update_fields=["answers", "sections_saved", "updated_at"])
    record(
        "survey_saved", survey, actor=actor, note=section.get("title", section_code), changes=changes or None
    )
    return survey


def is_required(question: dict, answers: dict) -> bool:
    """Required, or required unless another question (e.g. the equipment list) is answered."""
    if question.get("required"):
        return True
    other = question.get("required_unless")
    return bool(other) and answers.get(other) in (None, "", [])


def missing_answers(survey: Survey) -> list[tuple[str, list[str]]]:
    """(section title, [question labels]) of required questions still unanswered."""
    out = []
    for section in survey.methodology.definition.get("sections") or []:
        labels = [
            q["label"]
            for q in section.get("questions") or []
            if is_required(q, survey.answers) and survey.answers.get(q["code"]) in (None, "", [])
        ]
        if labels:
            out.append((section.get("title", section["code"]), labels))
    return out


@transaction.atomic
def submit(survey: Survey, *, actor) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_work_on_survey(actor, survey):
        raise PermissionDenied
    gaps = missing_answers(survey)
    if gaps:
        raise ValidationError(
            [
                _("Section “%(section)s”: %(questions)s not answered.")
                % {"section": section, "questions": "; ".join(labels)}
                for section, labels in gaps
            ]
        )
    return workflow.apply(survey, "submit", actor, machine=SURVEY)


@transaction.atomic
def return_survey(survey: Survey, *, actor, note: str) -> Survey:
    return workflow.apply(survey, "return", actor, (note or "").strip(), machine=SURVEY)


@transaction.atomic
def accept(survey: Survey, *, actor, note: str = "") -> AssessmentResult:
    return _compute(workflow.apply(survey, "accept", actor, note, machine=SURVEY), actor=actor)


def _compute(survey: Survey, *, actor, methodology_obj: Methodology | None = None) -> AssessmentResult:
    method = methodology_obj or survey.methodology
    score = engine.score(method.definition, survey.answers, survey.enterprise.vsic_code, survey.year)
    result = AssessmentResult.objects.create(
        survey=survey,
        methodology=method,
        methodology_label=str(method),
        illustrative=method.illustrative,
        year=survey.year,
        vsic_code=survey.enterprise.vsic_code,
        commune=survey.enterprise.commune,
        organization=survey.organization,
        total=Decimal(str(score.total)),
        coefficient=Decimal(str(score.coefficient)),
        klass=score.klass,
        class_name=score.class_name,
        groups=score.groups,
        criteria=[c.__dict__ for c in score.criteria],
        benchmark_sector=score.sector,
        computed_by=actor,
    )
    record("result_computed", survey, actor=actor, note=f"{method}: {score.total} điểm, {score.class_name}")
    return result


@transaction.atomic
def recompute(survey: Survey, *, actor, methodology_obj: Methodology | None = None) -> AssessmentResult:
    """A new result (possibly with another active methodology); earlier results stay as they were."""
    survey = Survey.objects.select_for_update().select_related("enterprise").get(pk=survey.pk)
    if not can_review(actor, survey):
        raise PermissionDenied
    if survey.status != SurveyStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted survey has a result."))
    if methodology_obj is not None and methodology_obj.status != MethodologyStatus.ACTIVE:
        raise ValidationError(_("Results can only be computed with an active methodology."))
    return _compute(survey, actor=actor, methodology_obj=methodology_obj)


@transaction.atomic
def add_evidence(survey: Survey, uploaded, *, actor, description: str = "") -> SurveyEvidence:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_work_on_survey(actor, survey):
        raise PermissionDenied
    if not survey.editable:
        raise ValidationError(_("This survey has been submitted and can no longer be changed."))
    stored = accept_upload(uploaded, purpose=EVIDENCE_PURPOSE, user=actor, organization=survey.organization)
    evidence = SurveyEvidence.objects.create(
        survey=survey, file=stored, description=description[:200], uploaded_by=actor
    )
    record("evidence_added", survey, actor=actor, note=stored.original_name)
    return evidence


IMPORT_PURPOSE = "techassess_import"


@transaction.atomic
def start_import(uploaded, *, actor):
    """Store the Excel file through intake and run the import in the background after commit."""
    from apps.core.background import dispatch

    from .models import ImportJob
    from .tasks import run_import

    if not is_officer(actor):
        raise PermissionDenied
    method = current_methodology()
    if method is None:
        raise ValidationError(_("No methodology is active; an administrator must activate one first."))
    unit = handling_unit()
    stored = accept_upload(uploaded, purpose=IMPORT_PURPOSE, user=actor, organization=unit)
    job = ImportJob(file=stored, methodology=method, organization=unit, created_by=actor)
    workflow.create(job, actor, stored.original_name, machine=IMPORT, verb="surveys_import_started")
    transaction.on_commit(lambda: dispatch(run_import, job.pk))
    return job


# --- enterprise claims ----------------------------------------------------------------------------

CLAIM_CODE_EVENT = "techassess_claim_code"
CLAIM_DECIDED_EVENT = "techassess_claim_decided"
CLAIM_TO_CONFIRM_EVENT = "techassess_claim_to_confirm"
CLAIM_CODE_HOURS = 24
CLAIM_MAX_ATTEMPTS = 5
CLAIM_TEMPLATES = {
    CLAIM_CODE_EVENT: (
        "Mã xác nhận liên kết tài khoản với doanh nghiệp",
        "Kính gửi {{ enterprise.name }},\n\nTài khoản {{ claimant }} đề nghị liên kết với hồ sơ doanh nghiệp "
        "mã số thuế {{ enterprise.tax_code }} trên hệ thống đánh giá trình độ công nghệ.\n"
        "Mã xác nhận: {{ code }} (hiệu lực {{ hours }} giờ).\n\n"
        "Nếu doanh nghiệp không đề nghị việc này, vui lòng bỏ qua thư và báo cho Sở Khoa học và Công nghệ.",
    ),
    CLAIM_TO_CONFIRM_EVENT: (
        "Đề nghị liên kết doanh nghiệp chờ xác nhận",
        "Tài khoản {{ claimant }} đề nghị liên kết với doanh nghiệp {{ enterprise.name }} "
        "(mã số thuế {{ enterprise.tax_code }}). Vui lòng kiểm tra giấy tờ và xác nhận hoặc từ chối.",
    ),
    CLAIM_DECIDED_EVENT: (
        "Kết quả đề nghị liên kết doanh nghiệp",
        "Đề nghị liên kết tài khoản với doanh nghiệp {{ enterprise.name }} ({{ enterprise.tax_code }}): "
        "{{ outcome }}.{% if note %}\nÝ kiến: {{ note }}{% endif %}",
    ),
}


def _ensure_claim_template(event: str, channel: str):
    from apps.core.notifications.models import NotificationTemplate

    subject, body = CLAIM_TEMPLATES[event]
    NotificationTemplate.objects.get_or_create(
        event=event, channel=channel, defaults={"subject": subject, "body": body, "is_active": True}
    )


def _claim_code() -> str:
    import secrets

    return f"{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def request_claim(*, actor, tax_code: str, method: str, note: str = ""):
    """An enterprise account asks to be linked to an enterprise already on record."""
    from django.contrib.auth.hashers import make_password

    from .models import ClaimMethod, ClaimStatus, EnterpriseClaim
    from .permissions import is_enterprise_account

    if not is_enterprise_account(actor):
        raise PermissionDenied
    tax_code = (tax_code or "").replace(" ", "").replace("-", "")
    enterprise = Enterprise.objects.select_for_update().filter(tax_code=tax_code).first()
    if enterprise is None:
        raise ValidationError(_("No enterprise with this tax code is on record; register it instead."))
    if enterprise.owner_id == actor.pk:
        raise ValidationError(_("This enterprise is already linked to your account."))
    if enterprise.owner_id is not None:
        raise ValidationError(
            _(
                "This enterprise is already linked to another account. If that is wrong, contact the "
                "department with the enterprise's papers."
            )
        )
    if method not in ClaimMethod.values:
        raise ValidationError(_("Choose how the claim is verified."))
    if method == ClaimMethod.EMAIL_CODE and not enterprise.email:
        raise ValidationError(
            _("No e-mail is on record for this enterprise; ask the department to confirm the claim instead.")
        )
    for earlier in EnterpriseClaim.objects.filter(
        enterprise=enterprise, user=actor, status=ClaimStatus.PENDING
    ):
        workflow.apply(earlier, "cancel", actor, machine=CLAIM)
    claim = EnterpriseClaim(
        enterprise=enterprise, user=actor, method=method, note=(note or "").strip()[:1000]
    )
    code = None
    if method == ClaimMethod.EMAIL_CODE:
        code = _claim_code()
        claim.code_hash = make_password(code)
        claim.code_expires = timezone.now() + datetime.timedelta(hours=CLAIM_CODE_HOURS)
    workflow.create(
        claim, actor, claim.get_method_display(), machine=CLAIM, verb="enterprise_claim_requested"
    )
    if code is None:
        from apps.organizations.models import Membership

        from .permissions import OFFICER_ROLES

        _ensure_claim_template(CLAIM_TO_CONFIRM_EVENT, "in_app")
        officers = Membership.objects.filter(
            is_active=True, role__in=OFFICER_ROLES, organization=enterprise.organization
        ).select_related("user")
        for membership in officers:
            notify(
                CLAIM_TO_CONFIRM_EVENT,
                user=membership.user,
                channel="in_app",
                context={"enterprise": enterprise, "claimant": actor.get_full_name() or actor.get_username()},
            )
    if code is not None:
        _ensure_claim_template(CLAIM_CODE_EVENT, "email")
        notify(
            CLAIM_CODE_EVENT,
            recipient=enterprise.email,
            context={
                "enterprise": enterprise,
                "code": code,
                "hours": CLAIM_CODE_HOURS,
                "claimant": actor.get_full_name() or actor.get_username(),
            },
        )
    return claim


def _notify_claim(claim, outcome: str, note: str):
    _ensure_claim_template(CLAIM_DECIDED_EVENT, "in_app")
    notify(
        CLAIM_DECIDED_EVENT,
        user=claim.user,
        channel="in_app",
        context={"enterprise": claim.enterprise, "outcome": outcome, "note": note},
    )


class ClaimCodeRejected(ValidationError):
    pass


def verify_claim_code(claim, *, actor, code: str):
    """The claimant enters the code e-mailed to the enterprise. Wrong codes are counted (at most
    CLAIM_MAX_ATTEMPTS); the count is kept even though the attempt fails."""
    from django.contrib.auth.hashers import check_password

    from .models import ClaimMethod, ClaimStatus, EnterpriseClaim

    with transaction.atomic():
        claim = (
            EnterpriseClaim.objects.select_for_update().select_related("enterprise", "user").get(pk=claim.pk)
        )
        if claim.user_id != getattr(actor, "pk", None):
            raise PermissionDenied
        if claim.status != ClaimStatus.PENDING or claim.method != ClaimMethod.EMAIL_CODE:
            raise ValidationError(_("This claim is not waiting for a code."))
        if claim.code_expires is None or claim.code_expires < timezone.now():
            raise ValidationError(_("The code has expired; ask for a new one."))
        if claim.attempts >= CLAIM_MAX_ATTEMPTS:
            raise ValidationError(_("Too many wrong codes; ask for a new one."))
        if check_password((code or "").strip(), claim.code_hash):
            claim = workflow.apply(claim, "verify", actor, machine=CLAIM)
            _notify_claim(claim, _("verified: the enterprise is linked to your account"), "")
            return claim
        claim.attempts += 1
        claim.save(update_fields=["attempts"])
        record("enterprise_claim_code_wrong", claim.enterprise, actor=actor)
        left = CLAIM_MAX_ATTEMPTS - claim.attempts
    raise ClaimCodeRejected(_("The code is not correct (%(n)s attempt(s) left).") % {"n": left})


@transaction.atomic
def decide_claim(claim, *, actor, approve: bool, note: str = ""):
    """An officer of the handling unit confirms (after checking the enterprise's papers) or refuses."""
    from .models import EnterpriseClaim

    claim = EnterpriseClaim.objects.select_for_update().select_related("enterprise", "user").get(pk=claim.pk)
    if not is_officer(actor) or claim.user_id == actor.pk:
        raise PermissionDenied
    note = (note or "").strip()
    claim = workflow.apply(claim, "confirm" if approve else "refuse", actor, note, machine=CLAIM)
    outcome = _("verified: the enterprise is linked to your account") if approve else _("refused")
    _notify_claim(claim, outcome, note)
    return claim


# --- on-screen editing of draft methodologies ----------------------------------------------------

EDITABLE_PARTS = (
    "groups",
    "sections",
    "criteria",
    "benchmarks",
    "coefficient",
    "classification",
    "aggregation",
)


@transaction.atomic
def save_draft(obj: Methodology, definition: dict, *, actor) -> Methodology:
    """Replace the definition of a draft edited on screen. Identity (code, version) cannot change;
    inconsistencies are refused, items not yet entered are allowed (activation refuses them)."""
    if not can_manage_methodology(actor):
        raise PermissionDenied
    obj = Methodology.objects.select_for_update().get(pk=obj.pk)
    if obj.status != MethodologyStatus.DRAFT:
        raise ValidationError(
            _("Version %(v)s of %(c)s is %(s)s and cannot be changed; create a new version.")
            % {"v": obj.version, "c": obj.code, "s": obj.get_status_display()}
        )
    definition = methodology.normalise({**definition, "code": obj.code, "version": obj.version})
    errors = [p for p in methodology.validate(definition) if p.kind == "error"]
    if errors:
        raise ValidationError([str(p) for p in errors])
    changed = sorted(
        key for key in set(definition) | set(obj.definition) if definition.get(key) != obj.definition.get(key)
    )
    obj.definition = definition
    obj.title = definition.get("title") or obj.title
    obj.illustrative = methodology.is_illustrative(definition)
    if definition.get("effective_from"):
        obj.effective_from = definition["effective_from"]
    obj.save()
    record("methodology_edited", obj, actor=actor, note=", ".join(changed))
    obj.refresh_from_db()
    return obj


@transaction.atomic
def new_version(obj: Methodology, *, version: str, actor) -> Methodology:
    """A draft copy of any version under a new version string: the way to change an active one."""
    if not can_manage_methodology(actor):
        raise PermissionDenied
    version = (version or "").strip()
    if not version or len(version) > 20:
        raise ValidationError(_("Enter a version of at most 20 characters."))
    if Methodology.objects.filter(code=obj.code, version=version).exists():
        raise ValidationError(_("Version %(v)s of %(c)s already exists.") % {"v": version, "c": obj.code})
    definition = methodology.normalise({**obj.definition, "version": version})
    copy = Methodology(
        code=obj.code,
        version=version,
        title=obj.title,
        illustrative=obj.illustrative,
        effective_from=obj.effective_from,
        definition=definition,
        created_by=actor,
    )
    note = f"{obj.code} v{obj.version} → v{version}"
    return workflow.create(copy, actor, note, machine=METHODOLOGY, verb="methodology_new_version")
