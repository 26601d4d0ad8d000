"""API: dossier status and submission for integration clients (national portal sync), staff actions.

Token clients need the scope "dossiers:read" (list, status) or "dossiers:write" (submission) and
see the dossiers of their organisation's subtree. Signed-in people must be dossier staff, as on the
pages, and see what the one rule `selectors.reach_q` lets them reach.
"""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access
from apps.core.api_permissions import HasScope

from . import selectors, services
from .access import DOSSIERS_STAFF
from .models import Dossier, State
from .workflow import STAFF_ACTIONS, TransitionError


class DossierScope(HasScope):
    """Token clients need the view's scope; signed-in people must be dossier staff (as on the pages):
    the clerk, the IT officer, the editor and the citizen get 403."""

    def has_permission(self, request, view):
        if getattr(request.user, "client", None) is not None:
            return super().has_permission(request, view)
        self.message = None  # a person without a dossier role: DRF's own "permission denied"
        return bool(request.user and request.user.is_authenticated) and selectors.is_dossier_staff(
            request.user
        )


def api_queryset(request):
    client = getattr(request.user, "client", None)
    qs = Dossier.objects.exclude(state=State.DRAFT).select_related("organization", "handling_unit")
    if client is not None:
        ids = list(client.organization.subtree().values_list("pk", flat=True))
        return qs.filter(Q(organization__in=ids) | Q(handling_unit__in=ids))
    return selectors.visible(request.user)


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    to_state = serializers.CharField()
    step_timeliness = serializers.CharField()


class DossierSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    history = HistorySerializer(many=True, read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "state",
            "state_label",
            "version",
            "procedure_code",
            "procedure_name",
            "procedure_version_id",
            "legacy_level",
            "channel",
            "applicant_name",
            "submitted_at",
            "received_at",
            "due_at",
            "resolved_at",
            "returned_at",
            "timeliness",
            "result_number",
            "history",
        ]


class DossierList(generics.ListAPIView):
    """Dossiers reachable by the caller, newest first (filter with ?state= and ?since=ISO date-time)."""

    permission_classes = [DossierScope]
    required_scope = "dossiers:read"
    access_rule = DOSSIERS_STAFF
    serializer_class = DossierSerializer

    def get_queryset(self):
        qs = api_queryset(self.request).prefetch_related("history").order_by("-submitted_at", "-pk")
        if state := self.request.query_params.get("state"):
            qs = qs.filter(state=state)
        if since := self.request.query_params.get("since"):
            qs = qs.filter(updated_at__gte=since)
        return qs


class DossierStatus(generics.RetrieveAPIView):
    """One dossier's status and history, by its code."""

    permission_classes = [DossierScope]
    required_scope = "dossiers:read"
    access_rule = DOSSIERS_STAFF
    serializer_class = DossierSerializer
    lookup_field = "code"

    def get_queryset(self):
        return api_queryset(self.request).prefetch_related("history")


class DocumentIn(serializers.Serializer):
    code = serializers.CharField()
    filename = serializers.CharField()
    content_base64 = serializers.CharField()


class SubmissionIn(serializers.Serializer):
    procedure_version_id = serializers.IntegerField()
    idempotency_key = serializers.CharField(max_length=64)
    applicant_name = serializers.CharField()
    applicant_id_number = serializers.CharField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(required=False, allow_blank=True)
    applicant_phone = serializers.CharField(required=False, allow_blank=True)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)
    form = serializers.DictField(required=False)
    documents = DocumentIn(many=True, required=False)


class DossierSubmit(APIView):
    """Submit a dossier received on another portal (integration clients with "dossiers:write")."""

    permission_classes = [HasScope]
    required_scope = "dossiers:write"
    access_rule = access.API_CLIENT

    @extend_schema(request=SubmissionIn, responses={201: DossierSerializer, 200: DossierSerializer})
    def post(self, request):
        client = getattr(request.user, "client", None)
        if client is None:
            raise ApiPermissionDenied("Only integration clients submit through the API.")
        data = SubmissionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The key is this client's: another client's dossier under the same key is never returned.
        submitter = services.submitter_key(client=client)
        existing = services.find_submission(submitter, values["idempotency_key"])
        if existing:
            return Response(DossierSerializer(existing).data, status=status.HTTP_200_OK)
        uploads = {}
        for doc in values.get("documents", []):
            try:
                content = base64.b64decode(doc["content_base64"], validate=True)
            except (binascii.Error, ValueError):
                return Response({doc["code"]: ["Nội dung base64 không hợp lệ."]}, status=400)
            uploads[doc["code"]] = SimpleUploadedFile(doc["filename"], content)
        try:
            dossier = services.create_dossier(
                version_id=values["procedure_version_id"],
                desk=client.organization,
                channel="online",
                applicant={k: values.get(k, "") for k in services.APPLICANT_FIELDS},
                form_data=values.get("form", {}),
                uploads=uploads,
                idempotency_key=values["idempotency_key"],
                submitter=submitter,
            )
        except ValidationError as exc:
            return Response(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}, status=400
            )
        return Response(DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)


class ActionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DossierAction(APIView):
    """A staff action on a dossier (signed-in staff only; same rules as the pages)."""

    permission_classes = [DossierScope]
    required_scope = "dossiers:write"
    access_rule = DOSSIERS_STAFF

    @extend_schema(request=ActionIn, responses=DossierSerializer)
    def post(self, request, code, action):
        if getattr(request.user, "client", None) is not None:
            raise ApiPermissionDenied("Staff actions need a signed-in person.")
        if action not in STAFF_ACTIONS:
            raise NotFound
        dossier = get_object_or_404(selectors.visible(request.user), code=code)
        data = ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            dossier = services.act(
                dossier.pk,
                action,
                actor=request.user,
                expected_version=data.validated_data.get("version"),
                note=data.validated_data.get("note", ""),
            )
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        return Response(DossierSerializer(dossier).data)
