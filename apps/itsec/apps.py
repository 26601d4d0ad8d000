from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsecConfig(AppConfig):
    name = "apps.itsec"
    label = "itsec"
    verbose_name = _("Digital infrastructure and information security")
