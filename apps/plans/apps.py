from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"
    verbose_name = _("Digital transformation plans")

    def ready(self):
        from apps.audit.labels import register_labels
        from apps.core.demo import register_seeder
        from apps.core.files.intake import MB, XLSX, register_purpose
        from apps.core.modules import Module, register

        from . import demo, reports, workflow  # noqa: F401 — importing registers the machines and renderer
        from .importer import IMPORT_PURPOSE
        from .selectors import may_use

        register_labels(
            {
                "plan_created": _("Plan created"),
                "plan_updated": _("Plan changed"),
                "plan_sections_updated": _("Plan sections changed"),
                "plan_bases_saved": _("Legal bases changed"),
                "plan_targets_saved": _("Targets changed"),
                "plan_project_saved": _("Appendix line saved"),
                "plan_project_deleted": _("Appendix line deleted"),
                "plan_appendix_imported": _("Appendix imported from Excel"),
                "plan_commented": _("Comment added"),
                "plan_submit": _("Plan submitted"),
                "plan_approve": _("Plan approved"),
                "plan_send_back": _("Plan sent back"),
                "plan_revise": _("Plan revised"),
                "plan_project_start": _("Project started"),
                "plan_project_complete": _("Project done"),
                "plan_project_cancel": _("Project cancelled"),
                "plan_project_reopen": _("Project reopened"),
                "plan_project_disbursed": _("Disbursement recorded"),
                "plan_sent_for_signing": _("Plan sent for signing and issuing"),
            }
        )
        register_purpose(IMPORT_PURPOSE, {XLSX}, 10 * MB)
        register(
            Module(
                "plans",
                _("Digital transformation plans"),
                _(
                    "Yearly plans, targets against indicators, appendix projects and budget, the plan "
                    "document."
                ),
                "plans:index",
                "clipboard-list",
                may_use,
            )
        )
        register_seeder("plans", demo.seed, order=980)  # after the royalties (950)
