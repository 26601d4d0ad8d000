"""API: read and search the incoming and outgoing registers, and one document's detail.

Signed-in staff see exactly what the pages show them (`selectors.incoming_for/outgoing_for`:
organisation scope, classified documents only for leaders, clerks and those involved). Token
clients need the scope "documents:read" and see the unclassified documents of their
organisation's subtree. A document outside the caller's reach answers 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import capfirst
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api_permissions import HasScope
from apps.core.converters import int_param
from apps.core.signing import VERDICTS, SigningError, trust_roots, verify_pdf, worst_verdict

from .access import DOCUMENTS_STAFF
from .apps import can_use_documents
from .models import (
    Confidentiality,
    IncomingDocument,
    IncomingStatus,
    IncomingStatusChange,
    OutgoingDocument,
    OutgoingStatus,
    OutgoingStatusChange,
    Recipient,
    SignatureVerdict,
)
from .selectors import INCOMING_LIST_RELATED, OUTGOING_LIST_RELATED, incoming_for, outgoing_for, search

READ_SCOPE = "documents:read"
VERIFY_SCOPE = "signatures:verify"
VERIFY_LIMIT = 50 * 1024 * 1024  # as the verification page

FILTERS = [
    OpenApiParameter(
        "q", str, description="Full text (number, summary, sender, PDF text), no diacritics needed"
    ),
    OpenApiParameter("status", str, description="Status code"),
    OpenApiParameter("year", int, description="Register year"),
    OpenApiParameter("type", int, description="Document type id"),
]


def _client_subtree(request):
    client = getattr(request.user, "client", None)
    if client is None:
        return None
    return list(client.organization.subtree().values_list("pk", flat=True))


def incoming_queryset(request):
    ids = _client_subtree(request)
    if ids is not None:
        return IncomingDocument.objects.filter(
            Q(organization__in=ids) | Q(lead_unit__in=ids), confidentiality=Confidentiality.NORMAL
        )
    if not can_use_documents(request.user):
        raise ApiPermissionDenied("Official documents are for staff accounts.")
    return incoming_for(request.user)


def outgoing_queryset(request):
    ids = _client_subtree(request)
    if ids is not None:
        return OutgoingDocument.objects.filter(
            Q(organization__in=ids) | Q(drafting_unit__in=ids), confidentiality=Confidentiality.NORMAL
        )
    if not can_use_documents(request.user):
        raise ApiPermissionDenied("Official documents are for staff accounts.")
    return outgoing_for(request.user)


def _filtered(request, qs, statuses):
    params = request.query_params
    if q := params.get("q", "").strip():
        qs = search(qs, q)
    if (status := params.get("status", "")) in dict(statuses):
        qs = qs.filter(status=status)
    if (year := int_param(params.get("year"))) is not None:
        qs = qs.filter(year=year)
    if (doc_type := int_param(params.get("type"))) is not None:
        qs = qs.filter(doc_type_id=doc_type)
    return qs


class IncomingHistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default="", read_only=True)

    class Meta:
        model = IncomingStatusChange
        fields = ["at", "action", "from_state", "to_state", "actor", "note"]


class OutgoingHistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default="", read_only=True)

    class Meta:
        model = OutgoingStatusChange
        fields = ["at", "action", "from_state", "to_state", "actor", "note"]


class IncomingSerializer(serializers.ModelSerializer):
    register = serializers.CharField(source="register.name", read_only=True)
    doc_type = serializers.CharField(source="doc_type.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.name", default="", read_only=True)
    handler = serializers.CharField(source="handler.full_name", default="", read_only=True)
    answer = serializers.CharField(source="answer.number_symbol", default="", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    # "" until a file was checked (only PDFs carry PAdES signatures): part of the schema's enum too.
    signature_verdict = serializers.ChoiceField(
        choices=SignatureVerdict.choices,
        allow_blank=True,
        read_only=True,
        label=capfirst(IncomingDocument._meta.get_field("signature_verdict").verbose_name),
        help_text="Empty: no signature check was made (the file is not a PDF).",
    )

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "register",
            "year",
            "arrival_number",
            "arrived_at",
            "sender_name",
            "number_symbol",
            "document_date",
            "doc_type",
            "summary",
            "urgency",
            "confidentiality",
            "pages",
            "status",
            "status_label",
            "deadline",
            "lead_unit",
            "handler",
            "completed_at",
            "is_late",
            "answer",
            "signature_verdict",
        ]


class IncomingDetailSerializer(IncomingSerializer):
    history = IncomingHistorySerializer(many=True, read_only=True)
    instruction = serializers.CharField(read_only=True)
    signature_report = serializers.JSONField(read_only=True)

    class Meta(IncomingSerializer.Meta):
        fields = [
            *IncomingSerializer.Meta.fields,
            "instruction",
            "result_note",
            "signature_report",
            "history",
        ]


class RecipientSerializer(serializers.ModelSerializer):
    on_platform = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = ["name", "on_platform", "delivered_at"]

    def get_on_platform(self, obj) -> bool:
        return obj.organization_id is not None


class OutgoingSerializer(serializers.ModelSerializer):
    register = serializers.CharField(source="register.name", read_only=True)
    doc_type = serializers.CharField(source="doc_type.name", read_only=True)
    drafting_unit = serializers.CharField(source="drafting_unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "register",
            "year",
            "number",
            "number_symbol",
            "issued_date",
            "doc_type",
            "summary",
            "urgency",
            "confidentiality",
            "drafting_unit",
            "signer_name",
            "signer_title",
            "digitally_signed",
            "sealed",
            "status",
            "status_label",
            "issued_at",
            "recalled_at",
            "recall_reason",
            "recipients",
        ]


class OutgoingDetailSerializer(OutgoingSerializer):
    history = OutgoingHistorySerializer(many=True, read_only=True)

    class Meta(OutgoingSerializer.Meta):
        fields = [*OutgoingSerializer.Meta.fields, "history"]


@extend_schema_view(get=extend_schema(parameters=FILTERS))
class IncomingList(generics.ListAPIView):
    """The incoming register the caller may read, newest first; search and filters as on the page."""

    permission_classes = [HasScope]
    access_rule = DOCUMENTS_STAFF  # a signed-in person: staff only (the querysets below)
    required_scope = READ_SCOPE
    serializer_class = IncomingSerializer

    def get_queryset(self):
        qs = _filtered(self.request, incoming_queryset(self.request), IncomingStatus.choices)
        return qs.select_related(*INCOMING_LIST_RELATED).order_by("-year", "-arrival_number", "-pk")


class IncomingDetail(generics.RetrieveAPIView):
    """One incoming document with its processing history (404 outside the caller's reach)."""

    permission_classes = [HasScope]
    access_rule = DOCUMENTS_STAFF  # a signed-in person: staff only (the querysets below)
    required_scope = READ_SCOPE
    serializer_class = IncomingDetailSerializer

    def get_queryset(self):
        return (
            incoming_queryset(self.request)
            .select_related(*INCOMING_LIST_RELATED)
            .prefetch_related("history__actor")
        )


@extend_schema_view(get=extend_schema(parameters=FILTERS))
class OutgoingList(generics.ListAPIView):
    """The outgoing register the caller may read (drafts included for their drafters and reviewers)."""

    permission_classes = [HasScope]
    access_rule = DOCUMENTS_STAFF  # a signed-in person: staff only (the querysets below)
    required_scope = READ_SCOPE
    serializer_class = OutgoingSerializer

    def get_queryset(self):
        qs = _filtered(self.request, outgoing_queryset(self.request), OutgoingStatus.choices)
        return (
            qs.select_related(*OUTGOING_LIST_RELATED, "register")
            .prefetch_related("recipients")
            .order_by("-year", "-number", "-created_at", "-pk")
        )


class OutgoingDetail(generics.RetrieveAPIView):
    """One outgoing document with its recipients and history (404 outside the caller's reach)."""

    permission_classes = [HasScope]
    access_rule = DOCUMENTS_STAFF  # a signed-in person: staff only (the querysets below)
    required_scope = READ_SCOPE
    serializer_class = OutgoingDetailSerializer

    def get_queryset(self):
        return (
            outgoing_queryset(self.request)
            .select_related(*OUTGOING_LIST_RELATED, "register")
            .prefetch_related("recipients", "history__actor")
        )


class SignatureCheckSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to verify (at most 50 MB)")


VERDICT_CHOICES = [*VERDICTS, "unsigned"]  # one enum in the schema for the file and each signature


class SignatureReportSerializer(serializers.Serializer):
    field = serializers.CharField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    headline = serializers.CharField()
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    modified_after_signing = serializers.BooleanField()
    covers_whole_document = serializers.BooleanField()
    expired = serializers.BooleanField()
    signer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    certificate_subject = serializers.CharField()
    certificate_issuer = serializers.CharField()
    certificate_not_after = serializers.DateTimeField(allow_null=True)
    problems = serializers.ListField(child=serializers.CharField())


class SignatureCheckResultSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    headline = serializers.CharField()
    signatures = SignatureReportSerializer(many=True)


@extend_schema(
    request={"multipart/form-data": SignatureCheckSerializer}, responses={200: SignatureCheckResultSerializer}
)
class SignatureCheck(APIView):
    """Verify the digital signatures of a PDF, offline, against the configured trust roots.

    The answer is the verification page's: a file verdict (`valid`, `modified` = changed after
    signing, `tampered`/`invalid` = signature broken, `untrusted`, `expired`, `warning`, or
    `unsigned`) with its Vietnamese headline, and one report per signature. Nothing is stored.
    """

    permission_classes = [HasScope]
    access_rule = DOCUMENTS_STAFF  # a signed-in person: staff only; a token: the scope below
    required_scope = VERIFY_SCOPE
    parser_classes = [MultiPartParser]

    def post(self, request):
        if getattr(request.user, "client", None) is None and not can_use_documents(request.user):
            raise ApiPermissionDenied("Signature verification is for staff accounts and API clients.")
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": ["Hãy gửi tệp PDF cần kiểm tra trong trường “file”."]})
        data = upload.read(VERIFY_LIMIT + 1)
        if len(data) > VERIFY_LIMIT:
            raise ApiValidationError({"file": ["Tệp quá lớn (tối đa 50 MB)."]})
        try:
            reports = verify_pdf(data, trust_roots())
        except SigningError as exc:  # not a PDF, or a PDF/signature that cannot be parsed
            raise ApiValidationError({"file": [str(exc)]}) from exc
        verdict = worst_verdict(reports) or "unsigned"
        headline = str(VERDICTS[verdict]) if reports else str(SignatureVerdict.UNSIGNED.label)
        return Response(
            {"verdict": verdict, "headline": headline, "signatures": [r.as_dict() for r in reports]}
        )
