import json

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Organization

from .models import CHANNELS, Field, LegacyLevel, OnlineLevel

CHANNEL_CHOICES = [("online", _("Online")), ("walk_in", _("At the one-stop desk")), ("post", _("By post"))]
assert [c for c, _label in CHANNEL_CHOICES] == list(CHANNELS)


class JSONListField(forms.CharField):
    """A JSON document typed in a textarea (steps, documents, form fields, fee rule)."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "font-monospace"})

    def __init__(self, *args, kind=list, **kwargs):
        self.kind = kind
        super().__init__(*args, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return self.kind()
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(e)s") % {"e": exc.msg}) from exc
        if not isinstance(parsed, self.kind):
            raise forms.ValidationError(
                _("Enter a JSON list.") if self.kind is list else _("Enter a JSON object.")
            )
        return parsed


class VersionForm(forms.Form):
    code = forms.CharField(label=_("National code"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=500)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    competent_unit = forms.ModelChoiceField(
        label=_("Competent unit"), queryset=Organization.objects.filter(is_active=True), required=False
    )
    legal_bases = forms.CharField(
        label=_("Legal bases"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    processing_days = forms.DecimalField(
        label=_("Processing time (working days)"), max_digits=6, decimal_places=1, min_value=0, required=False
    )
    result_type = forms.CharField(label=_("Result type"), max_length=255, required=False)
    legacy_level = forms.TypedChoiceField(
        label=_("Service level (Decree 43/2011)"),
        choices=[("", "—"), *LegacyLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    online_level = forms.ChoiceField(label=_("Online level (Decree 42/2022)"), choices=OnlineLevel.choices)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=CHANNEL_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    steps = JSONListField(label=_("Steps (JSON)"))
    documents = JSONListField(label=_("Document components (JSON)"))
    form_fields = JSONListField(label=_("Applicant form fields (JSON)"))
    fee = JSONListField(label=_("Fee rule (JSON)"), kind=dict)
    source_url = forms.URLField(label=_("Source"), max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    @classmethod
    def initial_from(cls, version):
        from .services import VERSION_FIELDS

        return {name: getattr(version, name) for name in VERSION_FIELDS}


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RetireForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (CSV or Excel)"))
    publish = forms.BooleanField(label=_("Publish the imported versions from today"), required=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded
