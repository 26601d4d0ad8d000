from django.db.models import Prefetch, Q

from apps.core.collation import vietnamese
from apps.organizations.models import Membership
from apps.organizations.scoping import Action, restrict

from .models import User


def accounts_for(user, action=Action.VIEW, *, search: str = "", status: str = ""):
    """Accounts `user` may see: those with a membership in a unit of their scope."""
    scope = restrict(user, action)
    qs = User.objects.all()
    if not scope.everything:
        qs = qs.filter(memberships__organization__in=scope.organization_ids).distinct()
    if search:
        qs = qs.filter(
            Q(full_name__icontains=search) | Q(username__icontains=search) | Q(email__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.filter(is_active=True).select_related("organization")
        )
    ).order_by(vietnamese("full_name"), "username")


def can_view_accounts(user) -> bool:
    return user.has_perm("accounts.view_user") and not restrict(user, Action.VIEW).is_empty
