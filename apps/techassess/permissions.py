"""Who may do what in the technology assessment module.

- Enterprise accounts (citizen role) register their enterprise and fill its surveys; they see only
  their own enterprises, surveys and results.
- Officers are specialists and unit heads of the handling unit (Phòng Quản lý Công nghệ,
  settings.TECHASSESS_UNIT_CODE, default "skhcn-qlcn"): they see every survey of the unit, enter
  surveys on behalf of enterprises and review them (accept / return).
- Beyond that, the usual row scoping applies: leaders see and approve within their agency,
  administrators everything (and only they manage methodologies).
"""

from django.db.models import Q

from apps.organizations.roles import Role
from apps.organizations.scoping import Action, restrict

OFFICER_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD)
OWNER_FIELDS = ("created_by", "enterprise__owner")


def officer_units(user) -> set[int]:
    """Organisation ids where the user acts as an assessment officer."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cache = getattr(user, "_techassess_officer_units", None)
    if cache is not None:
        return cache
    from .services import handling_unit

    try:
        unit = handling_unit()
    except Exception:  # noqa: BLE001 — no handling unit configured: nobody is an officer
        unit = None
    ids: set[int] = set()
    if unit is not None:
        for m in user.memberships.filter(is_active=True, role__in=OFFICER_ROLES).select_related(
            "organization"
        ):
            if m.organization_id == unit.pk or unit.pk in set(
                m.organization.subtree().values_list("pk", flat=True)
            ):
                ids.add(unit.pk)
    user._techassess_officer_units = ids
    return ids


def is_officer(user) -> bool:
    return bool(officer_units(user)) or restrict(user, Action.MANAGE).everything


def is_enterprise_account(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.memberships.filter(is_active=True, role=Role.CITIZEN).exists()
    )


def can_manage_methodology(user) -> bool:
    return restrict(user, Action.MANAGE).everything


def can_view_methodologies(user) -> bool:
    return is_officer(user) or can_view_aggregates(user)


def can_view_aggregates(user) -> bool:
    if is_officer(user):
        return True
    scope = restrict(user, Action.APPROVE)
    return scope.everything or bool(scope.organization_ids)


def can_use_enterprise(user, enterprise) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        enterprise.owner_id == user.pk
        or enterprise.organization_id in officer_units(user)
        or is_officer(user)
    )


def can_work_on_survey(user, survey) -> bool:
    """Fill, save, add evidence and submit."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        survey.enterprise.owner_id == user.pk
        or survey.created_by_id == user.pk
        or survey.organization_id in officer_units(user)
        or restrict(user, Action.MANAGE).everything
    )


def can_review(user, survey) -> bool:
    if survey.organization_id in officer_units(user):
        return True
    return restrict(user, Action.APPROVE).allows(survey, org_field="organization")


def can_view_survey(user, survey) -> bool:
    return (
        can_work_on_survey(user, survey)
        or can_review(user, survey)
        or restrict(user, Action.VIEW).allows(survey, org_field="organization", owner_fields=OWNER_FIELDS)
    )


def filter_surveys(user, queryset):
    units = officer_units(user)
    scoped = restrict(user, Action.VIEW).filter(queryset, org_field="organization", owner_fields=OWNER_FIELDS)
    if units:
        return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(organization_id__in=units))
    return scoped


def filter_enterprises(user, queryset):
    units = officer_units(user)
    scoped = restrict(user, Action.VIEW).filter(
        queryset, org_field="organization", owner_fields=("owner", "created_by")
    )
    if units:
        return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(organization_id__in=units))
    return scoped


def filter_results(user, queryset):
    units = officer_units(user)
    scoped = restrict(user, Action.VIEW).filter(
        queryset, org_field="organization", owner_fields=("survey__created_by", "survey__enterprise__owner")
    )
    if units:
        return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(organization_id__in=units))
    return scoped
