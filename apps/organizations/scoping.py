"""Row scoping: the one place that decides which records a user may reach.

Every list, detail, export and API endpoint asks `restrict(user, action)` for a `Scope` and
filters with it, so that a leader sees the whole agency, a unit head the unit's subtree and a
specialist only what is theirs or assigned to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet

from apps.organizations.roles import Role

from .models import Organization


class Action(StrEnum):
    VIEW = "view"  # list, detail and export
    CHANGE = "change"
    APPROVE = "approve"
    MANAGE = "manage"  # configuration, accounts, catalogues


class Reach(StrEnum):
    ALL = "all"  # every organisation
    AGENCY = "agency"  # the agency above the membership's unit, with its subtree
    SUBTREE = "subtree"  # the membership's unit and below
    OWN = "own"  # only records the user owns or is assigned


# role -> action -> reach. A missing action means no reach for that role.
ROLE_REACH: dict[str, dict[str, Reach]] = {
    Role.ADMINISTRATOR: dict.fromkeys(Action, Reach.ALL),
    Role.LEADER: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY, Action.APPROVE: Reach.AGENCY},
    Role.UNIT_HEAD: {Action.VIEW: Reach.SUBTREE, Action.CHANGE: Reach.SUBTREE, Action.APPROVE: Reach.SUBTREE},
    Role.IT_OFFICER: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.OWN},
    Role.CLERK: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.OWN},
    Role.ONE_STOP_OFFICER: {Action.VIEW: Reach.OWN, Action.CHANGE: Reach.OWN},
    Role.SPECIALIST: {Action.VIEW: Reach.OWN, Action.CHANGE: Reach.OWN},
    Role.EDITOR: {Action.VIEW: Reach.OWN, Action.CHANGE: Reach.OWN},
    Role.CITIZEN: {Action.VIEW: Reach.OWN, Action.CHANGE: Reach.OWN},
}


@dataclass(frozen=True)
class Scope:
    user: object
    everything: bool = False
    organization_ids: frozenset[int] = field(default_factory=frozenset)
    own: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.organization_ids or self.own)

    def filter(self, queryset: QuerySet, org_field: str | None = "organization", owner_fields=()) -> QuerySet:
        """Keep the rows this scope reaches: rows of its organisations, or rows the user owns."""
        if self.everything:
            return queryset
        condition = Q(pk__in=[])
        if org_field and self.organization_ids:
            condition |= Q(**{f"{org_field}__in": self.organization_ids})
        if self.own and getattr(self.user, "is_authenticated", False):
            for owner_field in owner_fields:
                condition |= Q(**{owner_field: self.user})
        return queryset.filter(condition)

    def allows(self, obj, org_field: str | None = "organization", owner_fields=()) -> bool:
        """Object-level check for one record (detail views, downloads, transitions)."""
        if self.everything:
            return True
        if org_field and self.organization_ids:
            org_id = _follow(obj, org_field + "_id") if "__" not in org_field else _follow(obj, org_field).pk
            if org_id in self.organization_ids:
                return True
        if self.own and getattr(self.user, "is_authenticated", False):
            return any(_follow(obj, f + "_id") == self.user.pk for f in owner_fields)
        return False


def _follow(obj, dotted: str):
    for part in dotted.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _nodes_for(membership, reach: Reach) -> QuerySet | None:
    if reach == Reach.SUBTREE:
        return membership.organization.subtree()
    if reach == Reach.AGENCY:
        return membership.organization.agency().subtree()
    return None


def restrict(user, action: Action | str) -> Scope:
    """The scope of records `user` may reach for `action`."""
    action = Action(action)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user=user)
    if user.is_superuser:
        return Scope(user=user, everything=True)

    org_ids: set[int] = set()
    own = False
    memberships = user.memberships.filter(is_active=True).select_related("organization")
    for membership in memberships:
        reach = ROLE_REACH.get(membership.role, {}).get(action)
        if reach is None:
            continue
        if reach == Reach.ALL:
            return Scope(user=user, everything=True)
        own = True  # every reach includes the user's own records
        nodes = _nodes_for(membership, reach)
        if nodes is not None:
            org_ids.update(nodes.values_list("pk", flat=True))
    return Scope(user=user, organization_ids=frozenset(org_ids), own=own)


def visible_organizations(user, action: Action | str = Action.VIEW) -> QuerySet:
    """Organisations the user may see (their own units always included)."""
    scope = restrict(user, action)
    if scope.everything:
        return Organization.objects.all()
    own_units = (
        set(user.memberships.filter(is_active=True).values_list("organization_id", flat=True))
        if (getattr(user, "is_authenticated", False))
        else set()
    )
    return Organization.objects.filter(pk__in=scope.organization_ids | own_units)
