from django.contrib import admin

from .models import Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_typical", "is_active"]
    list_filter = ["kind", "is_typical", "is_active"]
    search_fields = ["name", "code", "short_name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__full_name", "user__username", "organization__name"]
    raw_id_fields = ["user"]

    def has_delete_permission(self, request, obj=None):
        return False
