"""Who may download a document file: whoever may see a document that uses it."""

from django.db.models import Q

from apps.core.files.views import default_access_rule


def can_download_document_file(user, stored_file) -> bool:
    from .models import OutgoingVersion
    from .selectors import incoming_for, outgoing_for

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if default_access_rule(user, stored_file) and stored_file.uploaded_by_id == user.pk:
        return True
    if incoming_for(user).filter(main_file=stored_file).exists():
        return True
    outgoing_ids = OutgoingVersion.objects.filter(file=stored_file).values("document_id")
    return outgoing_for(user).filter(Q(signed_file=stored_file) | Q(pk__in=outgoing_ids)).exists()
