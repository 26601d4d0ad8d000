from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechassessConfig(AppConfig):
    name = "apps.techassess"
    label = "techassess"
    verbose_name = _("Technology assessment")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.audit.labels import register_labels
        from apps.core.demo import register_seeder
        from apps.core.files.intake import CSV, DOCX, JPEG, MB, PDF, PNG, XLSX, register_purpose
        from apps.core.files.views import register_access_rule
        from apps.core.modules import Module, register

        from . import permissions
        from .demo import seed_techassess
        from .legacy import LEGACY_PURPOSE
        from .models import Enterprise, Methodology, Survey
        from .services import EVIDENCE_PURPOSE, IMPORT_PURPOSE

        register_labels(
            {
                "methodology_imported": _("Methodology imported"),
                "methodology_activated": _("Methodology activated"),
                "methodology_retired": _("Methodology retired"),
                "enterprise_registered": _("Enterprise registered"),
                "survey_started": _("Survey started"),
                "survey_saved": _("Survey section saved"),
                "survey_submitted": _("Survey submitted"),
                "survey_returned": _("Survey returned for correction"),
                "survey_accepted": _("Survey accepted"),
                "result_computed": _("Assessment result computed"),
                "evidence_added": _("Evidence file added"),
                "surveys_imported": _("Survey imported from Excel"),
                "surveys_import_started": _("Survey import started"),
                "methodology_edited": _("Methodology draft edited"),
                "methodology_new_version": _("New methodology version drafted"),
                "enterprise_claim_requested": _("Enterprise claim requested"),
                "enterprise_claim_code_wrong": _("Wrong enterprise claim code entered"),
                "enterprise_claimed": _("Enterprise linked to an account"),
                "enterprise_claim_refused": _("Enterprise claim refused"),
                "legacy_results_imported": _("Legacy results (Circular 04/2014) imported"),
                "legacy_result_imported": _("Legacy result (Circular 04/2014) imported"),
            }
        )
        for model in (Methodology, Enterprise, Survey):
            auditlog.register(model)
        register_purpose(EVIDENCE_PURPOSE, {PDF, DOCX, XLSX, PNG, JPEG}, 10 * MB)
        register_purpose(IMPORT_PURPOSE, {XLSX}, 20 * MB)
        register_access_rule(IMPORT_PURPOSE, lambda user, stored_file: permissions.is_officer(user))
        register_purpose(LEGACY_PURPOSE, {XLSX, CSV}, 20 * MB)
        register_access_rule(LEGACY_PURPOSE, lambda user, stored_file: permissions.is_officer(user))

        def evidence_rule(user, stored_file):
            from .models import SurveyEvidence

            evidence = (
                SurveyEvidence.objects.filter(file=stored_file).select_related("survey__enterprise").first()
            )
            return evidence is not None and permissions.can_view_survey(user, evidence.survey)

        register_access_rule(EVIDENCE_PURPOSE, evidence_rule)
        register(
            Module(
                "techassess",
                _("Technology assessment"),
                _("Enterprise technology level surveys, scoring and results (Circular 17/2019)."),
                "techassess:home",
                "building-factory-2",
                lambda user: user.is_authenticated,
            )
        )
        register_seeder("techassess", seed_techassess, order=600)
