"""Configuration data of the module (versioned rules, mappings, catalogues) for administrators."""

from django.contrib import admin

from . import models


@admin.register(models.AssetClass)
class AssetClassAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "asset_type", "useful_life_years", "effective_from", "unconfirmed"]
    list_filter = ["asset_type", "unconfirmed"]


@admin.register(models.CoveragePolicy)
class CoveragePolicyAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "antivirus_max_age_days", "note"]


@admin.register(models.ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ["key", "name"]


class RequirementInline(admin.TabularInline):
    model = models.Requirement
    extra = 0


@admin.register(models.RequirementSet)
class RequirementSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "effective_from"]
    inlines = [RequirementInline]


@admin.register(models.ItStaff)
class ItStaffAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organization", "qualification", "dedicated", "active_from", "active_to"]


class AttendanceInline(admin.TabularInline):
    model = models.Attendance
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "topic", "starts_on", "ends_on"]
    inlines = [AttendanceInline]


@admin.register(models.StaffSkill)
class StaffSkillAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "basic_it_skills", "security_trained"]


@admin.register(models.UnitNetwork)
class UnitNetworkAdmin(admin.ModelAdmin):
    list_display = ["organization", "effective_from", "has_lan"]


@admin.register(models.StaffHeadcount)
class StaffHeadcountAdmin(admin.ModelAdmin):
    list_display = ["organization", "effective_from", "headcount", "note"]
    readonly_fields = ["recorded_by", "recorded_at"]
