from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from django.urls import register_converter

        from . import access
        from .converters import IdConverter
        from .events import register_labels
        from .modules import Module, register

        # `<id:pk>` in every app's urls.py; URLconfs are imported only after all apps are ready.
        register_converter(IdConverter, "id")
        # Django admin (config/urls.py): its own gate, active staff accounts (AdminSite.has_permission).
        admin_staff = access.rule(
            "core.django_admin", lambda user: user.is_staff, _("Configuration staff (Django admin)")
        )
        access.declare_foreign("quan-tri-he-thong/", admin_staff)

        register_labels(
            {
                "file_uploaded": _("File uploaded"),
                "upload_rejected": _("Upload refused"),
                "render_requested": _("Document requested"),
                "render_finished": _("Document produced"),
                "notification_retried": _("Message queued again"),
                "personal_data_purged": _("Personal data removed (retention period over)"),
            }
        )

        from .notifications import personal_data as notifications_data
        from .personal_data import register_part, register_retention

        register_part(notifications_data.PART)
        register_retention(notifications_data.RETENTION)

        register(
            Module(
                "settings",
                _("System configuration"),
                _("Working-day calendar, numbering formats, notification templates, outgoing messages."),
                "admin:index",
                "settings",
                lambda user: user.is_staff and user.has_perm("core.view_calendaroverride"),
            )
        )
