"""API (read only): IT assets, information systems and incidents, scoped like the pages.

Signed-in people see what the module's selectors allow them (object-level: a detail outside the
caller's scope is 404). Integration clients need the scope "itsec:read" and see the rows of their
organisation's subtree.
"""

from __future__ import annotations

from rest_framework import generics, serializers

from apps.core import access
from apps.core.api_permissions import HasScope

from .models import Asset, Incident, InformationSystem
from .selectors import assets_for, incidents_for, search_assets, systems_for


def _client_subtree(request):
    client = getattr(request.user, "client", None)
    if client is None:
        return None
    return list(client.organization.subtree().values_list("pk", flat=True))


class AssetSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    assignee = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    depreciation_end = serializers.DateField(read_only=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "code",
            "asset_type",
            "name",
            "model",
            "serial",
            "operating_system",
            "organization",
            "assignee",
            "location",
            "purchase_date",
            "depreciation_end",
            "status",
            "status_label",
            "purpose",
            "internet_connected",
            "antivirus_product",
            "antivirus_version",
            "antivirus_licence_expiry",
            "antivirus_last_update",
            "updated_at",
        ]


class SystemSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    level_status_label = serializers.CharField(source="get_level_status_display", read_only=True)

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "name",
            "organization",
            "kind",
            "purpose",
            "hosting",
            "proposed_level",
            "proposal_reasons",
            "level_status",
            "level_status_label",
            "approved_level",
            "approval_reference",
            "approved_on",
            "next_review_on",
        ]


class IncidentSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    assets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    systems = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "code",
            "title",
            "organization",
            "occurred_at",
            "reported_at",
            "status",
            "status_label",
            "severity",
            "category",
            "assets",
            "systems",
            "closed_at",
        ]


class _Scoped:
    permission_classes = [HasScope]
    required_scope = "itsec:read"
    access_rule = access.SIGNED_IN  # a signed-in person sees the rows the selectors give them
    model = None
    selector = None

    def get_queryset(self):
        ids = _client_subtree(self.request)
        if ids is not None:
            qs = self.model.objects.filter(organization_id__in=ids).select_related("organization")
        else:
            qs = type(self).selector(self.request.user)
        return self.filter(qs).order_by("pk")

    def filter(self, qs):
        return qs


class AssetList(_Scoped, generics.ListAPIView):
    """IT assets (filters: ?q=, ?asset_type=, ?status=, ?purpose=)."""

    serializer_class = AssetSerializer
    model = Asset
    selector = staticmethod(assets_for)

    def filter(self, qs):
        p = self.request.query_params
        return search_assets(
            qs,
            q=p.get("q", ""),
            asset_type=p.get("asset_type", ""),
            status=p.get("status", ""),
            purpose=p.get("purpose", ""),
        )


class AssetDetail(_Scoped, generics.RetrieveAPIView):
    serializer_class = AssetSerializer
    model = Asset
    selector = staticmethod(assets_for)
    lookup_field = "code"


class SystemList(_Scoped, generics.ListAPIView):
    """Information systems and their security levels."""

    serializer_class = SystemSerializer
    model = InformationSystem
    selector = staticmethod(systems_for)


class SystemDetail(_Scoped, generics.RetrieveAPIView):
    serializer_class = SystemSerializer
    model = InformationSystem
    selector = staticmethod(systems_for)


class IncidentList(_Scoped, generics.ListAPIView):
    """Incidents (filter: ?status=)."""

    serializer_class = IncidentSerializer
    model = Incident
    selector = staticmethod(incidents_for)

    def filter(self, qs):
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs.prefetch_related("assets", "systems")


class IncidentDetail(_Scoped, generics.RetrieveAPIView):
    serializer_class = IncidentSerializer
    model = Incident
    selector = staticmethod(incidents_for)
    lookup_field = "code"

    def filter(self, qs):
        return qs.prefetch_related("assets", "systems")
