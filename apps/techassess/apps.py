from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechassessConfig(AppConfig):
    name = "apps.techassess"
    label = "techassess"
    verbose_name = _("Technology assessment")
