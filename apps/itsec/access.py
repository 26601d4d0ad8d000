"""Who may use the infrastructure and security pages (rules of apps.core.access)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access

from . import selectors

ITSEC_STAFF = access.rule("itsec.staff", selectors.is_staff_member, _("Staff of the department"))
ITSEC_VIEWER = access.rule("itsec.viewer", selectors.is_viewer, _("Sees the infrastructure and security"))
ITSEC_MANAGER = access.rule(
    "itsec.manager", selectors.is_manager, _("Manages the infrastructure and security (IT officers)")
)
