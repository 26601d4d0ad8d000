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

        from . import access, reporting, seed
        from .models import Assignment, Meeting, ReportTemplate, Task, TemplateIndicator, UnitReport
        from .selectors import is_staff_user

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
                "task_closed": _("Task completed"),
                "task_cancelled": _("Task cancelled"),
                "task_reopened": _("Task reopened"),
                "report_regime_created": _("Reporting regime created"),
                "report_regime_changed": _("Reporting regime changed"),
                "report_template_created": _("Report template created"),
                "report_template_changed": _("Report template changed"),
                "assignment_progress": _("Progress updated"),
                "assignment_extend": _("Deadline extended"),
                "assignment_report": _("Completion reported"),
                "assignment_accept": _("Completion accepted"),
                "assignment_return": _("Task returned"),
                "assignment_cancel": _("Assignment cancelled"),
                "assignment_escalated": _("Overdue task escalated"),
                "extension_requested": _("Extension requested"),
                "extension_refused": _("Extension refused"),
                "meeting_scheduled": _("Meeting scheduled"),
                "meeting_rescheduled": _("Meeting rescheduled"),
                "meeting_cancelled": _("Meeting cancelled"),
                "meeting_document_added": _("Meeting document added"),
                "meeting_minutes_recorded": _("Minutes recorded"),
                "report_period_opened": _("Report period opened"),
                "unit_report_submit": _("Report submitted"),
                "unit_report_accept": _("Report accepted"),
                "unit_report_return": _("Report returned"),
            }
        )
        register(
            Module(
                "tasks",
                _("Tasks and meetings"),
                _("Assigned tasks, periodic reports from units, meetings and the weekly schedule."),
                "tasks:my_tasks",
                "checklist",
                is_staff_user,
            )
        )
        demo.register_seeder("tasks", seed.seed, order=500)
        for model in (Task, Assignment, Meeting, UnitReport, ReportTemplate, TemplateIndicator):
            auditlog.register(model)
