from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.organizations.models import Organization
from apps.organizations.roles import Role

from .models import ApiClient, DeactivationReason


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Note that too many failed attempts lock the account."
        ),
        "inactive": _("This account is suspended or deactivated. Contact the administrator."),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("two-factor", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


class AccountCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-z0-9._-]{3,60}$",
        max_length=60,
        help_text=_("Lowercase letters, digits, dot, dash or underscore."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Position"), max_length=128, required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class SuspendForm(forms.Form):
    note = forms.CharField(label=_("Reason for suspension"), max_length=255)


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeactivationReason.choices)
    on_date = forms.DateField(label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ReactivateForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class RoleAssignForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Position"), max_length=128, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Client name"), max_length=128)
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiClient.SCOPES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
