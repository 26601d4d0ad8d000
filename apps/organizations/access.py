"""Who may use the organisation screens (rules of apps.core.access)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access

from .selectors import can_view_organizations


def can_view_indicators(user) -> bool:
    from .indicators_api import reachable_organizations

    return getattr(user, "is_authenticated", False) and reachable_organizations(user) is not None


ORGANIZATION_VIEWER = access.rule(
    "organizations.viewer", can_view_organizations, _("Sees the organisation structure")
)
INDICATOR_VIEWER = access.rule(
    "organizations.indicators", can_view_indicators, _("Reads the indicators of some organisation")
)
