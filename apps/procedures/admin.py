from django.contrib import admin

from .models import Field, Procedure, ProcedureVersion, VersionStatusChange


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["key", "created_at"]
    search_fields = ["key"]


class StatusChangeInline(admin.TabularInline):
    model = VersionStatusChange
    extra = 0
    readonly_fields = ["action", "from_state", "to_state", "actor", "at", "note"]
    can_delete = False


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Read-only: versions change only through the catalogue screens (services keep the rules)."""

    list_display = ["name", "number", "status", "effective_from", "effective_to", "legacy_level"]
    list_filter = ["status", "legacy_level", "online_level", "field"]
    search_fields = ["name", "code"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
