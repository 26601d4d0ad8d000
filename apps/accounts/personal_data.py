"""The account's share of a person's data (issue #16), registered with `apps.core.personal_data`:
the account's own fields and roles, and what the person did on the platform (their audit events).

Accounts are never deleted (models.User), so no retention rule is registered here."""

from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEvent
from apps.core.personal_data import Part, PartData


def collect(user) -> PartData:
    memberships = user.memberships.select_related("organization").order_by("pk")
    account = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "status": user.get_status_display(),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": [
            {"role": m.get_role_display(), "organization": str(m.organization), "active": m.is_active}
            for m in memberships
        ],
    }
    actions = [
        {"at": e.at, "event": e.verb_label, "object": e.object_repr, "note": e.note, "ip": e.ip_address}
        for e in AuditEvent.objects.filter(actor=user).order_by("id").iterator()
    ]
    return PartData(records=[{"account": account, "actions": actions}])


PART = Part("account", _("Account"), collect, order=10)
