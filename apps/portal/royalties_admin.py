"""Configuration screens (Django admin) of the editorial office: the versioned royalty frame, the base
salary history, the yearly budget line and the question topics. Registered from office_setup.ready()."""

from django.contrib import admin


class GenreInline(admin.TabularInline):
    from .models import RoyaltyGenre

    model = RoyaltyGenre
    extra = 1
    fields = ["order", "code", "name", "min_coefficient", "max_coefficient"]


class FrameAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from", "effective_to", "is_demonstration", "legal_basis"]
    list_filter = ["is_demonstration"]
    inlines = [GenreInline]


class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "amount", "legal_basis"]


class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "amount", "reserved_other", "name"]


class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


def register() -> None:
    from auditlog.registry import auditlog

    from .models import (
        BaseSalary,
        QuestionTopic,
        RoyaltyBudget,
        RoyaltyContributor,
        RoyaltyFrame,
        RoyaltyGenre,
        RoyaltyItem,
    )

    for model, model_admin in (
        (RoyaltyFrame, FrameAdmin),
        (BaseSalary, BaseSalaryAdmin),
        (RoyaltyBudget, BudgetAdmin),
        (QuestionTopic, TopicAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
    # Field-level change history of the configuration and of the records edited in forms.
    for model in (
        RoyaltyFrame,
        RoyaltyGenre,
        BaseSalary,
        RoyaltyBudget,
        QuestionTopic,
        RoyaltyContributor,
        RoyaltyItem,
    ):
        auditlog.register(model)
