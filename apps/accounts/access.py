"""Who may use the account screens (rules of apps.core.access)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.organizations.scoping import Action, restrict

from .selectors import can_view_accounts


def can_manage_accounts(user) -> bool:
    return user.has_perm("accounts.manage_accounts") and not restrict(user, Action.MANAGE).is_empty


ACCOUNT_VIEWER = access.rule("accounts.viewer", can_view_accounts, _("Sees the accounts of their units"))
ACCOUNT_MANAGER = access.rule("accounts.manager", can_manage_accounts, _("Manages accounts and roles"))
API_CLIENT_MANAGER = access.rule(
    "accounts.api_clients",
    lambda user: user.has_perm("accounts.manage_apiclients"),
    _("Manages integration clients and their tokens"),
)


def is_personal_data_officer(user) -> bool:
    """The person responsible for personal data protection. The platform has no data protection
    officer role yet, so it is the administrator (issue #16)."""
    from apps.organizations.roles import Role

    return user.is_superuser or Role.ADMINISTRATOR in user.roles


PERSONAL_DATA_OFFICER = access.rule(
    "accounts.personal_data_officer",
    is_personal_data_officer,
    _("Responsible for personal data: sees who accessed it (administrators)"),
)
