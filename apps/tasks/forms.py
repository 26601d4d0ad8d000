from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.widgets import PeopleField

from .models import Attendance, IndicatorKind, MeetingMode, Priority, ReportRegime, Room, SourceKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_result = forms.CharField(
        label=_("Expected result"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=None, required=False)
    people = PeopleField(label=_("People"), queryset=None, required=False)
    source_kind = forms.ChoiceField(
        label=_("Source"), choices=SourceKind.choices, initial=SourceKind.DOCUMENT
    )
    source_reference = forms.CharField(label=_("Source reference"), max_length=255, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["people"].queryset = (
            User.objects.filter(
                memberships__organization__in=units, memberships__is_active=True, is_active=True
            )
            .distinct()
            .order_by("full_name")
        )


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("Evidence files"), required=False)


class CompletionForm(forms.Form):
    note = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("Evidence files"), required=False)


class ExtensionForm(forms.Form):
    new_due_date = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(
        label=_("Reason or comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    mode = forms.ChoiceField(label=_("Mode"), choices=MeetingMode.choices)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.filter(is_active=True), required=False
    )
    location = forms.CharField(label=_("Other location"), max_length=255, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    chair = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    description = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    participants = PeopleField(label=_("Participants"), queryset=None, required=False)
    is_public = forms.BooleanField(label=_("Show in the weekly work schedule"), required=False, initial=True)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label=_("Signed minutes (file)"), required=False)

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_fields = []
        for p in participants:
            name = f"attendance_{p.pk}"
            self.fields[name] = forms.ChoiceField(
                label=p.user.get_full_name(), choices=Attendance.choices, initial=p.attendance
            )
            self.participant_fields.append((p, name))

    def clean(self):
        data = super().clean()
        data["attendance"] = {p.pk: data.get(name) for p, name in self.participant_fields}
        return data


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"))


class ReturnForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# ---------------------------------------------------------------- report configuration


class RegimeForm(forms.ModelForm):
    reporters = forms.ModelMultipleChoiceField(label=_("Reporting units"), queryset=None, required=False)

    class Meta:
        model = ReportRegime
        fields = [
            "code",
            "name",
            "legal_basis",
            "frequency",
            "cutoff_day",
            "deadline_workdays",
            "open_days_before_cutoff_end",
            "receiver",
            "reporters",
            "is_active",
        ]
        labels = {"receiver": _("Receiving organisation"), "is_active": _("In use")}
        help_texts = {
            "cutoff_day": _(
                "The data window runs from this day of a month to the day before it in the period's "
                "last month (Decree 09/2019 Art. 12: the 15th to the 14th)."
            ),
            "deadline_workdays": _(
                "At least one working day after the data window closes (Decree 09/2019 Art. 8(5)); "
                "the number itself is set by the regime's own text."
            ),
            "open_days_before_cutoff_end": _(
                "The period opens this many days before the data window closes."
            ),
        }

    def __init__(self, *args, receivers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers
        self.fields["reporters"].queryset = units
        if self.instance.pk:
            self.initial["reporters"] = list(self.instance.reporters.values_list("pk", flat=True))

    def save(self, commit=True):  # the service saves
        raise NotImplementedError


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=300)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())


def source_choices():
    from .reporting import indicator_sources

    return [("", "—")] + [(key, key) for key in sorted(indicator_sources())]


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64)
    label = forms.CharField(label=_("Indicator"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=IndicatorKind.choices, initial=IndicatorKind.INTEGER)
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    min_value = forms.DecimalField(label=_("Minimum"), max_digits=18, decimal_places=4, required=False)
    max_value = forms.DecimalField(label=_("Maximum"), max_digits=18, decimal_places=4, required=False)
    formula = forms.CharField(label=_("Formula (derived)"), max_length=300, required=False)
    source_key = forms.ChoiceField(label=_("Pre-fill from"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_key"].choices = source_choices()


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, can_delete=True)


class AdHocPeriodForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Report template"), queryset=None)
    label = forms.CharField(
        label=_("Request"),
        max_length=100,
        help_text=_("What is asked, e.g. an ad-hoc report on a security incident"),
    )
    units = forms.ModelMultipleChoiceField(label=_("Units that report"), queryset=None)
    cutoff_from = forms.DateField(label=_("Data from"), widget=DateInput())
    cutoff_to = forms.DateField(label=_("Data to"), widget=DateInput())
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, templates, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["units"].queryset = units


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.filter(is_active=True), required=False
    )
    location = forms.CharField(label=_("Other location"), max_length=255, required=False)


class CancelTaskForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
