from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access
from apps.core.api_permissions import HasScope


class MembershipSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    title = serializers.CharField()


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["user", "client"])
    username = serializers.CharField(required=False)
    full_name = serializers.CharField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)  # a citizen may have none
    two_factor_verified = serializers.BooleanField(required=False)
    memberships = MembershipSerializer(many=True, required=False)
    client = serializers.CharField(required=False)
    organization_id = serializers.IntegerField(required=False)
    scopes = serializers.ListField(child=serializers.CharField(), required=False)


class MeView(APIView):
    """Who is calling: the signed-in person, or the integration client of the token."""

    permission_classes = [HasScope]
    required_scope = "accounts:read"
    access_rule = access.SIGNED_IN

    @extend_schema(responses=MeSerializer, summary="Người dùng hoặc ứng dụng hiện tại")
    def get(self, request):
        client = getattr(request.user, "client", None)
        if client is not None:
            data = {
                "kind": "client",
                "client": client.name,
                "organization_id": client.organization_id,
                "scopes": client.scopes,
            }
        else:
            user = request.user
            data = {
                "kind": "user",
                "username": user.username,
                "full_name": user.full_name,
                "email": user.email,
                "two_factor_verified": user.is_verified(),
                "memberships": user.memberships.filter(is_active=True).select_related("organization"),
            }
        return Response(MeSerializer(data).data)
