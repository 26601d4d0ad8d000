"""Who may use the procedure screens (rules of apps.core.access)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.organizations.roles import Role
from apps.organizations.selectors import has_role

from .services import can_manage

STATISTICS_ROLES = (Role.ADMINISTRATOR, Role.LEADER, Role.UNIT_HEAD)


def can_view_statistics(user) -> bool:
    """Administrators, leaders and unit heads watch the catalogue figures."""
    return has_role(user, *STATISTICS_ROLES)


CATALOGUE_MANAGER = access.rule(
    "procedures.manager", can_manage, _("Maintains the procedure catalogue (administrators)")
)
STATISTICS_VIEWER = access.rule(
    "procedures.statistics", can_view_statistics, _("Watches the catalogue figures")
)
