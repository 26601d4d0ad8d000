"""Who may do what in the editorial office (royalties and citizen questions).

Royalties and questions belong to the department's one portal, not to a unit's records, so the
office's own rules decide access by role (apps.organizations.roles), and unit-level scoping
(apps.organizations.scoping.restrict) decides who answers and approves a question assigned to a unit:

- editor (biên tập viên), department leader, administrator: manage royalties and the question queue;
- department leader: approves royalty payment lists;
- staff of the assigned unit (or whoever `restrict(user, "change")` reaches there): answer a question;
- whoever `restrict(user, "approve")` reaches for the unit (leader, the unit's head) approves the
  answer, but never their own answer.
"""

from apps.organizations.roles import Role
from apps.organizations.scoping import Action, restrict

OFFICE_ROLES = {Role.EDITOR, Role.LEADER, Role.ADMINISTRATOR}
APPROVER_ROLES = {Role.LEADER}


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(user.memberships.filter(is_active=True).values_list("role", flat=True))


def unit_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        user.memberships.filter(is_active=True)
        .exclude(role=Role.CITIZEN)
        .values_list("organization_id", flat=True)
    )


def is_staff_user(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(roles_of(user) - {Role.CITIZEN})


def is_office_user(user) -> bool:
    """Editors, leaders and administrators: the royalty screens and the whole question queue."""
    return getattr(user, "is_superuser", False) or bool(roles_of(user) & OFFICE_ROLES)


def can_manage_royalties(user) -> bool:
    return is_office_user(user)


def can_answer_question(user, question) -> bool:
    if question.unit_id is None:
        return False
    if question.unit_id in unit_ids_of(user):
        return True
    return restrict(user, Action.CHANGE).allows(question, org_field="unit")


def can_approve_question(user, question) -> bool:
    if question.unit_id is None:
        return False
    if question.answered_by_id is not None and question.answered_by_id == getattr(user, "pk", None):
        return False
    return restrict(user, Action.APPROVE).allows(question, org_field="unit")
