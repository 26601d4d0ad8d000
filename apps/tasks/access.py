"""Download rules for the files of this module."""

from .models import AgendaDocument, Meeting, ProgressUpdate


def evidence_rule(user, stored_file) -> bool:
    from .selectors import can_view_assignment

    update = ProgressUpdate.objects.filter(evidence=stored_file).select_related("assignment").first()
    return update is not None and can_view_assignment(user, update.assignment)


def meeting_document_rule(user, stored_file) -> bool:
    from .selectors import meetings_for

    ids = set(AgendaDocument.objects.filter(file=stored_file).values_list("meeting_id", flat=True))
    ids |= set(Meeting.objects.filter(minutes_file=stored_file).values_list("pk", flat=True))
    return bool(ids) and meetings_for(user).filter(pk__in=ids).exists()
