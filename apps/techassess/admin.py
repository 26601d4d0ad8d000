from django.contrib import admin

from .models import (
    AssessmentResult,
    Enterprise,
    EnterpriseClaim,
    ImportJob,
    LegacyResult,
    Methodology,
    MethodologyStatus,
    Survey,
)


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title", "status", "illustrative", "effective_from"]
    list_filter = ["status", "illustrative"]
    readonly_fields = ["status"]  # activation goes through the service (validation, audit)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != MethodologyStatus.DRAFT:
            # An active or retired version never changes: results computed with it keep their meaning.
            return [f.name for f in self.model._meta.fields]
        return self.readonly_fields


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_code", "vsic_code", "commune"]
    search_fields = ["name", "tax_code"]
    readonly_fields = ["owner"]  # linked through a verified claim only


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "status", "methodology"]
    list_filter = ["status", "year"]
    readonly_fields = ["status"]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["survey", "methodology_label", "total", "coefficient", "class_name", "computed_at"]

    def has_change_permission(self, request, obj=None):
        return False  # results are never changed; recompute creates a new one


admin.site.register(ImportJob)


@admin.register(EnterpriseClaim)
class EnterpriseClaimAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "user", "method", "status", "created_at"]
    list_filter = ["status", "method"]

    def has_change_permission(self, request, obj=None):
        return False  # decided through the service (verification, audit)


@admin.register(LegacyResult)
class LegacyResultAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "total", "tcc", "class_name"]

    def has_change_permission(self, request, obj=None):
        return False  # kept as recorded in the old reports
