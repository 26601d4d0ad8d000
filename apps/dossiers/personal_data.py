"""The dossiers' share of a person's data (issue #16), registered with `apps.core.personal_data`.

- Export: the dossiers the person applied for with their account — form data, history, attached
  files, result, supplements, rating, payments with their electronic receipts, and who of the
  staff viewed each one.
- Retention: a finished dossier keeps its applicant's data for `DOSSIER_DAYS`, then loses it; the
  row stays (code, procedure, dates, states) and the statistics ledger is not touched, so every
  indicator gives the same figures. An abandoned draft is deleted after `DRAFT_DAYS`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.personal_data import Part, PartData, Retention

from .models import Dossier, DossierDocument, Rating, State

# Defaults to be confirmed: Circular 13/2023/TT-BNV's retention table for e-dossiers was not read
# (legal-rules.md A1.7), and Decree 13/2023/NĐ-CP sets no period. Administrators set the real ones
# in PERSONAL_DATA_RETENTION_DAYS.
DOSSIER_DAYS = 5 * 365
DRAFT_DAYS = 90

FINISHED = (State.REFUSED, State.RETURNED, State.CLOSED, State.WITHDRAWN, State.NOT_ELIGIBLE)
VIEWED = "personal_data_viewed"

# The dossier fields that hold the applicant's personal data. Their values never enter the field-
# change log (django-auditlog's table, and through it the hash-chained audit log, which a purge
# cannot rewrite): the log keeps that they changed, not what they said.
MASKED_FIELDS = ["applicant_name", "applicant_id_number", "applicant_address", "applicant_phone"]
MASKED_FIELDS += ["applicant_email", "form_data"]
MASK = "(dữ liệu cá nhân)"


def mask(value) -> str:
    """auditlog's mask_callable: the whole value hidden (auditlog's default keeps half of it)."""
    return MASK


# --------------------------------------------------------------------------- export
def _document_row(doc: DossierDocument) -> dict:
    return {
        "name": doc.name,
        "form": doc.form,
        "quantity": doc.quantity,
        "supplement": doc.is_supplement,
        "added_at": doc.added_at,
        "file": doc.file.original_name if doc.file_id else "",
    }


def collect(user) -> PartData:
    from apps.audit.selectors import events_of

    from . import documents, payments

    out = PartData()
    dossiers = (
        Dossier.objects.filter(applicant_user=user)
        .select_related("result_file", "rating")
        .prefetch_related("documents__file", "history", "supplement_requests", "payments")
        .order_by("pk")
    )
    for dossier in dossiers:
        folder = dossier.code or f"nhap-{dossier.pk}"
        docs = list(dossier.documents.all())
        for doc in docs:
            if doc.file_id:
                out.files.append((f"{folder}/{doc.file.original_name}", doc.file))
        if dossier.result_file_id:
            out.files.append((f"{folder}/ket-qua/{dossier.result_file.original_name}", dossier.result_file))
        rating = dossier.rating if hasattr(dossier, "rating") else None
        paid = payments.paid_receipt(dossier)
        if paid is not None:
            out.documents.append(
                (f"{folder}/bien-lai-{paid.receipt_number}.pdf", documents.fee_receipt(dossier, paid))
            )
        out.records.append(
            {
                "code": dossier.code,
                "state": dossier.get_state_display(),
                "procedure": dossier.procedure_name,
                "procedure_code": dossier.procedure_code,
                "channel": dossier.get_channel_display(),
                "applicant": {
                    "name": dossier.applicant_name,
                    "id_number": dossier.applicant_id_number,
                    "address": dossier.applicant_address,
                    "phone": dossier.applicant_phone,
                    "email": dossier.applicant_email,
                },
                "form_data": dossier.form_data,
                "submitted_at": dossier.submitted_at,
                "received_at": dossier.received_at,
                "due_at": dossier.due_at,
                "returned_at": dossier.returned_at,
                "closed_at": dossier.closed_at,
                "reason": dossier.reason,
                "result_number": dossier.result_number,
                "result_summary": dossier.result_summary,
                "fee": dossier.fee,
                "documents": [_document_row(d) for d in docs],
                "history": [
                    {"at": h.at, "from": h.from_state, "to": h.get_to_state_display(), "note": h.note}
                    for h in dossier.history.all()
                ],
                "supplement_requests": [
                    {"requested_at": s.requested_at, "items": s.items, "reason": s.reason}
                    for s in dossier.supplement_requests.all()
                ],
                "rating": {"score": rating.score, "comment": rating.comment} if rating else None,
                "payments": [
                    {
                        "reference": p.reference,
                        "amount": p.amount,
                        "status": p.get_status_display(),
                        "paid_at": p.paid_at,
                        "receipt_number": p.receipt_number,
                    }
                    for p in dossier.payments.all()
                ],
                "viewed_by_staff": [
                    {"at": e.at, "by": e.actor_repr, "what": e.note} for e in events_of([VIEWED], dossier)
                ],
            }
        )
    return out


PART = Part("dossiers", gettext_lazy("Dossiers"), collect, order=20)


# --------------------------------------------------------------------------- retention
def finished_before(cutoff: dt.datetime):
    return (
        Dossier.objects.filter(state__in=FINISHED, personal_data_removed_at__isnull=True)
        .annotate(finished_at=Coalesce(F("closed_at"), F("returned_at"), F("resolved_at"), F("updated_at")))
        .filter(finished_at__lt=cutoff)
        .order_by("pk")
    )


def purge_dossier(dossier: Dossier) -> list:
    """Remove the applicant's personal data from a finished dossier; return the detached files.

    Queryset updates, not `save()`: the field-diff log (auditlog) would copy the removed values
    into the append-only audit chain."""
    with transaction.atomic():
        files = [d.file for d in dossier.documents.select_related("file") if d.file_id]
        if dossier.result_file_id:
            files.append(dossier.result_file)
        DossierDocument.objects.filter(dossier=dossier).update(file=None)
        Rating.objects.filter(dossier=dossier).update(comment="")
        Dossier.objects.filter(pk=dossier.pk).update(
            applicant_user=None,
            applicant_name=_("(personal data removed)"),
            applicant_id_number="",
            applicant_address="",
            applicant_phone="",
            applicant_email="",
            form_data={},
            reason="",
            result_summary="",
            result_file=None,
            idempotency_key=None,
            personal_data_removed_at=timezone.now(),
        )
    return files


def drafts_before(cutoff: dt.datetime):
    return Dossier.objects.filter(state=State.DRAFT, updated_at__lt=cutoff).order_by("pk")


def purge_draft(dossier: Dossier) -> list:
    """An abandoned draft was never submitted: nothing counts it, so it goes whole."""
    with transaction.atomic():
        files = [d.file for d in dossier.documents.select_related("file") if d.file_id]
        dossier.documents.all().delete()
        Dossier.objects.filter(pk=dossier.pk, state=State.DRAFT).delete()
    return files


RETENTION = [
    Retention(
        key="dossiers.dossier",
        title=gettext_lazy("Finished dossier"),
        default_days=DOSSIER_DAYS,
        basis="Default (5 years after it finished), to be confirmed against Circular 13/2023/TT-BNV.",
        due=finished_before,
        purge=purge_dossier,
    ),
    Retention(
        key="dossiers.draft",
        title=gettext_lazy("Abandoned draft dossier"),
        default_days=DRAFT_DAYS,
        basis="Default (90 days without a change), a platform choice to be confirmed.",
        due=drafts_before,
        purge=purge_draft,
        audit_each=False,  # the draft is gone: no object left to hang its event on
    ),
]


def staff_viewed(request, dossier: Dossier, note: str) -> None:
    """A staff member saw the applicant's personal data: recorded at most once an hour per person,
    dossier and kind of look (the page; each attachment), so reading a page often is one event."""
    from apps.audit.services import record_access

    if dossier.applicant_user_id == request.user.pk:
        return
    record_access(VIEWED, dossier, actor=request.user, note=note, within=VIEW_WINDOW)


VIEW_WINDOW = dt.timedelta(hours=1)


def file_downloaded(request, stored_file) -> None:
    """core's download hook for dossier files: a staff member's download of an applicant's file."""
    from .selectors import is_dossier_staff

    if not is_dossier_staff(request.user):
        return
    dossiers = Dossier.objects.filter(
        Q(pk__in=DossierDocument.objects.filter(file=stored_file).values("dossier_id"))
        | Q(result_file=stored_file)
    )
    for dossier in dossiers:
        staff_viewed(
            request, dossier, _("Downloaded the file “%(name)s”") % {"name": stored_file.original_name}
        )
