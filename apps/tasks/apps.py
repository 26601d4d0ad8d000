from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "apps.tasks"
    label = "tasks"
    verbose_name = _("Tasks, reports and meetings")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.audit.labels import register_labels
        from apps.core import demo
        from apps.core.files import intake
        from apps.core.files.views import register_access_rule
        from apps.core.modules import Module, register
        from apps.organizations.selectors import is_staff

        from . import access, reporting, seed
        from .models import Assignment, Meeting, ReportTemplate, Task, TemplateIndicator, UnitReport

        mb = intake.MB
        docs = {
            intake.PDF,
            intake.DOCX,
            intake.XLSX,
            intake.PPTX,
            intake.ODT,
            intake.ODS,
            intake.PNG,
            intake.JPEG,
        }
        intake.register_purpose("task_evidence", docs, 20 * mb)
        intake.register_purpose("meeting_document", docs, 20 * mb)
        register_access_rule("task_evidence", access.evidence_rule)
        register_access_rule("meeting_document", access.meeting_document_rule)

        reporting.register_foundation_sources()
        reporting.register_module_sources()

        register_labels(
            {
                "task_assigned": _("Task assigned"),
                "report_regime_created": _("Reporting regime created"),
                "report_regime_changed": _("Reporting regime changed"),
                "report_template_created": _("Report template created"),
                "report_template_changed": _("Report template changed"),
                "meeting_scheduled": _("Meeting scheduled"),
                "meeting_document_added": _("Meeting document added"),
                "report_period_opened": _("Report period opened"),
            }
        )
        register(
            Module(
                "tasks",
                _("Tasks and meetings"),
                _("Assigned tasks, periodic reports from units, meetings and the weekly schedule."),
                "tasks:my_tasks",
                "checklist",
                is_staff,
            )
        )
        demo.register_seeder("tasks", seed.seed, order=500)
        from apps.core.modules import register_counters

        from .public import home_counters, leader_overview

        register_counters("tasks", mine=home_counters, overview=leader_overview)
        for model in (Task, Assignment, Meeting, UnitReport, ReportTemplate, TemplateIndicator):
            auditlog.register(model)
