"""Read queries on dossiers, always scoped through `reach_q()` (which builds on `restrict()`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.organizations.roles import Role
from apps.organizations.scoping import restrict

from .models import Dossier, State

OWNER_FIELDS = ("received_by", "current_handler", "applicant_user")


def desk_unit_ids(user) -> set[int]:
    """Units where the user staffs the one-stop desk: the desk's officers share its dossiers."""
    if not getattr(user, "is_authenticated", False) or not hasattr(user, "memberships"):
        return set()
    return set(
        user.memberships.filter(is_active=True, role=Role.ONE_STOP_OFFICER).values_list(
            "organization_id", flat=True
        )
    )


def staff_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not hasattr(user, "memberships"):
        return set()
    roles = set(user.memberships.filter(is_active=True).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles - {Role.CITIZEN}


# The roles that work on dossiers. The clerk, the IT officer and the editor are staff too, but
# not of the one-stop desk: whatever their general scope, they reach no dossier.
STAFF_DOSSIER_ROLES = {
    Role.ONE_STOP_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_HEAD,
    Role.LEADER,
    Role.ADMINISTRATOR,
}


def is_dossier_staff(user) -> bool:
    return bool(staff_roles(user) & STAFF_DOSSIER_ROLES)


def reach_q(user, action: str = "view") -> Q | None:
    """THE rule of which dossiers `user` reaches for `action`; None means every dossier.

    Pages, API and file downloads all ask this one function. Dossier staff (`is_dossier_staff`)
    reach by their `restrict()` scope and their desk; anyone else (citizen, clerk, IT officer,
    editor) reaches only the dossiers they applied for, never their organisation's.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Q(pk__in=[])
    if not hasattr(user, "memberships"):  # an API client is no person: it has its own rule
        return Q(pk__in=[])
    if not is_dossier_staff(user):
        return Q(applicant_user=user)
    scope = restrict(user, action)
    if scope.everything:
        return None
    condition = Q(applicant_user=user)
    if scope.organization_ids:
        condition |= Q(organization__in=scope.organization_ids) | Q(handling_unit__in=scope.organization_ids)
    if scope.own:
        for field in OWNER_FIELDS:
            condition |= Q(**{field: user})
    desk = desk_unit_ids(user)
    if desk:
        condition |= Q(organization__in=desk)
    return condition


def visible(user, action: str = "view") -> QuerySet:
    qs = Dossier.objects.exclude(state=State.DRAFT).select_related(
        "organization", "handling_unit", "current_handler", "received_by"
    )
    condition = reach_q(user, action)
    return qs if condition is None else qs.filter(condition)


def can_reach(user, dossier: Dossier, action: str = "view") -> bool:
    condition = reach_q(user, action)
    if condition is None:
        return True
    return Dossier.objects.filter(condition, pk=dossier.pk).exists()


# The roles that see a dossier only once it is assigned to them or their unit.
ASSIGNED_ROLES = {Role.SPECIALIST, Role.UNIT_HEAD}


def awaits_assignment(user, dossier: Dossier) -> bool:
    """A specialist or unit head who does not reach `dossier` (`can_reach` said no), but whose
    agency received or handles it: they may be told it is not assigned to them yet.

    That tells them no more than that the dossier exists in their own agency; a dossier of
    another agency stays a plain "not found".
    """
    if not is_dossier_staff(user):
        return False
    memberships = user.memberships.filter(is_active=True, role__in=ASSIGNED_ROLES).select_related(
        "organization"
    )
    dossier_units = {dossier.organization_id, dossier.handling_unit_id} - {None}
    for membership in memberships:
        if membership.organization.agency().subtree().filter(pk__in=dossier_units).exists():
            return True
    return False


def user_roles_for(user, dossier: Dossier) -> set[str]:
    """The roles the user may act in on this dossier (empty when the dossier is out of reach)."""
    if not is_dossier_staff(user) or not can_reach(user, dossier, "change"):
        return set()  # a non-staff applicant acts on their own dossier as the applicant only
    return set(user.memberships.filter(is_active=True).values_list("role", flat=True))


def inbox(user, box: str) -> QuerySet:
    """The work queue of one role: what waits for this user."""
    qs = visible(user, "change")
    if box == "desk":
        return qs.filter(
            state__in=[
                State.SUBMITTED,
                State.RECEIVED,
                State.RESULT_READY,
                State.RETURNED,
                State.SUPPLEMENT_REQUESTED,
            ]
        )
    if box == "unit_head":
        # to assign or handle, and the specialists' work waiting for the head's review
        return qs.filter(
            Q(state=State.IN_PROCESS, current_handler__isnull=True)
            | Q(state=State.IN_PROCESS, current_handler=user)
            | Q(state=State.HEAD_REVIEW)
        )
    if box == "specialist":
        return qs.filter(current_handler=user, state__in=[State.IN_PROCESS, State.APPROVED])
    if box == "leader":
        return qs.filter(Q(state=State.REVIEW) | Q(state=State.IN_PROCESS, current_handler__isnull=True))
    return qs.none()


BOXES = [
    ("desk", Role.ONE_STOP_OFFICER),
    ("unit_head", Role.UNIT_HEAD),
    ("specialist", Role.SPECIALIST),
    ("leader", Role.LEADER),
]


def boxes_for(user) -> list[str]:
    roles = staff_roles(user)
    if Role.ADMINISTRATOR in roles:
        return [b for b, _ in BOXES]
    return [b for b, role in BOXES if role in roles]


def statistics_q(user) -> Q | None:
    """The statistics ledger rows `user` may count: those of the organisations their scope reaches
    (receiving desk or handling unit); None means every row."""
    scope = restrict(user, "view")
    if scope.everything:
        return None
    ids = set(scope.organization_ids or ()) | desk_unit_ids(user)
    return Q(organization_id__in=ids) | Q(unit_id__in=ids)


# --------------------------------------------------------------------------- the applicant's own
def applicant_dossiers(user, q: str = "") -> QuerySet:
    """The dossiers `user` applied for with their account ("Hồ sơ của tôi"), newest first, drafts
    included (they resume them), with what each needs to know which step waits for the applicant
    (`has_rating`) in the one query. `q` matches the code, the procedure's name or its code."""
    from django.db.models import Exists, OuterRef

    from .models import Rating

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Dossier.objects.none()
    qs = Dossier.objects.filter(applicant_user=user).annotate(
        has_rating=Exists(Rating.objects.filter(dossier=OuterRef("pk")))
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(procedure_name__icontains=q) | Q(procedure_code__icontains=q))
    return qs.order_by("-submitted_at", "-created_at", "-pk")


# What the applicant is expected to do now (the first that applies), and the page section it is on.
SUPPLEMENT, PAY, COLLECT, RATE, RESUME, WAIT_RECEPTION, WAIT = (
    "supplement",
    "pay",
    "collect",
    "rate",
    "resume",
    "wait_reception",
    "wait",
)
NO_FEE_STATES = {State.DRAFT, State.REFUSED, State.WITHDRAWN, State.NOT_ELIGIBLE}
IN_HAND = {State.RECEIVED, State.IN_PROCESS, State.HEAD_REVIEW, State.REVIEW, State.APPROVED}


def applicant_task(dossier: Dossier) -> str | None:
    """The applicant's next step on `dossier` (one of the keys above), or None: nothing to do.

    Reads only the dossier's own columns and the `has_rating` annotation of `applicant_dossiers`
    (or its rating), so a list of them costs no query per row."""
    state = dossier.state
    if state == State.DRAFT:
        return RESUME
    if state == State.SUPPLEMENT_REQUESTED:
        return SUPPLEMENT
    if dossier.fee > 0 and not dossier.paid and state not in NO_FEE_STATES:
        return PAY
    if state == State.RESULT_READY:
        return COLLECT
    if state in (State.RETURNED, State.CLOSED):
        rated = getattr(dossier, "has_rating", None)
        if rated is None:
            rated = hasattr(dossier, "rating")
        return None if rated else RATE
    if state == State.SUBMITTED:
        return WAIT_RECEPTION
    if state in IN_HAND:
        return WAIT
    return None
