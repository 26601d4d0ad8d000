from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from apps.core.modules import Module, register

        from . import receivers  # noqa: F401
        from .access import can_view_log

        register(
            Module(
                "audit",
                _("Audit log"),
                _("Who did what and when; tamper-evident."),
                "audit:event_list",
                "history",
                can_view_log,
            )
        )
