from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "apps.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers and the one-stop desk")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.audit.labels import register_labels
        from apps.core import demo, modules
        from apps.core.files.views import register_access_rule

        from . import access, seed, workflow  # noqa: F401  (workflow registers the machine and its verbs)
        from .models import Dossier

        register_labels(
            {
                "dossier_rated": _("Service rated"),
                "dossier_payment_started": _("Online payment started"),
                "dossier_draft_file_removed": _("Draft attachment removed"),
                "dossier_desk_settings_changed": _("One-stop desk settings changed"),
                "dossier_receipt_numbered": _("Fee receipt numbered"),
                "personal_data_viewed": _("Viewed personal data"),
            }
        )
        from apps.core import personal_data as pd
        from apps.core.files.views import register_download_hook

        from . import personal_data

        pd.register_part(personal_data.PART)
        for rule in personal_data.RETENTION:
            pd.register_retention(rule)
        register_download_hook(access.UPLOAD_PURPOSE, personal_data.file_downloaded)
        auditlog.register(
            Dossier, mask_fields=personal_data.MASKED_FIELDS, mask_callable="apps.dossiers.personal_data.mask"
        )
        register_access_rule(access.UPLOAD_PURPOSE, access.file_rule)
        modules.register(
            modules.Module(
                key="dossiers",
                title=_("One-stop desk"),
                description=_("Dossiers: reception, processing, results and statistics"),
                url_name="dossiers:inbox",
                icon="folders",
                allowed=access.is_dossier_staff,
            )
        )
        # The citizen's home after signing in: their own dossiers, not the staff workspace.
        modules.register_home(
            modules.Home(key="dossiers", title=_("My dossiers"), url_name="dossiers:mine", icon="folder")
        )
        demo.register_seeder("dossiers", seed.seed, order=200)

        from django.core import checks

        from .checks import payment_gateway_secret

        checks.register(payment_gateway_secret, checks.Tags.security)

        from django.db.models.signals import post_migrate

        from .notifications import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="dossiers_notification_templates")
        post_migrate.connect(grant_role_permissions, sender=self, dispatch_uid="dossiers_role_permissions")


def grant_role_permissions(sender, **kwargs) -> None:
    """Add this app's ROLE_PERMISSIONS to the role groups once they exist (the desk settings screen).

    accounts sets the groups after the foundation apps migrate, before this app's permissions exist
    on a new database; this adds them afterwards (additive: other apps' grants are kept)."""
    from django.contrib.auth.models import Group, Permission

    from apps.organizations.roles import ROLE_PERMISSIONS

    using = kwargs.get("using", "default")
    for role, dotted_names in ROLE_PERMISSIONS.items():
        codenames = [d.split(".", 1)[1] for d in dotted_names if d.startswith(f"{sender.label}.")]
        if not codenames:
            continue
        group, _created = Group.objects.using(using).get_or_create(name=getattr(role, "value", role))
        permissions = Permission.objects.using(using).filter(
            content_type__app_label=sender.label, codename__in=codenames
        )
        group.permissions.add(*permissions)
