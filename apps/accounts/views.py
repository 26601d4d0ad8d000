import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from apps.audit.selectors import timeline
from apps.audit.services import record
from apps.core import access
from apps.core.events import emit_lasting
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.organizations.models import Membership
from apps.organizations.scoping import Action, restrict, visible_organizations

from . import services, twofactor
from .access import ACCOUNT_MANAGER, ACCOUNT_VIEWER, API_CLIENT_MANAGER, PERSONAL_DATA_OFFICER
from .forms import (
    AccountCreateForm,
    ApiClientForm,
    CodeForm,
    DeactivateForm,
    LoginForm,
    ReactivateForm,
    RoleAssignForm,
    SuspendForm,
)
from .models import AccountStatus, ApiClient, User
from .selectors import accounts_for


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    access_rule = access.PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record("signed_in", self.request.user, actor=self.request.user)
        return response

    def form_invalid(self, form):
        # A refused sign-in is a security event (Decree 85 level 3: log access attempts).
        username = (form.data.get("username") or "")[:150]
        note = _("Sign-in refused for “%(username)s”") % {"username": username}
        emit_lasting("sign_in_refused", None, note=note)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    access_rule = access.PUBLIC
    http_method_names = ["post", "options"]


@access.require(access.SIGNED_IN)
def verify(request):
    """Second step of sign-in: a TOTP code or a recovery code."""
    if request.user.is_verified():
        return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    if not twofactor.has_confirmed_device(request.user):
        return redirect("accounts:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_any(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            record("two_factor_passed", request.user, actor=request.user, note=twofactor.device_label(device))
            return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        emit_lasting("two_factor_failed", request.user, actor=request.user)
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "accounts/verify.html", {"form": form, "next": request.GET.get("next", "")})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@access.require(access.SIGNED_IN)
def setup(request):
    """Enrol an authenticator app; shows the recovery codes once on success.

    `?next=` (a page of this site, e.g. the document the user was about to sign) is where the
    recovery-codes page continues to.
    """
    if twofactor.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("accounts:verify")
    after = _safe_next(request, reverse("core:staff_home"))
    device = twofactor.pending_totp_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_totp(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            record("two_factor_enrolled", request.user, actor=request.user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": after})
        form.add_error("code", _("The code is wrong. Check the time on your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "optional": not request.user.requires_two_factor or settings.DEMO_MODE,
            "next": after,
        },
    )


@access.require(access.SIGNED_IN)
@require_POST
def regenerate_codes(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = twofactor.regenerate_recovery_codes(request.user)
    record("recovery_codes_regenerated", request.user, actor=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@access.require(access.SIGNED_IN)
def profile(request):
    user = request.user
    memberships = user.memberships.filter(is_active=True).select_related("organization")
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "has_device": twofactor.has_confirmed_device(user),
        },
    )


@access.require(access.SIGNED_IN)
def personal_data(request):
    """“Tải dữ liệu cá nhân của tôi”: what the platform holds about the signed-in person, as a ZIP
    (one JSON file and the files), gathered from every app's registered part. POST downloads."""
    from apps.core import personal_data as pd

    if request.method == "POST":
        archive = pd.export_archive(request.user)
        record("personal_data_exported", request.user, actor=request.user)
        response = HttpResponse(archive, content_type="application/zip")
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{day}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "accounts/personal_data.html", {"parts": pd.parts()})


PERSONAL_DATA_VERBS = ("personal_data_viewed", "personal_data_exported", "personal_data_purged")


@access.require(PERSONAL_DATA_OFFICER)
def personal_data_access(request):
    """Who accessed personal data: staff views of applicants' data, downloads by the people
    themselves, retention purges. For the person responsible (the administrator)."""
    from apps.audit.selectors import events_of

    q = request.GET.get("q", "").strip()
    events = events_of(PERSONAL_DATA_VERBS)
    if q:
        events = events.filter(Q(actor_repr__icontains=q) | Q(object_repr__icontains=q))
    return render(request, "accounts/personal_data_access.html", {"page": paginate(request, events), "q": q})


class PasswordChangeView(auth_views.PasswordChangeView):
    access_rule = access.SIGNED_IN
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        record("password_changed", self.request.user, actor=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- Account administration -------------------------------------------------------------------------


def _visible_account(request, pk) -> User:
    return get_object_or_404(accounts_for(request.user), pk=pk)


@access.require(ACCOUNT_VIEWER)
def account_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    accounts = accounts_for(request.user, search=q, status=status)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                u.username,
                u.full_name,
                u.email,
                "; ".join(f"{m.get_role_display()} — {m.organization}" for m in u.memberships.all()),
                u.get_status_display(),
                u.get_deactivation_reason_display(),
                u.date_joined,
                u.status_changed_on,
            )
            for u in accounts
        )
        return xlsx_response(
            "tai-khoan.xlsx",
            "Tài khoản",
            [
                "Tên đăng nhập",
                "Họ và tên",
                "Thư điện tử",
                "Vai trò — đơn vị",
                "Trạng thái",
                "Lý do dừng",
                "Ngày tạo",
                "Ngày đổi trạng thái",
            ],
            rows,
        )
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": paginate(request, accounts),
            "q": q,
            "status": status,
            "statuses": AccountStatus.choices,
            "can_manage": request.user.has_perm("accounts.manage_accounts"),
            "report_orgs": visible_organizations(request.user).exclude(kind="province"),
            "report_year": timezone.localdate().year,
        },
    )


