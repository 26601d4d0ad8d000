"""Who may use the technology assessment pages (rules of apps.core.access; predicates in permissions)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access

from . import permissions, selectors

TECHASSESS_USER = access.rule(
    "techassess.user", selectors.can_use_module, _("Enterprises, assessment officers and their leaders")
)
TECHASSESS_ENTERPRISE = access.rule(
    "techassess.enterprise", permissions.is_enterprise_account, _("Enterprise accounts")
)
TECHASSESS_REGISTRAR = access.rule(
    "techassess.registrar",
    lambda user: permissions.is_enterprise_account(user) or permissions.is_officer(user),
    _("Enterprise accounts and assessment officers"),
)
TECHASSESS_OFFICER = access.rule("techassess.officer", permissions.is_officer, _("Assessment officers"))
TECHASSESS_AGGREGATES = access.rule(
    "techassess.aggregates", permissions.can_view_aggregates, _("Reads the assessment figures")
)
METHODOLOGY_VIEWER = access.rule(
    "techassess.methodology_viewer", permissions.can_view_methodologies, _("Reads the methodologies")
)
METHODOLOGY_MANAGER = access.rule(
    "techassess.methodology_manager", permissions.can_manage_methodology, _("Manages the methodologies")
)
