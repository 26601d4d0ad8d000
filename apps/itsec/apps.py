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
        from . import workflow  # noqa: F401  the machines label their audit verbs

        register_labels(
            {
                "asset_created": _("Asset registered"),
                "asset_updated": _("Asset changed"),
                "asset_serviced": _("Asset serviced"),
                "headcount_recorded": _("Staff headcount recorded"),
                "lan_recorded": _("Unit network recorded"),
                "incident_reported": _("Incident reported"),
                "incident_step": _("Response step recorded"),
                "system_created": _("Information system registered"),
                "system_updated": _("Information system changed"),
                "system_level_proposed": _("Security level proposed"),
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
