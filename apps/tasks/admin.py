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


@admin.register(ReportRegime)
class ReportRegimeAdmin(admin.ModelAdmin):
    list_display = ("name", "frequency", "cutoff_day", "deadline_workdays", "is_active")
    filter_horizontal = ("reporters",)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "regime", "version", "effective_from", "is_active")
    inlines = [IndicatorInline]


@admin.register(ReportPeriod)
class ReportPeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "template", "cutoff_from", "cutoff_to", "due_date")


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ("period", "organization", "status", "first_submitted_on")
    list_filter = ("status",)
    readonly_fields = ("status",)