def _manage_orgs(user):
    return visible_organizations(user, Action.MANAGE)


@access.require(ACCOUNT_MANAGER)
def account_create(request):
    form = AccountCreateForm(request.POST or None, organizations=_manage_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Account %(name)s was created.") % {"name": user.full_name})
            return redirect("accounts:account_detail", pk=user.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@access.require(ACCOUNT_VIEWER)
def account_detail(request, pk):
    account = _visible_account(request, pk)
    can_manage = ACCOUNT_MANAGER.allows(request.user)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "memberships": account.memberships.select_related("organization").order_by(
                "-is_active", "organization__path"
            ),
            "events": timeline(account),
            "can_manage": can_manage,
            "suspend_form": SuspendForm(),
            "deactivate_form": DeactivateForm(),
            "reactivate_form": ReactivateForm(),
            "role_form": RoleAssignForm(organizations=_manage_orgs(request.user)),
            "has_device": twofactor.has_confirmed_device(account),
        },
    )


ACTIONS = {
    "suspend": (SuspendForm, lambda actor, user, d: services.suspend_account(actor, user, **d)),
    "deactivate": (DeactivateForm, lambda actor, user, d: services.deactivate_account(actor, user, **d)),
    "reactivate": (ReactivateForm, lambda actor, user, d: services.reactivate_account(actor, user, **d)),
}


@access.require(ACCOUNT_MANAGER)
@require_POST
def account_action(request, pk, action):
    account = _visible_account(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form_class, apply = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("accounts:account_detail", pk=pk)
    try:
        apply(request.user, account, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The account's status is now “%(status)s”.") % {"status": account.get_status_display()}
        )
    return redirect("accounts:account_detail", pk=pk)


@access.require(ACCOUNT_MANAGER)
@require_POST
def role_assign(request, pk):
    account = _visible_account(request, pk)
    form = RoleAssignForm(request.POST, organizations=_manage_orgs(request.user))
    if form.is_valid():
        services.assign_role(request.user, account, **form.cleaned_data)
        messages.success(request, _("The role was assigned."))
    else:
        messages.error(request, _("Choose a unit and a role."))
    return redirect("accounts:account_detail", pk=pk)


@access.require(ACCOUNT_MANAGER)
@require_POST
def role_revoke(request, pk, membership_pk):
    account = _visible_account(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, user=account)
    services.revoke_role(request.user, membership)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:account_detail", pk=pk)


@access.require(ACCOUNT_MANAGER)
@require_POST
def reset_two_factor(request, pk):
    """For a user who lost their phone and recovery codes: they must enrol again."""
    account = _visible_account(request, pk)
    with transaction.atomic():
        twofactor.remove_devices(account)
        record("two_factor_reset", account, actor=request.user)
    messages.success(request, _("Two-factor authentication was reset; the user will enrol again."))
    return redirect("accounts:account_detail", pk=pk)


# --- API clients ----------------------------------------------------------------------------------------


@access.require(API_CLIENT_MANAGER)
def apiclient_list(request):
    scope = restrict(request.user, Action.MANAGE)
    clients = scope.filter(
        ApiClient.objects.select_related("organization", "created_by"),
        "organization",
        owner_fields=("created_by",),
    ).order_by("-created_at")
    form = ApiClientForm(request.POST or None, organizations=_manage_orgs(request.user))
    new_token = None
    if request.method == "POST" and form.is_valid():
        raw, prefix, digest = ApiClient.new_token()
        with transaction.atomic():
            client = ApiClient.objects.create(
                name=form.cleaned_data["name"],
                organization=form.cleaned_data["organization"],
                scopes=form.cleaned_data["scopes"],
                token_prefix=prefix,
                token_hash=digest,
                created_by=request.user,
            )
            record("api_client_created", client, actor=request.user, changes={"scopes": client.scopes})
        new_token = raw
        form = ApiClientForm(organizations=_manage_orgs(request.user))
    return render(
        request,
        "accounts/apiclient_list.html",
        {
            "page": paginate(request, clients),
            "form": form,
            "new_token": new_token,
        },
    )


@access.require(API_CLIENT_MANAGER)
@require_POST
def apiclient_revoke(request, pk):
    scope = restrict(request.user, Action.MANAGE)
    client = get_object_or_404(scope.filter(ApiClient.objects.all(), "organization", ("created_by",)), pk=pk)
    with transaction.atomic():
        client.is_active = False
        client.save(update_fields=["is_active"])
        record("api_client_revoked", client, actor=request.user)
    messages.success(request, _("The token of %(name)s was revoked.") % {"name": client.name})
    return redirect("accounts:apiclient_list")
