"""Admin screens of this capability (imported by apps/core/admin.py).

Administrators edit how registers number (format, restart period) and can see the current values;
the values themselves only change through `counters.service.next_number()`.
"""

from django.contrib import admin

from .models import Counter, CounterDefinition


@admin.register(CounterDefinition)
class CounterDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "format", "reset"]
    list_filter = ["reset"]
    search_fields = ["key", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["key", "organization", "period", "value"]
    list_filter = ["key", "period"]
    search_fields = ["key", "organization__name", "period"]
    list_select_related = ["organization"]
    ordering = ["key", "organization", "-period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
