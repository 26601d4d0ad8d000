"""Who may do what with plans, and the scoped read queries.

- planner: an IT officer or specialist of the agency edits drafts and submits them;
- leader: a department leader of the agency approves or sends back;
- administrator: everything, everywhere;
- unit heads of the agency read.
Everyone else (clerks, one-stop officers, editors, citizens) has no access: 403. A plan of another
agency is outside the scope: 404.
"""

from django.db.models import Q

from apps.organizations.roles import Role

from .models import Plan, Project

PLANNER_ROLES = {Role.IT_OFFICER, Role.SPECIALIST}
APPROVER_ROLES = {Role.LEADER}
READER_ROLES = PLANNER_ROLES | APPROVER_ROLES | {Role.UNIT_HEAD, Role.ADMINISTRATOR}


def _memberships(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_plans_memberships", None)
    if cache is None:
        cache = [
            (m.role, m.organization.agency())
            for m in user.memberships.filter(is_active=True).select_related("organization")
        ]
        user._plans_memberships = cache
    return cache


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        r == Role.ADMINISTRATOR for r, _a in _memberships(user)
    )


def may_use(user) -> bool:
    """May open the module at all."""
    return is_admin(user) or any(r in READER_ROLES for r, _a in _memberships(user))


def agencies(user, roles=READER_ROLES) -> set[int]:
    return {a.pk for r, a in _memberships(user) if r in roles and a is not None}


def roles_for(user, plan) -> set[str]:
    """Workflow roles of `user` for this plan: "planner", "leader", "administrator"."""
    roles: set[str] = set()
    if is_admin(user):
        roles.add("administrator")
    for role, agency in _memberships(user):
        if agency is None or agency.pk != plan.organization_id:
            continue
        if role in PLANNER_ROLES:
            roles.add("planner")
        elif role in APPROVER_ROLES:
            roles.add("leader")
        elif role in READER_ROLES:
            roles.add("reader")
    return roles


def can_edit(user, plan) -> bool:
    return plan.is_editable and bool(roles_for(user, plan) & {"planner", "administrator"})


def can_track(user, plan) -> bool:
    """Record a project's progress (status, disbursement) through the year."""
    return bool(roles_for(user, plan) & {"planner", "leader", "administrator"})


def plans_for(user):
    qs = Plan.objects.select_related("organization")
    if is_admin(user):
        return qs
    return qs.filter(organization_id__in=agencies(user))


def projects_for(user):
    qs = Project.objects.select_related("plan", "plan__organization")
    if is_admin(user):
        return qs
    return qs.filter(plan__organization_id__in=agencies(user))


def creatable_agencies(user):
    from apps.organizations.models import Organization

    if is_admin(user):
        return Organization.objects.filter(kind="agency")
    return Organization.objects.filter(pk__in=agencies(user, PLANNER_ROLES))


def search_plans(qs, q="", year="", status=""):
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number_symbol__icontains=q))
    if year and str(year).isdigit():
        qs = qs.filter(year=int(year))
    if status:
        qs = qs.filter(status=status)
    return qs


def search_projects(qs, q="", year="", status=""):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(lead_unit__icontains=q) | Q(objective__icontains=q))
    if year and str(year).isdigit():
        qs = qs.filter(plan__year=int(year))
    if status:
        qs = qs.filter(status=status)
    return qs


def current_version(plans_qs, organization_id, year):
    """The latest version of an agency's plan for a year (what the dashboard compares)."""
    return plans_qs.filter(organization_id=organization_id, year=year).order_by("-version").first()
