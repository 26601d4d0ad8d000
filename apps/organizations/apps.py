from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    label = "organizations"
    verbose_name = _("Organisation structure")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.core.modules import Module, register

        from .selectors import can_view_organizations

        register(
            Module(
                "organizations",
                _("Organisation structure"),
                _("Province, agencies and units; members."),
                "organizations:tree",
                "sitemap",
                can_view_organizations,
            )
        )

        from .models import Membership, Organization

        auditlog.register(Organization, exclude_fields=["path"])
        auditlog.register(Membership)
