from django.db.models import Count, Q

from apps.core.memo import remember

from .roles import Role
from .scoping import Action, visible_organizations


def organization_tree_for(user):
    """Visible organisations, path-ordered, with their active member counts (one query)."""
    return (
        visible_organizations(user, Action.VIEW)
        .filter(is_active=True)
        .annotate(
            member_count=Count("memberships__user", filter=Q(memberships__is_active=True), distinct=True)
        )
        .order_by("path")
    )


def can_view_organizations(user) -> bool:
    return user.has_perm("organizations.view_organization")


# --------------------------------------------------------------------------- roles and membership
# The one answer to "which roles does this user hold" (every app asks it; none computes it itself).
def _active_memberships(user) -> list[tuple[str, int]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    return remember(
        ("memberships", user.pk),
        lambda: list(user.memberships.filter(is_active=True).values_list("role", "organization_id")),
    )


def roles_of(user, organization=None) -> set[str]:
    """The roles the user holds, in `organization` only when given; a superuser is an administrator."""
    org_id = getattr(organization, "pk", organization)
    roles = {role for role, unit in _active_memberships(user) if org_id is None or unit == org_id}
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        roles.add(Role.ADMINISTRATOR)
    return roles


def has_role(user, *roles) -> bool:
    return bool(roles_of(user) & set(roles))


def unit_ids_of(user, *, staff_only: bool = True) -> set[int]:
    """The units the user belongs to (as staff by default: a citizen's membership is no unit)."""
    return {unit for role, unit in _active_memberships(user) if not staff_only or role != Role.CITIZEN}


def is_staff(user) -> bool:
    """Signed in with a staff role (anything but citizen), or a superuser."""
    return bool(roles_of(user) - {Role.CITIZEN})
