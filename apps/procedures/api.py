"""Read-only public API of the catalogue (no authentication; anonymous rate limit applies)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from apps.core import access
from apps.core.converters import int_param

from . import selectors
from .models import Field, ProcedureVersion
from .public import procedure_url


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "name"]


class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    allowance_days = serializers.DecimalField(max_digits=6, decimal_places=1)


class DocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    form = serializers.ChoiceField(choices=["original", "copy", "either"])
    quantity = serializers.IntegerField()
    required = serializers.BooleanField()


class ProcedureSerializer(serializers.ModelSerializer):
    """The version of a procedure in force today."""

    procedure_id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    field = serializers.CharField(source="field.name", read_only=True)
    competent_unit = serializers.CharField(source="competent_unit.name", default="", read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    fee = serializers.JSONField(read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = [
            "procedure_id",
            "version",
            "code",
            "name",
            "field",
            "competent_unit",
            "legal_bases",
            "processing_days",
            "steps",
            "documents",
            "fee",
            "result_type",
            "legacy_level",
            "online_level",
            "channels",
            "effective_from",
            "url",
        ]

    def get_url(self, obj) -> str:
        return procedure_url(obj.procedure_id)


@extend_schema_view(
    list=extend_schema(
        summary="Danh mục thủ tục hành chính đang có hiệu lực",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Tìm không dấu theo tên hoặc mã"),
            OpenApiParameter("search", OpenApiTypes.STR, description="Như q (tên tham số chuẩn của DRF)"),
            OpenApiParameter("field", OpenApiTypes.INT, description="Mã lĩnh vực"),
            OpenApiParameter("level", OpenApiTypes.INT, description="Mức độ 2/3/4 (NĐ 43/2011)"),
            OpenApiParameter("online", OpenApiTypes.STR, description="full / partial / none (NĐ 42/2022)"),
        ],
    ),
    retrieve=extend_schema(summary="Một thủ tục (phiên bản đang có hiệu lực), theo mã thủ tục"),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    access_rule = access.PUBLIC
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = ProcedureSerializer
    lookup_field = "procedure_id"
    lookup_value_converter = "id"

    def get_queryset(self):
        params = self.request.query_params
        online = params.get("online", "")
        return selectors.catalogue(
            field_id=int_param(params.get("field")),
            legacy_level=int_param(params.get("level")),
            online_level=online or None,
            text=(params.get("q") or params.get("search") or "")[:200],
        )


@extend_schema_view(list=extend_schema(summary="Các lĩnh vực thủ tục"))
class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    access_rule = access.PUBLIC
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = FieldSerializer
    queryset = Field.objects.order_by("name")
    lookup_value_converter = "id"
