"""How a person is named in timelines: their position and unit (registered with core.history)."""

from .models import Membership


def actor_details(users) -> dict:
    """{user pk: "Chuyên viên, Phòng Quản lý Công nghệ"} from active memberships, in one query.

    A person with several memberships is shown by the first one (the oldest); a position title
    written on the membership is preferred to the role's name.
    """
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
        if m.user_id not in found:
            found[m.user_id] = f"{m.title or m.get_role_display()}, {m.organization.name}"
    return found


def person_places(users) -> dict:
    """{user pk: (unit name, position)} for the people pickers (apps.core.widgets), one query.

    The same membership as actor_details: the oldest active one; the position written on the
    membership, else the role's name.
    """
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
        if m.user_id not in found:
            found[m.user_id] = (m.organization.name, m.title or str(m.get_role_display()))
    return found
