"""Configuration screens of the one-stop desk (Django admin, "Cấu hình hệ thống").

The agency's electronic identifier starts every new dossier code of that agency. Changes go through
`services.save_desk_settings` (format check, audit event); the demo's placeholder is flagged.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Organization, OrganizationKind

from . import services
from .models import DeskSettings


class DeskSettingsForm(forms.ModelForm):
    class Meta:
        model = DeskSettings
        fields = ["organization", "agency_identifier"]
        help_texts = {
            "agency_identifier": _(
                "The agency's electronic identifier in the national format 000.00.00.X00 "
                "(QCVN 102:2016), e.g. 000.00.31.H22. It starts every new dossier code of the agency; "
                "codes already given do not change."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = Organization.objects.filter(kind=OrganizationKind.AGENCY)

    def clean_agency_identifier(self):
        return services.clean_agency_identifier(self.cleaned_data.get("agency_identifier", ""))


@admin.register(DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    form = DeskSettingsForm
    list_display = ["organization", "agency_identifier", "value_status"]
    readonly_fields = ["value_status"]
    search_fields = ["organization__name", "agency_identifier"]
    list_select_related = ["organization"]

    @admin.display(description=_("identifier status"))
    def value_status(self, obj):
        if obj.is_placeholder:
            return format_html(
                '<strong class="text-danger" data-placeholder="1">{}</strong>',
                gettext("Placeholder: replace it with the agency's official identifier"),
            )
        return gettext("Official identifier")

    def get_readonly_fields(self, request, obj=None):
        # An agency keeps its settings row: the identifier is what changes.
        return [*self.readonly_fields, "organization"] if obj else self.readonly_fields

    def _warn_placeholders(self, request, queryset):
        for row in queryset.filter(is_placeholder=True).select_related("organization"):
            messages.warning(
                request,
                gettext(
                    "The identifier of %(agency)s (%(value)s) is a placeholder: new dossier codes start "
                    "with it until it is replaced by the agency's official electronic identifier."
                )
                % {"agency": row.organization, "value": row.agency_identifier},
            )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._warn_placeholders(request, DeskSettings.objects.all())
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._warn_placeholders(request, DeskSettings.objects.filter(pk=object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.save_desk_settings(
                actor=request.user,
                organization=form.cleaned_data.get("organization") or obj.organization,
                agency_identifier=form.cleaned_data["agency_identifier"],
            )
        except ValidationError as exc:  # checked by the form already; a race is shown, not a 500
            messages.error(request, " ".join(exc.messages))
            return
        except PermissionDenied:
            messages.error(request, gettext("Only an administrator may change the one-stop desk settings."))
            return
        obj.pk, obj.is_placeholder = saved.pk, saved.is_placeholder

    def has_delete_permission(self, request, obj=None):
        return False
