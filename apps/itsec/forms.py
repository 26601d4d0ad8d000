from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Organization

from .models import (
    Asset,
    AssetService,
    AssetStatus,
    ImportMapping,
    IncidentCategory,
    InformationSystem,
    ItStaff,
    Purpose,
    Severity,
    TrainingCourse,
)
from .services import EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _orgs(scope):
    qs = Organization.objects.filter(is_active=True)
    return qs if scope.everything else qs.filter(pk__in=scope.organization_ids)


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["code", *EDITABLE_FIELDS]
        widgets = {
            "purchase_date": DATE,
            "antivirus_licence_expiry": DATE,
            "antivirus_last_update": DATE,
            "specification": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)
        if self.instance.pk:
            self.fields["code"].disabled = True
        from django.contrib.auth import get_user_model

        self.fields["assigned_to"].queryset = (
            get_user_model().objects.filter(status="active").order_by("full_name")
            if scope.everything
            else get_user_model()
            .objects.filter(memberships__organization__in=scope.organization_ids, status="active")
            .distinct()
            .order_by("full_name")
        )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=AssetStatus.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ServiceForm(forms.ModelForm):
    class Meta:
        model = AssetService
        fields = ["kind", "performed_on", "description", "provider", "cost"]
        widgets = {"performed_on": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class BulkEditForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Unit"), queryset=Organization.objects.none(), required=False
    )
    location = forms.CharField(label=_("Location"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Purpose.choices], required=False)
    internet_connected = forms.ChoiceField(
        label=_("Connected to the internet"),
        choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
        required=False,
    )
    antivirus_product = forms.CharField(label=_("Antivirus product"), required=False)
    antivirus_version = forms.CharField(label=_("Antivirus version"), required=False)
    antivirus_licence_expiry = forms.DateField(
        label=_("Antivirus licence expiry"), widget=DATE, required=False
    )
    antivirus_last_update = forms.DateField(label=_("Antivirus last update"), widget=DATE, required=False)
    status = forms.ChoiceField(
        label=_("New status"), choices=[("", "—"), *AssetStatus.choices], required=False
    )
    status_effective_on = forms.DateField(
        label=_("Status effective on"), widget=DATE, required=False, initial=timezone.localdate
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)

    def clean(self):
        data = super().clean()
        if data.get("status") and not data.get("status_effective_on"):
            self.add_error("status_effective_on", _("Give the date the new status takes effect."))
        return data

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        if "internet_connected" in data:
            data["internet_connected"] = data["internet_connected"] == "1"
        if "status" not in data:
            data.pop("status_effective_on", None)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (Excel .xlsx or CSV)"))
    mapping = forms.ModelChoiceField(label=_("Column layout"), queryset=ImportMapping.objects.all())
    organization = forms.ModelChoiceField(
        label=_("Unit for new assets"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Only for new assets the file brings without a unit; existing assets keep theirs."),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)


class IncidentReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(
        label=_("Noticed at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )


class TriageForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    category = forms.ChoiceField(label=_("Category"), choices=IncidentCategory.choices)
    assets = forms.ModelMultipleChoiceField(
        label=_("Affected assets"), queryset=Asset.objects.none(), required=False
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Affected systems"), queryset=InformationSystem.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, assets, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = assets
        self.fields["systems"].queryset = systems


class StepForm(forms.Form):
    action = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    lessons_learned = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 3}))


class SystemForm(forms.ModelForm):
    information = forms.MultipleChoiceField(
        label=_("Information processed"),
        choices=[
            ("public", _("Public")),
            ("private", _("Private")),
            ("personal", _("Personal data")),
            ("state_secret", _("State secret")),
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=["public"],
    )
    secret_grade = forms.ChoiceField(
        label=_("State secret grade"),
        required=False,
        choices=[("", "—"), ("mat", "Mật"), ("toi_mat", "Tối mật"), ("tuyet_mat", "Tuyệt mật")],
    )
    online_service_level = forms.IntegerField(
        label=_("Online public service level (old scale 1–4, 0 if none)"), min_value=0, max_value=4, initial=0
    )
    conditional_business = forms.BooleanField(
        label=_("Services in the conditional-business list"), required=False
    )
    infrastructure_scope = forms.ChoiceField(
        label=_("Infrastructure serves"),
        required=False,
        choices=[
            ("", "—"),
            ("agency", _("One agency")),
            ("sector", _("A whole sector")),
            ("province", _("The province")),
            ("national", _("The nation")),
        ],
    )
    serves_whole_sector = forms.BooleanField(label=_("Serves a whole sector"), required=False)

    FACTS = [
        "information",
        "secret_grade",
        "online_service_level",
        "conditional_business",
        "infrastructure_scope",
        "serves_whole_sector",
    ]

    class Meta:
        model = InformationSystem
        fields = [
            "name",
            "organization",
            "operator",
            "kind",
            "purpose",
            "users",
            "user_count",
            "data_processed",
            "hosting",
            "connections",
            "review_every_months",
            "components",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ["purpose", "data_processed", "connections"]}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)
        comps = InformationSystem.objects.all()
        if self.instance.pk:
            comps = comps.exclude(pk=self.instance.pk)
        self.fields["components"].queryset = comps
        self.fields["components"].required = False
        for name in self.FACTS:
            if name in (self.instance.facts or {}):
                self.initial[name] = self.instance.facts[name]

    def save(self, commit=True):
        self.instance.facts = {name: self.cleaned_data.get(name) for name in self.FACTS}
        self.instance.facts["secret_grade"] = self.instance.facts["secret_grade"] or ""
        self.instance.facts["infrastructure_scope"] = self.instance.facts["infrastructure_scope"] or ""
        return super().save(commit=commit)


class LevelStepForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference (letter or decision number)"), max_length=128, required=False
    )
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    level = forms.IntegerField(label=_("Approved level"), min_value=1, max_value=5, required=False)


class UnitRecordForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE, initial=timezone.localdate)
    headcount = forms.IntegerField(label=_("Staff (including workers without an account)"), min_value=0)
    has_lan = forms.BooleanField(label=_("Has a LAN"), required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)


