"""Who may use the plan pages (rules of apps.core.access; predicates in selectors)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access

from . import selectors

PLANS_MEMBER = access.rule(
    "plans.member", selectors.may_use, _("Planners, leaders, unit heads and administrators of an agency")
)
PLANS_CREATOR = access.rule(
    "plans.creator",
    lambda user: selectors.may_use(user) and selectors.creatable_agencies(user).exists(),
    _("Planners of an agency and administrators"),
)
