"""Admin screens of this capability (imported by apps/core/admin.py).

Stored files are read-only here: they are created only by intake and downloaded only through the
permission-checked view.
"""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "purpose",
        "content_type",
        "size_display",
        "scan_status",
        "uploaded_by",
        "created_at",
        "download_link",
    ]
    list_filter = ["purpose", "scan_status", "content_type", "created_at"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by", "organization"]
    date_hierarchy = "created_at"
    fields = [
        "original_name",
        "purpose",
        "content_type",
        "size",
        "sha256",
        "scan_status",
        "scan_engine",
        "organization",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description=_("download"))
    def download_link(self, obj):
        return format_html('<a href="{}">⭳</a>', reverse("core:file_download", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