class ItStaffForm(forms.ModelForm):
    class Meta:
        model = ItStaff
        fields = [
            "full_name",
            "user",
            "organization",
            "qualification",
            "field_of_study",
            "dedicated",
            "active_from",
            "active_to",
        ]
        widgets = {"active_from": DATE, "active_to": DATE}
        labels = {"user": _("Account (if any)")}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["organization"].queryset = _orgs(scope)
        users = get_user_model().objects.filter(status="active").order_by("full_name")
        if not scope.everything:
            users = users.filter(memberships__organization__in=scope.organization_ids).distinct()
        self.fields["user"].queryset = users


class CourseForm(forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = ["title", "organization", "topic", "starts_on", "ends_on", "provider"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)


class AttendanceForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=255, required=False)
    attendee = forms.ModelChoiceField(
        label=_("Or choose an account"), queryset=Organization.objects.none(), required=False
    )
    passed = forms.BooleanField(label=_("Completed"), required=False, initial=True)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(status="active").order_by("full_name")
        if not scope.everything:
            users = users.filter(memberships__organization__in=scope.organization_ids).distinct()
        self.fields["attendee"].queryset = users

    def clean(self):
        data = super().clean()
        if not data.get("full_name", "").strip() and not data.get("attendee"):
            raise forms.ValidationError(_("Enter the attendee's name or choose an account."))
        return data


class SkillsForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    basic_it_skills = forms.IntegerField(label=_("Staff meeting the basic IT-skills standard"), min_value=0)
    security_trained = forms.IntegerField(label=_("Staff trained in information security"), min_value=0)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(scope)
        self.fields["year"].initial = timezone.localdate().year
