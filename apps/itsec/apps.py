from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsecConfig(AppConfig):
    name = "apps.itsec"
    label = "itsec"
    verbose_name = _("Digital infrastructure and information security")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.audit.labels import register_labels
        from apps.core.demo import register_seeder
        from apps.core.modules import Module, register

        from . import demo, models
        from .selectors import is_staff_member

        for model in (models.Asset, models.AssetClass, models.Incident, models.InformationSystem):
            auditlog.register(model)

        register_labels(
            {
                "asset_created": _("Asset registered"),
                "asset_updated": _("Asset changed"),
                "asset_in_use": _("Asset put in use"),
                "asset_spare": _("Asset set aside as spare"),
                "asset_broken": _("Asset reported broken"),
                "asset_disposed": _("Asset disposed"),
                "asset_serviced": _("Asset serviced"),
                "assets_imported": _("Assets imported"),
                "headcount_recorded": _("Staff headcount recorded"),
                "lan_recorded": _("Unit network recorded"),
                "incident_reported": _("Incident reported"),
                "incident_triaged": _("Incident triaged"),
                "incident_responding": _("Incident response started"),
                "incident_step": _("Response step recorded"),
                "incident_closed": _("Incident closed"),
                "incident_rejected": _("Not an incident"),
                "system_created": _("Information system registered"),
                "system_updated": _("Information system changed"),
                "system_level_proposed": _("Security level proposed"),
                "system_level_submitted": _("Level proposal submitted"),
                "system_level_approved": _("Security level approved"),
                "system_level_returned": _("Level proposal returned"),
                "system_assessed": _("Self-assessment recorded"),
                "remediation_done": _("Remediation completed"),
                "it_staff_created": _("IT staff member added"),
                "it_staff_updated": _("IT staff member changed"),
                "course_created": _("Training course added"),
                "course_updated": _("Training course changed"),
                "attendance_recorded": _("Attendance recorded"),
                "attendance_removed": _("Attendee removed"),
                "skills_recorded": _("IT skills figures recorded"),
                "system_review_reminded": _("Review reminder sent"),
                "remediation_reminded": _("Remediation reminder sent"),
            }
        )
        register(
            Module(
                "itsec",
                _("IT infrastructure and security"),
                _("IT assets, coverage figures, information systems, security levels and incidents."),
                "itsec:index",
                "shield-lock",
                is_staff_member,
            )
        )
        register_seeder("itsec", demo.seed, order=400)
