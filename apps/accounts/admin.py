from django.contrib import admin

from .models import ApiClient, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Read-mostly: lifecycle changes go through the account screens, which audit them."""

    list_display = ["username", "full_name", "email", "status", "date_joined"]
    list_filter = ["status", "deactivation_reason"]
    search_fields = ["username", "full_name", "email"]
    readonly_fields = [
        "password",
        "last_login",
        "date_joined",
        "status",
        "status_changed_on",
        "deactivation_reason",
        "is_active",
    ]
    exclude = ["user_permissions"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "token_prefix", "is_active", "last_used_at"]
    readonly_fields = ["token_prefix", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued on the integration clients screen, which shows them once

    def has_delete_permission(self, request, obj=None):
        return False
