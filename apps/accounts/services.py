"""Every change to an account: permission check → transaction → audit event."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.memo import forget
from apps.core.notifications.models import Channel
from apps.core.notifications.service import notify
from apps.organizations.models import Membership, Organization
from apps.organizations.roles import ADMIN_SITE_ROLES, Role
from apps.organizations.scoping import Action, restrict

from .models import User
from .workflow import ACCOUNT


def _require_manage(actor, target: User | None = None, organization: Organization | None = None) -> None:
    if not actor.has_perm("accounts.manage_accounts"):
        raise PermissionDenied(_("You may not manage accounts."))
    scope = restrict(actor, Action.MANAGE)
    if scope.everything:
        return
    if organization is not None and organization.pk not in scope.organization_ids:
        raise PermissionDenied(_("This unit is outside your scope."))
    if target is not None:
        units = set(target.memberships.values_list("organization_id", flat=True))
        if not units or not units <= scope.organization_ids:
            raise PermissionDenied(_("This account is outside your scope."))


def sync_groups(user: User) -> None:
    """A user's Django groups mirror the roles of their active memberships."""
    wanted = {m.role for m in user.memberships.filter(is_active=True)}
    user.groups.set(Group.objects.filter(name__in=wanted))
    is_staff = bool(wanted & {str(r) for r in ADMIN_SITE_ROLES})
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def create_account(
    actor,
    *,
    username: str,
    full_name: str,
    email: str,
    organization: Organization,
    role: str,
    password: str | None = None,
    phone: str = "",
    title: str = "",
) -> User:
    _require_manage(actor, organization=organization)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    workflow.create(user, actor, note=f"{Role(role).label} — {organization}", machine=ACCOUNT)
    Membership.objects.create(user=user, organization=organization, role=role, title=title)
    sync_groups(user)
    context = {"organization": organization, "role": Role(role).label, "actor": actor}
    notify("account_created", user=user, context=context)
    notify("account_created", user=user, channel=Channel.IN_APP, context=context)
    return user


@transaction.atomic
def suspend_account(actor, user: User, *, note: str) -> User:
    _require_manage(actor, target=user)
    return workflow.apply(user, "suspend", actor, note, machine=ACCOUNT)


@transaction.atomic
def deactivate_account(
    actor, user: User, *, reason: str, on_date: datetime.date | None = None, note: str = ""
) -> User:
    _require_manage(actor, target=user)
    workflow.apply(user, "deactivate", actor, note, machine=ACCOUNT, reason=reason, on_date=on_date)
    # Leaving staff lose their sessions' privileges: memberships end, groups follow.
    user.memberships.update(is_active=False)
    forget()  # the request's remembered memberships
    sync_groups(user)
    notify(
        "account_deactivated",
        user=user,
        context={
            "reason": user.get_deactivation_reason_display(),
            "on_date": user.status_changed_on,
            "note": note,
            "actor": actor,
        },
    )
    return user


@transaction.atomic
def reactivate_account(actor, user: User, *, note: str = "") -> User:
    _require_manage(actor, target=user)
    return workflow.apply(user, "reactivate", actor, note, machine=ACCOUNT)


@transaction.atomic
def assign_role(actor, user: User, organization: Organization, role: str, title: str = "") -> Membership:
    _require_manage(actor, organization=organization)
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role, defaults={"title": title}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    sync_groups(user)
    record("role_assigned", user, actor=actor, note=f"{Role(role).label} — {organization}")
    return membership


@transaction.atomic
def revoke_role(actor, membership: Membership) -> None:
    _require_manage(actor, organization=membership.organization)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    sync_groups(membership.user)
    record(
        "role_revoked",
        membership.user,
        actor=actor,
        note=f"{membership.get_role_display()} — {membership.organization}",
    )
