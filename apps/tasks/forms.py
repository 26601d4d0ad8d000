from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User

from .models import Attendance, MeetingMode, Priority, Room, SourceKind


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
    people = forms.ModelMultipleChoiceField(label=_("People"), queryset=None, required=False)
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
    participants = forms.ModelMultipleChoiceField(label=_("Participants"), queryset=None, required=False)
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


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"))


class ReturnForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
