"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

from django.utils import timezone

from apps.documents import services
from apps.documents.catalogue import ensure_document_types
from apps.documents.models import DocumentType, IncomingDocument, OutgoingDocument
from apps.organizations.roles import Role


def _doc_type():
    ensure_document_types()
    return DocumentType.objects.get(name="Công văn")


def _incoming(tree, users):
    agency = tree["agency"]
    doc = IncomingDocument.objects.create(
        organization=agency,
        register=services.default_register(agency, "incoming"),
        year=2026,
        arrival_number=1,
        arrived_at=timezone.now(),
        sender_name="UBND tỉnh Đắk Lắk",
        doc_type=_doc_type(),
        summary="Về việc báo cáo chuyển đổi số",
    )
    return doc, "submit", users[Role.CLERK], {}


def _outgoing(tree, users):
    agency = tree["agency"]
    doc = OutgoingDocument.objects.create(
        organization=agency,
        drafting_unit=tree["tech"],
        register=services.default_register(agency, "outgoing"),
        doc_type=_doc_type(),
        summary="Về việc triển khai kế hoạch chuyển đổi số",
        created_by=users[Role.SPECIALIST],
    )
    return doc, "submit", users[Role.SPECIALIST], {}


SAMPLES = {"incoming": _incoming, "outgoing": _outgoing}
