from django.db.models import Count, Q

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
