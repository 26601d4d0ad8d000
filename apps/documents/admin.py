from django.contrib import admin

from .models import DocumentType, IssuerCode, Register, SigningKey


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "is_dispatch", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "abbreviation")


@admin.register(IssuerCode)
class IssuerCodeAdmin(admin.ModelAdmin):
    list_display = ("organization", "code")
    autocomplete_fields = ()


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "direction", "code", "confidential", "is_active")
    list_filter = ("direction", "confidential", "is_active")
    filter_horizontal = ("doc_types",)


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ("display_name", "kind", "source", "user", "organization", "is_active")
    list_filter = ("kind", "source", "is_active")
