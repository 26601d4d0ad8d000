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

        from apps.core import access
        from apps.core.files.views import set_default_access_rule

        from .access import can_view_indicators
        from .files import scoped_file_rule
        from .scoping import Action, restrict

        set_default_access_rule(scoped_file_rule)
        # Rules other foundation layers below may name without importing organizations.
        access.rule(
            "organizations.reach_everything",
            lambda user: restrict(user, Action.MANAGE).everything,
            _("Reaches every organisation"),
        )

        register(
            Module(
                "indicators",
                _("Published indicators"),
                _("Every figure the modules publish, for an organisation and a year, with an Excel export."),
                "organizations:indicators",
                "chart-bar",
                can_view_indicators,
            )
        )

        from apps.core.history import register_actor_details

        from .people import actor_details

        # Timelines name each person with their position and unit (core cannot import this app).
        register_actor_details(actor_details)
        from apps.core.widgets import register_person_places

        from .people import person_places

        register_person_places(person_places)  # the people pickers group by unit

        # A membership saved or deleted in this request: the remembered answers are stale.
        from django.db.models.signals import post_delete, post_save

        from apps.core.memo import forget

        from .models import Membership, Organization

        post_save.connect(lambda **kw: forget(), sender=Membership, weak=False)
        post_delete.connect(lambda **kw: forget(), sender=Membership, weak=False)

        auditlog.register(Organization, exclude_fields=["path"])
        auditlog.register(Membership)
