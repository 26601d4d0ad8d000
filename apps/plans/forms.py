from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import indicators

from .models import PART1_SECTIONS, SECTIONS, LegalBasis, Plan, Project, Target

MILLION = Decimal(1_000_000)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanCreateForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Agency"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = agencies
        if agencies.count() == 1:
            self.fields["organization"].initial = agencies.first()


class PlanHeaderForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "number_symbol",
            "place",
            "date",
            "figures_as_of",
            "parent_agency",
            "agency_name",
            "signer_authority",
            "signer_position",
            "signer_name",
            "recipients",
            "spent_equipment",
            "spent_software",
            "spent_services",
        ]
        widgets = {
            "date": DateInput(),
            "figures_as_of": DateInput(),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }


class SectionsForm(forms.Form):
    """One textarea per section; one line per item."""

    def __init__(self, *args, texts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for code, title in SECTIONS.items():
            self.fields[code] = forms.CharField(
                label=title,
                required=False,
                initial=texts.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for key, title in PART1_SECTIONS.items():
            for where, label in (("before", _("before the figures")), ("after", _("after the figures"))):
                code = f"p1.{key}.{where}"
                self.fields[code] = forms.CharField(
                    label=f"Phần I — {title} ({label})",
                    required=False,
                    initial=texts.get(code, ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("You may write {indicator.key} to insert a figure."),
                )


def indicator_choices():
    return [("", _("— free-text target —"))] + [
        (i.key, f"{i.label} ({i.key})") for i in indicators.all_indicators()
    ]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["order", "text", "indicator_key", "target_value", "unit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_key"] = forms.ChoiceField(
            label=_("Indicator"), choices=indicator_choices(), required=False
        )


class BasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["part", "order", "text", "document_id"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


TargetFormSet = forms.inlineformset_factory(Plan, Target, form=TargetForm, extra=1, can_delete=True)
BasisFormSet = forms.inlineformset_factory(Plan, LegalBasis, form=BasisForm, extra=1, can_delete=True)


class MillionField(forms.DecimalField):
    """Amounts are entered in million đồng (the appendix's unit) and stored in đồng."""

    def __init__(self, **kwargs):
        kwargs.update(max_digits=14, decimal_places=3, min_value=0, required=False, localize=True)
        super().__init__(**kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return int((amount or 0) * MILLION)


class ProjectForm(forms.ModelForm):
    total = MillionField(label=_("Total investment (million đồng)"))
    recurrent = MillionField(label=_("Recurrent state budget (million đồng)"))
    investment = MillionField(label=_("Investment state budget (million đồng)"))
    other = MillionField(label=_("Other sources (million đồng)"))

    class Meta:
        model = Project
        fields = [
            "order",
            "name",
            "lead_unit",
            "objective",
            "timing",
            "total",
            "recurrent",
            "investment",
            "other",
            "notes",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "objective": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("total", "recurrent", "investment", "other"):
                self.initial[name] = Decimal(getattr(self.instance, name)) / MILLION

    def clean(self):
        data = super().clean()
        sources = sum(data.get(n) or 0 for n in ("recurrent", "investment", "other"))
        if sources and sources != (data.get("total") or 0):
            raise forms.ValidationError(_("The sources of funds must add up to the total investment."))
        return data


class DisbursementForm(forms.Form):
    disbursed = MillionField(label=_("Disbursed so far (million đồng)"))
    note = forms.CharField(label=_("Note"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
