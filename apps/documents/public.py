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
