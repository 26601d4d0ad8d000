from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, tax_code_validator


class EnterpriseForm(forms.ModelForm):
    # Longer than the stored 13 digits: spaces and dashes typed by the user are removed in clean.
    tax_code = forms.CharField(label=_("tax code"), max_length=20)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "tax_code",
            "vsic_code",
            "industry_name",
            "commune",
            "address",
            "representative",
            "phone",
        ]
        help_texts = {
            "tax_code": _("10 digits, or 13 digits for a branch."),
            "vsic_code": _("Vietnam Standard Industrial Classification, e.g. 1077 (coffee)."),
        }

    def clean_tax_code(self):
        value = self.cleaned_data["tax_code"].replace(" ", "").replace("-", "")
        tax_code_validator(value)
        return value


class StartSurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Survey year"), min_value=2000, max_value=2100)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Comments for the enterprise"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class MethodologyImportForm(forms.Form):
    file = forms.FileField(label=_("Definition file (YAML or Excel)"))
    base = forms.IntegerField(required=False, widget=forms.HiddenInput)


def section_form(section: dict, *, data=None, initial=None) -> forms.Form:
    """A form for one survey section. Required questions are enforced at submission, not when
    saving, so that a section can be saved half-filled and resumed later."""
    fields = {}
    for q in section.get("questions") or []:
        label = q["label"]
        kind = q["type"]
        common = {"label": label, "required": False}
        if kind == "integer":
            field = forms.IntegerField(min_value=q.get("min"), max_value=q.get("max"), **common)
        elif kind == "number":
            field = forms.FloatField(min_value=q.get("min"), max_value=q.get("max"), **common)
        elif kind == "choice":
            choices = [("", "—")] + [(str(c["value"]), c.get("label", c["value"])) for c in q["choices"]]
            field = forms.ChoiceField(choices=choices, **common)
        elif kind == "boolean":
            field = forms.TypedChoiceField(
                choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
                coerce=lambda v: v == "true",
                empty_value=None,
                **common,
            )
        else:
            field = forms.CharField(max_length=500, **common)
        if q.get("required"):
            field.help_text = _("Required before submission.")
        fields[q["code"]] = field
    form_class = type("SectionForm", (forms.Form,), dict(fields))  # the metaclass consumes its dict
    if initial:
        initial = {
            k: ("true" if v is True else "false" if v is False else v)
            for k, v in initial.items()
            if k in fields
        }
    return form_class(data=data, initial=initial)
