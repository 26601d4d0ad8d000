"""The indicators API: every registered indicator for one organisation and period.

GET /api/v1/indicators/?organization=<id>&year=2021 (or `from`/`to`, ISO dates, both included).
Signed-in people reach the organisations of their "view" scope (`restrict`); a person whose scope is
only their own records (specialists, citizens…) reads no organisation's figures (403). Integration
clients need the scope "indicators:read" and reach their organisation's subtree. Without
`organization`: the caller's own agency (a client: its organisation). An organisation outside the
caller's reach answers 404, so that the API does not reveal which organisations exist.

It lives in organizations because it reads organisations and scoping; it is imported only by URL
configuration, never by `core` at start-up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import indicators
from apps.core.api_permissions import HasScope
from apps.core.api_schema import NOT_FOUND
from apps.core.periods import Period

from .access import INDICATOR_VIEWER
from .models import Organization
from .scoping import Action, restrict


class PeriodError(ValueError):
    """A bad year or date range; the message is shown to the user."""


def parse_period(params) -> Period:
    """`year`, or `from` and `to` (ISO dates); neither: the current year."""
    year, start, end = params.get("year"), params.get("from"), params.get("to")
    if year not in (None, "") and (start or end):
        raise PeriodError(_("Give either a year or a from/to date range, not both."))
    if start or end:
        try:
            first, last = dt.date.fromisoformat(start or ""), dt.date.fromisoformat(end or "")
        except ValueError:
            raise PeriodError(_("The dates must be given as YYYY-MM-DD, both “from” and “to”.")) from None
        if first > last:
            raise PeriodError(_("The start date is after the end date."))
        return Period(first, last)
    if year in (None, ""):
        return Period.year(timezone.localdate().year)
    try:
        number = int(year)
    except (TypeError, ValueError):
        number = 0
    if not 1900 <= number <= 9999:
        raise PeriodError(_("The year must be a number such as 2021."))
    return Period.year(number)


def reachable_organizations(user) -> QuerySet | None:
    """Organisations whose figures `user` (a person or a token client) may read; None: none at all."""
    client = getattr(user, "client", None)
    if client is not None:
        return client.organization.subtree()
    scope = restrict(user, Action.VIEW)
    if scope.everything:
        return Organization.objects.all()
    if not scope.organization_ids:
        return None
    return Organization.objects.filter(pk__in=scope.organization_ids)


def default_organization(user, reachable: QuerySet):
    """The caller's own agency (a token client: its organisation), else the first it reaches."""
    client = getattr(user, "client", None)
    own = None
    if client is not None:
        own = client.organization
    else:
        membership = (
            user.memberships.filter(is_active=True)
            .exclude(role="citizen")
            .select_related("organization")
            .order_by("pk")
            .first()
        )
        own = membership.organization.agency() if membership else None
    if own is not None and reachable.filter(pk=own.pk).exists():
        return own
    return reachable.order_by("path").first()


def choose_organization(user, reachable: QuerySet, raw):
    if raw in (None, ""):
        return default_organization(user, reachable)
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return reachable.filter(pk=pk).first()


def rows(organization, period: Period) -> list[dict]:
    return [
        {
            "key": ind.key,
            "label": str(ind.label),
            "unit": str(ind.unit),
            "value": value,
            "source": ind.source,
        }
        for ind, value in indicators.evaluate(organization, period)
    ]


@extend_schema_field(
    {"type": "number", "nullable": True, "description": "int, or a percentage such as 57.41"}
)
class IndicatorValueField(serializers.Field):
    def to_representation(self, value):
        # A JSON number either way: shares (Decimal, two places) as decimals, counts as integers.
        return float(value) if isinstance(value, Decimal) else value


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = IndicatorValueField()
    source = serializers.CharField(help_text="The module that publishes the indicator")


class IndicatorOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class IndicatorPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class IndicatorReportSerializer(serializers.Serializer):
    organization = IndicatorOrganizationSerializer()
    period = IndicatorPeriodSerializer()
    indicators = IndicatorSerializer(many=True)


class IndicatorListView(APIView):
    """Every registered indicator (key, Vietnamese label, unit, value, source module)."""

    permission_classes = [HasScope]
    required_scope = "indicators:read"
    # A signed-in person passes HasScope, then needs an organisation in reach (403 below).
    access_rule = INDICATOR_VIEWER

    @extend_schema(
        summary="Chỉ số của một cơ quan, đơn vị trong một kỳ",
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Mặc định: cơ quan của người gọi"),
            OpenApiParameter("year", OpenApiTypes.INT, description="Năm, ví dụ 2021"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (thay cho year)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (thay cho year)"),
        ],
        responses={200: IndicatorReportSerializer, 404: NOT_FOUND},
    )
    def get(self, request):
        try:
            period = parse_period(request.query_params)
        except PeriodError as exc:
            return Response({"detail": str(exc)}, status=400)
        reachable = reachable_organizations(request.user)
        if reachable is None:
            raise PermissionDenied(_("You may not read the figures of any organisation."))
        organization = choose_organization(request.user, reachable, request.query_params.get("organization"))
        if organization is None:
            raise Http404
        data = {
            "organization": organization,
            "period": {"start": period.start, "end": period.end},
            "indicators": rows(organization, period),
        }
        return Response(IndicatorReportSerializer(data).data)
