from django.contrib import admin

from .models import (
    Assignment,
    Meeting,
    ReportPeriod,
    ReportRegime,
    ReportTemplate,
    Room,
    Task,
    TemplateIndicator,
    UnitReport,
)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("unit", "assignee", "status", "progress", "due_date")
    readonly_fields = fields  # changes go through the services (history, audit)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "assigned_on", "due_date", "status")
    list_filter = ("status", "priority")
    search_fields = ("title", "source_reference")
    inlines = [AssignmentInline]
    readonly_fields = ("status",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "location", "capacity", "is_active")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "ends_at", "mode", "room", "status")
    list_filter = ("status", "mode")
    readonly_fields = ("status", "uid", "sequence")


class IndicatorInline(admin.TabularInline):
    model = TemplateIndicator
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.periods.exists()

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(ReportRegime)
class ReportRegimeAdmin(admin.ModelAdmin):
    list_display = ("name", "frequency", "cutoff_day", "deadline_workdays", "is_active")
    filter_horizontal = ("reporters",)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """Regimes and templates are set up on the staff screens (validated, versioned); here a template
    that a period already uses is read-only, so no opened period changes under its units."""

    list_display = ("name", "regime", "version", "effective_from", "is_active")
    inlines = [IndicatorInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.periods.exists():
            return ("regime", "name", "version", "effective_from")
        return ()


@admin.register(ReportPeriod)
class ReportPeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "template", "cutoff_from", "cutoff_to", "due_date")


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ("period", "organization", "status", "first_submitted_on")
    list_filter = ("status",)
    readonly_fields = ("status",)
