"""Forms of the editorial office: the public question form and the staff forms."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Organization, OrganizationKind

from . import questions_antispam as antispam
from .models import PaymentList, QuestionTopic, RoyaltyContributor, RoyaltyGenre, RoyaltyItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AskForm(forms.Form):
    asker_name = forms.CharField(label=_("Full name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 .]{8,15}$",
        required=False,
        error_messages={"invalid": _("Enter a phone number of 8 to 15 digits.")},
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=QuestionTopic.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ip: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ip = ip
        self.fields["topic"].queryset = QuestionTopic.objects.filter(is_active=True)
        if not self.is_bound:
            self.initial["form_token"] = antispam.issue_token()

    def spam_error(self) -> str | None:
        """The anti-spam refusal, checked before anything else (nothing is saved when refused)."""
        return (
            antispam.check_honeypot(self.data)
            or antispam.check_token(self.data.get(antispam.TOKEN_FIELD, ""))
            or antispam.check_rate(self.ip)
        )

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                _("Give an e-mail address or a phone number so that we can reach you.")
            )
        return data


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(kind=OrganizationKind.UNIT).order_by(
            "name"
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- royalties

AUTHOR_ROWS = 3


class RoyaltyItemForm(forms.ModelForm):
    class Meta:
        model = RoyaltyItem
        fields = ["page", "title", "published_on", "genre", "coefficient", "note"]
        widgets = {"published_on": DATE}

    def __init__(self, *args, **kwargs):
        from wagtail.models import Page

        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = Page.objects.filter(depth__gt=1, live=True).order_by(
            "-first_published_at"
        )
        self.fields["page"].required = False
        self.fields["page"].label = _("Portal page")
        self.fields["title"].required = False
        self.fields["published_on"].required = False
        self.fields["genre"].queryset = RoyaltyGenre.objects.select_related("frame").order_by(
            "-frame__effective_from", "order"
        )
        self.fields["genre"].label_from_instance = lambda g: (
            f"{g.name} ({g.min_coefficient}–{g.max_coefficient}) — {g.frame.name}"
        )
        contributors = RoyaltyContributor.objects.order_by("full_name")
        existing = list(self.instance.shares.select_related("contributor")) if self.instance.pk else []
        for i in range(1, AUTHOR_ROWS + 1):
            self.fields[f"author_{i}"] = forms.ModelChoiceField(
                label=_("Author %(n)s") % {"n": i}, queryset=contributors, required=(i == 1)
            )
            self.fields[f"share_{i}"] = forms.DecimalField(
                label=_("Share %(n)s (%%)") % {"n": i},
                required=False,
                min_value=Decimal("0.01"),
                max_value=100,
            )
            if i <= len(existing):
                self.initial[f"author_{i}"] = existing[i - 1].contributor_id
                self.initial[f"share_{i}"] = existing[i - 1].percent
        if not existing:
            self.initial["share_1"] = Decimal(100)

    def author_rows(self):
        return [(self[f"author_{i}"], self[f"share_{i}"]) for i in range(1, AUTHOR_ROWS + 1)]

    def clean(self):
        data = super().clean()
        page = data.get("page")
        if page is not None:
            if not data.get("title"):
                data["title"] = page.title
            if not data.get("published_on") and page.first_published_at:
                data["published_on"] = timezone.localtime(page.first_published_at).date()
            self.instance.url = page.url or ""
        if not data.get("title"):
            self.add_error("title", _("Give the title or choose the portal page."))
        if not data.get("published_on"):
            self.add_error("published_on", _("Give the publication date or choose a published page."))
        authors = []
        for i in range(1, AUTHOR_ROWS + 1):
            contributor, percent = data.get(f"author_{i}"), data.get(f"share_{i}")
            if contributor is None:
                continue
            authors.append((contributor, percent if percent is not None else Decimal(0)))
        self.authors = authors
        return data


class ContributorForm(forms.ModelForm):
    class Meta:
        model = RoyaltyContributor
        fields = [
            "full_name",
            "user",
            "id_number",
            "tax_code",
            "bank_account",
            "bank_name",
            "email",
            "phone",
            "address",
        ]

    def __init__(self, *args, **kwargs):
        from apps.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("full_name")
        self.fields["user"].required = False
        self.fields["user"].label = _("Staff account (if a staff member)")


class PaymentListForm(forms.ModelForm):
    class Meta:
        model = PaymentList
        fields = ["title", "period_start", "period_end", "note"]
        widgets = {"period_start": DATE, "period_end": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)
