from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def can_use_documents(user) -> bool:
    from apps.organizations.roles import Role

    from .services import roles_of

    return bool(roles_of(user) - {Role.CITIZEN})


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .catalogue import ensure_document_types

        post_migrate.connect(ensure_document_types, sender=self)

        from apps.audit.labels import register_labels
        from apps.core.demo import register_seeder
        from apps.core.files.views import register_access_rule
        from apps.core.modules import Module, register

        from . import services, tasks  # noqa: F401 — upload purposes, Celery task
        from .access import can_download_document_file, can_see_preview, only_the_signer
        from .demo import seed_documents
        from .models import IncomingDocument, OutgoingDocument, SigningKey

        for purpose in ("incoming", "draft", "signed"):
            register_access_rule(purpose, can_download_document_file)
        register_access_rule("preview", can_see_preview)
        register_access_rule("signature_image", only_the_signer)
        register_labels(
            {
                "incoming_registered": _("Incoming document registered"),
                "incoming_submitted": _("Submitted to the leader"),
                "incoming_assigned": _("Assigned to a unit"),
                "incoming_handler_assigned": _("Handler assigned"),
                "incoming_completed": _("Handling completed"),
                "incoming_filed": _("Filed for information"),
                "outgoing_drafted": _("Draft created"),
                "outgoing_version_added": _("New draft version"),
                "outgoing_submitted": _("Submitted for review"),
                "outgoing_reviewed": _("Reviewed"),
                "outgoing_returned": _("Returned for changes"),
                "outgoing_approved": _("Approved"),
                "outgoing_numbered": _("Numbered"),
                "outgoing_signed": _("Digitally signed"),
                "outgoing_issued": _("Issued"),
                "signing_failed": _("Signing failed"),
                "incoming_reminded": _("Deadline reminder sent"),
                "outgoing_recalled": _("Recalled"),
                "outgoing_attachment_added": _("Appendix added"),
                "incoming_recalled": _("Recalled by the sender"),
                "signature_image_set": _("Handwritten signature image uploaded"),
            }
        )
        register(
            Module(
                "documents",
                _("Official documents"),
                _("Incoming and outgoing registers, routing, numbering and digital signatures."),
                "documents:incoming_list",
                "files",
                can_use_documents,
            )
        )
        register_seeder("documents", seed_documents, order=300)
        from apps.core.modules import register_counters

        from .public import home_counters, leader_overview

        register_counters("documents", mine=home_counters, overview=leader_overview)
        auditlog.register(IncomingDocument, exclude_fields=["search_text", "signature_report"])
        auditlog.register(OutgoingDocument, exclude_fields=["search_text"])
        auditlog.register(SigningKey)
