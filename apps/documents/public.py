"""The documents module's public functions for other modules (they never import its models)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from . import services
from .models import DocumentType


def create_outgoing_draft(
    user,
    *,
    organization,
    filename: str,
    content: bytes,
    summary: str,
    type_abbreviation: str = "",
    signer_name: str = "",
    signer_title: str = "",
) -> int:
    """Creates an outgoing document draft from a file (DOCX or PDF) through `services.create_draft`,
    drafted by the user's unit in `organization`'s agency; returns the document's id.

    Raises `services.DocumentError` (a ValidationError) when the user may not draft documents.
    """
    from .catalogue import ensure_document_types

    agency = organization.agency()
    units = [u for u in services.units_of(user) if u.agency() == agency]
    drafting_unit = units[0] if units else agency
    doc_type = DocumentType.objects.filter(abbreviation=type_abbreviation, is_active=True).first()
    if doc_type is None:
        ensure_document_types()
        doc_type = DocumentType.objects.filter(
            abbreviation=type_abbreviation
        ).first() or DocumentType.objects.get(name="Công văn")
    doc = services.create_draft(
        user,
        drafting_unit=drafting_unit,
        doc_type=doc_type,
        summary=summary,
        upload=ContentFile(content, name=filename),
    )
    if signer_name or signer_title:
        doc.signer_name, doc.signer_title = signer_name, signer_title
        doc.save(update_fields=["signer_name", "signer_title"])
    return doc.pk


def outgoing_url(document_id: int) -> str:
    from django.urls import reverse

    return reverse("documents:outgoing_detail", args=[document_id])


# --------------------------------------------------------------------------- staff home counters
def _week_end(today):
    import datetime as dt

    return today + dt.timedelta(days=6 - today.weekday())  # Sunday of this week


def home_counters(user) -> list:
    """The user's own documents on the staff home (core.modules.register_counters): outgoing drafts
    waiting for their review (their turn in the chain), incoming documents they handle, of which
    overdue and due this week; for a leader, incoming documents waiting for their instruction."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from apps.core.modules import Counter

    from .models import IncomingDocument, IncomingStatus, OutgoingStatus, ReviewStep

    today = timezone.localdate()
    earlier = ReviewStep.objects.filter(
        document=OuterRef("document"),
        round=OuterRef("round"),
        order__lt=OuterRef("order"),
        decision=ReviewStep.Decision.PENDING,
    )
    to_review = (
        ReviewStep.objects.filter(
            reviewer=user, decision=ReviewStep.Decision.PENDING, document__status=OutgoingStatus.IN_REVIEW
        )
        .exclude(Exists(earlier))
        .count()
    )
    handling = IncomingDocument.objects.filter(handler=user, status=IncomingStatus.IN_PROGRESS)
    counts = {
        "handling": handling.count(),
        "overdue": handling.filter(deadline__lt=today).count(),
        "week": handling.filter(deadline__gte=today, deadline__lte=_week_end(today)).count(),
        "instruct": IncomingDocument.objects.filter(leader=user, status=IncomingStatus.SUBMITTED).count(),
    }
    incoming, outgoing = reverse("documents:incoming_list"), reverse("documents:outgoing_list")
    rows = [
        Counter(_("Outgoing drafts waiting for my review"), to_review, f"{outgoing}?status=in_review"),
        Counter(_("Incoming documents I handle"), counts["handling"], f"{incoming}?status=in_progress"),
        Counter(_("of which overdue"), counts["overdue"], f"{incoming}?status=in_progress", "danger"),
        Counter(_("of which due this week"), counts["week"], f"{incoming}?status=in_progress", "warning"),
    ]
    if counts["instruct"]:
        rows.insert(
            0, Counter(_("Incoming documents waiting for my instruction"), counts["instruct"], incoming)
        )
    return rows


def leader_overview(user) -> list:
    """For a leader, across the documents they may see: incoming being handled (of which overdue)
    and outgoing drafts in review."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from apps.core.modules import Counter
    from apps.organizations.roles import Role
    from apps.organizations.selectors import has_role

    from .models import IncomingStatus, OutgoingStatus
    from .selectors import incoming_for, outgoing_for

    if not has_role(user, Role.LEADER):
        return []
    today = timezone.localdate()
    open_incoming = incoming_for(user).filter(
        status__in=[IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS]
    )
    incoming, outgoing = reverse("documents:incoming_list"), reverse("documents:outgoing_list")
    return [
        Counter(_("Incoming documents being handled"), open_incoming.count(), incoming),
        Counter(_("of which overdue"), open_incoming.filter(deadline__lt=today).count(), incoming, "danger"),
        Counter(
            _("Outgoing drafts in review"),
            outgoing_for(user).filter(status=OutgoingStatus.IN_REVIEW).count(),
            f"{outgoing}?status=in_review",
        ),
    ]
