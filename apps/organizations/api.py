from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access
from apps.core.api_permissions import HasScope

from .scoping import visible_organizations


class OrganizationNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    is_typical = serializers.BooleanField()
    children = serializers.ListField(child=serializers.DictField())


def build_tree(nodes) -> list[dict]:
    """Nests a path-ordered list; a node whose parent is outside the list becomes a root."""
    by_id: dict[int, dict] = {}
    roots: list[dict] = []
    for org in nodes:
        item = {
            "id": org.pk,
            "code": org.code,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "parent_id": org.parent_id,
            "is_typical": org.is_typical,
            "children": [],
        }
        by_id[org.pk] = item
        parent = by_id.get(org.parent_id)
        (parent["children"] if parent else roots).append(item)
    return roots


def organizations_for(request):
    client = getattr(request.user, "client", None)
    if client is not None:
        return client.organization.subtree()
    return visible_organizations(request.user)


class OrganizationTreeView(APIView):
    """The organisation tree the caller may see (a token sees its organisation's subtree)."""

    permission_classes = [HasScope]
    required_scope = "organizations:read"
    access_rule = access.SIGNED_IN

    @extend_schema(responses=OrganizationNodeSerializer(many=True), summary="Cây cơ cấu tổ chức")
    def get(self, request):
        nodes = organizations_for(request).filter(is_active=True).order_by("path")
        return Response(build_tree(nodes))
