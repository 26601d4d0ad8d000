"""Who may read the audit log (a rule of apps.core.access)."""

from django.utils.translation import gettext_lazy as _

from apps.core import access


def can_view_log(user) -> bool:
    # The whole log spans every organisation, so only those whose reach is everything see it.
    everything = access.get_rule("organizations.reach_everything")
    return user.has_perm("audit.view_auditevent") and everything.allows(user)


AUDIT_LOG = access.rule("audit.log", can_view_log, _("Reads the whole audit log"))
