from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"
    verbose_name = _("Web portal")

    def ready(self):
        # Two halves with their own registrations: the public site (pages, news, search) and the
        # editorial office (royalties, citizen questions).
        from . import access, office_setup, site_setup

        site_setup.ready()
        office_setup.ready()
        access.declare_wagtail_routes()
