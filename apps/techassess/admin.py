from django.contrib import admin

from .models import AssessmentResult, Enterprise, ImportJob, Methodology, Survey


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title", "status", "illustrative", "effective_from"]
    list_filter = ["status", "illustrative"]
    readonly_fields = ["status"]  # activation goes through the service (validation, audit)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_code", "vsic_code", "commune"]
    search_fields = ["name", "tax_code"]


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
