"""Who may do what in this module, and the scoped read queries.

Matrix (enforced by the views through these functions):
- IT officer and administrator manage (assets, imports, systems, incident triage), within their
  view scope (IT officer: the agency; administrator: everything).
- Leaders and unit heads view their agency / unit subtree (read only).
- Other staff see the assets assigned to them and the incidents they reported or handle, and may
  report incidents. Citizens have no access to this module.
"""

from django.db.models import Q

from apps.core.converters import int_param
from apps.organizations.roles import Role
from apps.organizations.scoping import Scope, restrict
from apps.organizations.selectors import roles_of

from .models import Asset, Incident, InformationSystem, ItStaff, TrainingCourse

MANAGER_ROLES = {Role.IT_OFFICER, Role.ADMINISTRATOR}
VIEWER_ROLES = MANAGER_ROLES | {Role.LEADER, Role.UNIT_HEAD}


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or (roles_of(user) - {Role.CITIZEN}))


def is_manager(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or (roles_of(user) & MANAGER_ROLES))


def is_viewer(user) -> bool:
    """May see agency-wide pages (dashboards, registers, statistics)."""
    return bool(getattr(user, "is_superuser", False) or (roles_of(user) & VIEWER_ROLES))


def view_scope(user) -> Scope:
    """Viewers reach their organisations (the foundation's reach for "view"); other staff only
    their own rows (e.g. a clerk's agency-wide document reach does not extend to IT assets)."""
    if not is_staff_member(user):
        return Scope(user=user)
    if not is_viewer(user):
        return Scope(user=user, own=True)
    return restrict(user, "view")


def manage_scope(user) -> Scope:
    if not is_manager(user):
        return Scope(user=user)
    scope = restrict(user, "view")
    # Only the organisation reach counts for managing; "own" rows do not make one a manager.
    return Scope(user=user, everything=scope.everything, organization_ids=scope.organization_ids)


ASSET_OWNERS = ("assigned_to",)
INCIDENT_OWNERS = ("reported_by", "assigned_to")


def assets_for(user):
    qs = Asset.objects.select_related("organization", "assigned_to", "asset_class")
    return view_scope(user).filter(qs, owner_fields=ASSET_OWNERS)


def incidents_for(user):
    qs = Incident.objects.select_related("organization", "reported_by", "assigned_to")
    return view_scope(user).filter(qs, owner_fields=INCIDENT_OWNERS)


def systems_for(user):
    qs = InformationSystem.objects.select_related("organization")
    if not is_viewer(user):
        return qs.none()
    return view_scope(user).filter(qs, owner_fields=())


def it_staff_for(user):
    qs = ItStaff.objects.select_related("organization", "user")
    if not is_viewer(user):
        return qs.none()
    return view_scope(user).filter(qs, owner_fields=())


def courses_for(user):
    qs = TrainingCourse.objects.select_related("organization")
    if not is_viewer(user):
        return qs.none()
    return view_scope(user).filter(qs, owner_fields=())


def search_assets(qs, *, q="", asset_type="", status="", purpose="", organization=""):
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(model__icontains=q)
            | Q(serial__icontains=q)
            | Q(assigned_name__icontains=q)
            | Q(assigned_to__full_name__icontains=q)
            | Q(location__icontains=q)
        )
    if asset_type:
        qs = qs.filter(asset_type=asset_type)
    if status:
        qs = qs.filter(status=status)
    if purpose:
        qs = qs.filter(purpose=purpose)
    # From the query string: a value that is no valid id is ignored, like the other filters (not a 500).
    if (org_id := int_param(organization)) is not None:
        qs = qs.filter(organization_id=org_id)
    return qs


SYSTEM_SEARCH_FIELDS = (
    "name",
    "operator",
    "hosting",
    "users",
    "approval_reference",
    "submission_reference",
    "organization__name",
    "organization__short_name",
)


def search_systems(qs, q: str = ""):
    """Every word of `q`, insensitive to case and Vietnamese diacritics ("he thong thu tuc" finds
    "Hệ thống thủ tục"), over the name, operator, hosting, users, references and owner. Systems
    are few: their texts are read in one query and matched here, the same on every database."""
    from apps.core.text import normalize

    words = normalize(q).split()
    if not words:
        return qs
    ids = [
        pk
        for pk, *texts in qs.values_list("pk", *SYSTEM_SEARCH_FIELDS)
        if all(w in normalize(" ".join(t for t in texts if t)) for w in words)
    ]
    return qs.filter(pk__in=ids)
