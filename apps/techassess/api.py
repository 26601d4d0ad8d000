"""API: assessment results and aggregates (read), and survey submission by integration clients.

Token clients need the scope "techassess:read" and see the results of their organisation's subtree;
signed-in people see what the module's permissions allow (an enterprise its own results, officers
their unit's, leaders their agency's). Every result carries `illustrative`: true when it was computed
with the demonstration methodology ("minh họa"), which is not the official Circular 17/2019 table.
Integration clients with the scope "techassess:write" may submit complete surveys for review.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access
from apps.core.api_permissions import HasScope

from . import permissions, selectors
from .access import TECHASSESS_AGGREGATES, TECHASSESS_USER
from .models import AssessmentResult, Methodology

ILLUSTRATIVE_NOTE = (
    "minh họa — phương pháp minh họa, không phải bảng điểm chính thức của Thông tư 17/2019/TT-BKHCN"
)


class ResultSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="survey.enterprise.name", read_only=True)
    tax_code = serializers.CharField(source="survey.enterprise.tax_code", read_only=True)
    methodology = serializers.CharField(source="methodology_label", read_only=True)
    class_code = serializers.CharField(source="klass", read_only=True)
    note = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "enterprise_name",
            "tax_code",
            "year",
            "vsic_code",
            "commune",
            "methodology",
            "illustrative",
            "note",
            "total",
            "coefficient",
            "class_code",
            "class_name",
            "groups",
            "computed_at",
        ]

    def get_note(self, obj) -> str:
        return ILLUSTRATIVE_NOTE if obj.illustrative else ""


class ResultDetailSerializer(ResultSerializer):
    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "criteria", "benchmark_sector"]


def _check_person(user):
    if getattr(user, "client", None) is None and not selectors.can_use_module(user):
        raise PermissionDenied


class ResultList(generics.ListAPIView):
    """The latest result of each accepted survey the caller may read (filters: ?year=, ?vsic=,
    ?tax_code=)."""

    permission_classes = [HasScope]
    required_scope = "techassess:read"
    access_rule = TECHASSESS_USER  # a signed-in person: the module's users (_check_person)
    serializer_class = ResultSerializer

    def get_queryset(self):
        _check_person(self.request.user)
        qs = selectors.latest_results(self.request.user).order_by("-year", "survey__enterprise__name", "pk")
        params = self.request.query_params
        if (year := params.get("year", "")).isdigit():
            qs = qs.filter(year=int(year))
        if vsic := params.get("vsic"):
            qs = qs.filter(vsic_code__startswith=vsic)
        if tax_code := params.get("tax_code"):
            qs = qs.filter(survey__enterprise__tax_code=tax_code)
        return qs


class ResultDetail(generics.RetrieveAPIView):
    """One result (any computation, not only the latest) with its per-criterion explanation."""

    permission_classes = [HasScope]
    required_scope = "techassess:read"
    access_rule = TECHASSESS_USER
    serializer_class = ResultDetailSerializer

    def get_queryset(self):
        _check_person(self.request.user)
        return selectors.scoped_results(self.request.user).select_related("survey__enterprise")


class AggregateItem(serializers.Serializer):
    key = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    count = serializers.IntegerField()
    total = serializers.FloatField()
    coefficient = serializers.FloatField()
    groups = serializers.DictField(child=serializers.FloatField())
    classes = serializers.ListField(child=serializers.DictField())


class AggregatesOut(serializers.Serializer):
    methodology = serializers.CharField(allow_null=True)
    illustrative = serializers.BooleanField()
    note = serializers.CharField()
    aggregation_method = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField())
    province = AggregateItem(allow_null=True)
    industries = AggregateItem(many=True)
    communes = AggregateItem(many=True)
    trend = serializers.ListField(child=serializers.DictField())


class Aggregates(APIView):
    """Province, industry and commune aggregates of one survey year (?year=, default the latest),
    by the aggregation rule stored in the methodology (?methodology=<id>, default the current one)."""

    permission_classes = [HasScope]
    required_scope = "techassess:read"
    access_rule = TECHASSESS_AGGREGATES

    @extend_schema(
        responses=AggregatesOut,
        parameters=[
            OpenApiParameter("year", int, required=False),
            OpenApiParameter("methodology", int, required=False),
        ],
    )
    def get(self, request):
        user = request.user
        if getattr(user, "client", None) is None and not permissions.can_view_aggregates(user):
            raise PermissionDenied
        year = request.query_params.get("year", "")
        method = None
        if (method_id := request.query_params.get("methodology", "")).isdigit():
            method = Methodology.objects.filter(pk=int(method_id)).first()
        data = selectors.aggregates(user, year=int(year) if year.isdigit() else None, methodology=method)
        m = data.get("methodology")
        return Response(
            {
                "methodology": str(m) if m else None,
                "illustrative": bool(data.get("illustrative")),
                "note": ILLUSTRATIVE_NOTE if data.get("illustrative") else "",
                "aggregation_method": ((m.definition.get("aggregation") or {}).get("method") if m else None),
                "year": data.get("year"),
                "years": data.get("years", []),
                "province": data.get("province"),
                "industries": data.get("industries", []),
                "communes": data.get("communes", []),
                "trend": data.get("trend", []),
            }
        )


class SurveyIn(serializers.Serializer):
    tax_code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=300)
    vsic_code = serializers.CharField(max_length=5)
    industry_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    commune = serializers.CharField(max_length=120)
    email = serializers.EmailField(required=False, allow_blank=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    answers = serializers.DictField(
        help_text="Answers by question code of the current methodology; a table question (e.g. "
        "equipment_list) is a list of rows keyed by column code."
    )


class SurveySubmit(APIView):
    """An integration client submits a complete survey on an enterprise's behalf. It is checked like
    a row of the Excel import (every problem named by its field) and arrives as "submitted" for the
    department's review. A second submission for the same enterprise and year is refused (409)."""

    permission_classes = [HasScope]
    required_scope = "techassess:write"
    access_rule = access.API_CLIENT

    @extend_schema(request=SurveyIn, responses={201: dict, 400: dict, 409: dict})
    def post(self, request):
        from types import SimpleNamespace

        from django.core.exceptions import ValidationError as DjangoValidationError

        from . import importer
        from . import methodology as mdef
        from .services import current_methodology, handling_unit

        client = getattr(request.user, "client", None)
        if client is None:
            raise PermissionDenied(
                "Survey submission is for integration clients; people use the survey pages."
            )
        body = SurveyIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        method = current_methodology()
        if method is None:
            return Response({"errors": [{"field": None, "message": "No methodology is active."}]}, status=400)
        raw = {
            k: data.get(k, "") for k in ("tax_code", "name", "vsic_code", "industry_name", "commune", "email")
        }
        raw["year"] = data["year"]
        tables = {}
        key = importer._key(raw["tax_code"], raw["year"])
        for code, q in mdef.questions(method.definition).items():
            value = data["answers"].get(code)
            if q["type"] == "table":
                rows = value if isinstance(value, list) else []
                tables[code] = {key: [(i, r if isinstance(r, dict) else {}) for i, r in enumerate(rows, 1)]}
            elif value is not None:
                raw[code] = value
        unknown = sorted(set(data["answers"]) - set(mdef.questions(method.definition)))
        enterprise, answers, errors = importer.clean_row(1, raw, method.definition, tables)
        problems = [{"field": e.column, "message": e.message} for e in errors]
        problems += [{"field": code, "message": "Unknown question code."} for code in unknown]
        if problems:
            return Response({"methodology": str(method), "errors": problems}, status=400)
        job = SimpleNamespace(organization=handling_unit(), created_by=None, methodology=method, pk=None)
        try:
            survey = importer.import_row(1, enterprise, answers, job=job, source=f"API: {client.name}")
        except DjangoValidationError as exc:
            return Response({"errors": [{"field": "year", "message": exc.messages[0]}]}, status=409)
        return Response(
            {
                "id": survey.pk,
                "status": survey.status,
                "methodology": str(method),
                "illustrative": method.illustrative,
            },
            status=201,
        )
