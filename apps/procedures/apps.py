from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "apps.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.audit.labels import register_labels
        from apps.core.demo import register_seeder
        from apps.core.modules import Module, register

        from .access import can_view_statistics
        from .demo import seed_procedures
        from .models import Field, Procedure, ProcedureVersion
        from .services import _register_template_purpose, can_manage

        _register_template_purpose()
        register_labels(
            {
                "procedure_version_created": _("Procedure version drafted"),
                "procedure_draft_updated": _("Procedure draft changed"),
                "procedure_version_published": _("Procedure version published"),
                "procedure_version_retired": _("Procedure version retired"),
                "procedure_catalogue_imported": _("Procedure catalogue imported"),
            }
        )
        register(
            Module(
                "procedures",
                _("Procedure catalogue"),
                _("Administrative procedures: versions, fees, documents, publication."),
                "procedures:staff_list",
                "list-details",
                can_manage,
            )
        )
        register(
            Module(
                "procedures_statistics",
                _("Procedures by service level"),
                _("Procedures in force by service level and online level, per organisation and date."),
                "procedures:statistics",
                "chart-pie",
                can_view_statistics,
            )
        )
        register_seeder("procedures", seed_procedures, order=20)
        from django.db.models.signals import post_delete, post_save

        from .selectors import catalogue_changed

        for model in (Field, Procedure, ProcedureVersion):  # the cached public catalogue is stale
            uid = f"catalogue-{model.__name__}"
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-deleted")
        auditlog.register(Field)
        auditlog.register(Procedure)
        auditlog.register(ProcedureVersion, exclude_fields=["search_text"])
