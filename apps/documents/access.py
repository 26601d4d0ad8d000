"""Who may use the documents pages (rules of apps.core.access) and download a document file."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.core.files.views import default_access_rule
from apps.organizations.roles import Role

from .apps import can_use_documents


def _holds(*roles):
    def test(user) -> bool:
        from .services import has_role

        return has_role(user, *roles)

    return test


DOCUMENTS_STAFF = access.rule("documents.staff", can_use_documents, _("Staff of the department"))
DOCUMENTS_REGISTRAR = access.rule(
    "documents.registrar", _holds(Role.CLERK, Role.ADMINISTRATOR), _("Registers incoming documents (clerks)")
)
DOCUMENTS_DRAFTER = access.rule(
    "documents.drafter",
    _holds(Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.ADMINISTRATOR),
    _("Drafts outgoing documents"),
)


def can_download_document_file(user, stored_file) -> bool:
    from .models import Attachment, OutgoingVersion
    from .selectors import incoming_for, outgoing_for

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if default_access_rule(user, stored_file) and stored_file.uploaded_by_id == user.pk:
        return True
    attached = Attachment.objects.filter(Q(file=stored_file) | Q(signed_file=stored_file))
    incoming_ids = attached.exclude(incoming=None).values("incoming_id")
    if incoming_for(user).filter(Q(main_file=stored_file) | Q(pk__in=incoming_ids)).exists():
        return True
    outgoing_ids = OutgoingVersion.objects.filter(file=stored_file).values("document_id")
    attached_ids = attached.exclude(outgoing=None).values("outgoing_id")
    return (
        outgoing_for(user)
        .filter(Q(signed_file=stored_file) | Q(pk__in=outgoing_ids) | Q(pk__in=attached_ids))
        .exists()
    )


def can_see_preview(user, stored_file) -> bool:
    from .models import Preview

    preview = Preview.objects.filter(image=stored_file).select_related("source").first()
    return preview is not None and can_download_document_file(user, preview.source)


def only_the_signer(user, stored_file) -> bool:
    """A handwritten signature image: only the person who uploaded it."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and stored_file.uploaded_by_id is not None
        and stored_file.uploaded_by_id == user.pk
    )
