from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.widgets import PeopleField
from apps.organizations.models import Organization
from apps.organizations.roles import Role

from .models import Confidentiality, DocumentType, Urgency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _users(role_set, organizations=None):
    qs = get_user_model().objects.filter(
        is_active=True, memberships__role__in=role_set, memberships__is_active=True
    )
    if organizations is not None:
        qs = qs.filter(memberships__organization__in=organizations)
    return qs.distinct().order_by("full_name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (attachments); cleans to a list, empty when none is chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class IncomingForm(forms.Form):
    doc_type = forms.ModelChoiceField(DocumentType.objects.filter(is_active=True), label=_("Type"))
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.NORMAL
    )
    pages = forms.IntegerField(label=pgettext_lazy("page count", "Pages"), min_value=1, initial=1)
    file = forms.FileField(label=_("Scan or electronic file (PDF/DOCX)"), required=False)
    attachments = MultipleFileField(label=_("Attachments, appendices (PDF/DOCX)"), required=False)
    allow_duplicate = forms.BooleanField(
        label=_("Register even though a document with the same number exists"), required=False
    )


class SubmitToLeaderForm(forms.Form):
    leader = UserChoiceField(queryset=None, label=_("Leader"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _users(
            {Role.LEADER}, organization.subtree() if organization else None
        )


class AssignUnitForm(forms.Form):
    lead_unit = forms.ModelChoiceField(queryset=None, label=_("Lead unit"))
    cooperating_units = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Cooperating units"), required=False
    )
    instruction = forms.CharField(
        label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Organization.objects.filter(path__startswith=organization.path).exclude(pk=organization.pk)
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units


class AssignHandlerForm(forms.Form):
    handler = UserChoiceField(queryset=None, label=_("Handler"))
    instruction = forms.CharField(label=_("Instruction"), required=False, max_length=1000)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _users(
            {Role.SPECIALIST, Role.UNIT_HEAD}, unit.subtree() if unit else None
        )


class CompleteForm(forms.Form):
    result_note = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OutgoingForm(forms.Form):
    drafting_unit = forms.ModelChoiceField(queryset=None, label=_("Drafting unit"))
    doc_type = forms.ModelChoiceField(DocumentType.objects.filter(is_active=True), label=_("Type"))
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.NORMAL
    )
    file = forms.FileField(label=_("Draft file (DOCX/PDF)"), required=False)
    attachments = MultipleFileField(
        label=_("Appendices as separate files (PDF/DOCX)"),
        required=False,
        help_text=_("At issue, the organisation signs each PDF appendix at the top right of page 1."),
    )
    body = forms.CharField(
        label=_("Or compose: body text (one paragraph per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=120)
    signer_title = forms.CharField(label=_("Signer's position"), required=False, max_length=120)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drafting_unit"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("body") or "").strip():
            raise forms.ValidationError(_("Upload a draft or write the body text."))
        return data


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version (DOCX/PDF)"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Appendix as a separate file (PDF/DOCX)"))


class SubmitReviewForm(forms.Form):
    # The reviewers review one after another in the order the drafter picks them (the unit head,
    # then the leader): the cleaned value is that list, not the names' alphabetical order.
    reviewers = PeopleField(
        queryset=None,
        ordered=True,
        label=_("Reviewers (in order)"),
        help_text=_("They review one after another, in the order you pick them."),
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = _users({Role.UNIT_HEAD, Role.LEADER}, organization.subtree())


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NumberForm(forms.Form):
    manual_number = forms.IntegerField(
        label=_("Number given on paper (leave empty for the next number)"), required=False, min_value=1
    )


class SignForm(forms.Form):
    code = forms.CharField(
        label=_("Two-factor code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    key_password = forms.CharField(label=_("Signing key password"), widget=forms.PasswordInput)


class IssueForm(forms.Form):
    internal = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Organisations on the platform"), required=False
    )
    external = forms.CharField(
        label=_("Other recipients (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    code = forms.CharField(
        label=_("Two-factor code (for the organisation signature)"), max_length=20, required=False
    )
    seal_password = forms.CharField(
        label=_("Organisation signature key password"), widget=forms.PasswordInput, required=False
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.filter(kind="agency", is_active=True)
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["internal"].queryset = qs


class RecallForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the recall"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class SignatureImageForm(forms.Form):
    image = forms.FileField(
        label=_("Picture of your handwritten signature (PNG or JPEG)"),
        help_text=_(
            "Sign in dark ink on white paper and scan or photograph it; the platform keeps the ink only."
        ),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"))


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=100)
