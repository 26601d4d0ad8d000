"""How a person is named in timelines and people pickers: their position and unit (registered with
core.history and core.widgets)."""

from .models import Membership


def _first_memberships(users) -> dict:
    """{user pk: membership}: each person's oldest active membership, in one query."""
    pks = [u.pk for u in users if getattr(u, "pk", None)]
    if not pks:
        return {}
    found: dict = {}
    rows = (
        Membership.objects.filter(user_id__in=pks, is_active=True)
        .select_related("organization")
        .order_by("user_id", "pk")
    )
    for m in rows:
        found.setdefault(m.user_id, m)
    return found


def actor_details(users) -> dict:
    """{user pk: "Chuyên viên, Phòng Quản lý Công nghệ"}. A person with several memberships is shown by
    the oldest; a position title written on the membership is preferred to the role's name."""
    return {
        pk: f"{m.title or m.get_role_display()}, {m.organization.name}"
        for pk, m in _first_memberships(users).items()
    }


def person_places(users) -> dict:
    """{user pk: (unit name, position)} for the people pickers (apps.core.widgets): the same
    membership and position as actor_details."""
    return {
        pk: (m.organization.name, m.title or str(m.get_role_display()))
        for pk, m in _first_memberships(users).items()
    }
