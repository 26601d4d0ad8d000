"""API (read only): the plans a signed-in planner, leader or administrator may see, each with its
Part I figures (frozen once approved), targets with their live actuals and the appendix."""

from __future__ import annotations

from rest_framework import generics, permissions, serializers

from . import figures
from .access import PLANS_MEMBER
from .models import Plan, Project
from .selectors import may_use, plans_for


class MayUsePlans(permissions.BasePermission):
    def has_permission(self, request, view):
        return may_use(request.user)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "order",
            "name",
            "lead_unit",
            "objective",
            "timing",
            "total",
            "recurrent",
            "investment",
            "other",
            "notes",
            "status",
            "disbursed",
        ]


class PlanSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "organization",
            "year",
            "version",
            "title",
            "number_symbol",
            "date",
            "status",
            "frozen_at",
            "updated_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    projects = ProjectSerializer(many=True, read_only=True)
    part1 = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["projects", "part1", "targets"]

    def get_part1(self, plan) -> dict:
        return figures.for_plan(plan)

    def get_targets(self, plan) -> list[dict]:
        actuals = figures.target_actuals(plan)
        return [
            {
                "text": t.text,
                "indicator": t.indicator_key,
                "target": t.target_value,
                "unit": t.unit,
                "actual": actuals.get(t.pk),
            }
            for t in plan.targets.all()
        ]


class PlanList(generics.ListAPIView):
    serializer_class = PlanSerializer
    permission_classes = [permissions.IsAuthenticated, MayUsePlans]
    access_rule = PLANS_MEMBER

    def get_queryset(self):
        return plans_for(self.request.user).order_by("-year", "-version")


class PlanDetail(generics.RetrieveAPIView):
    serializer_class = PlanDetailSerializer
    permission_classes = [permissions.IsAuthenticated, MayUsePlans]
    access_rule = PLANS_MEMBER

    def get_queryset(self):
        return plans_for(self.request.user).prefetch_related("projects", "targets")
