"""Who may use this module's pages, and download rules for its files."""

from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.organizations.selectors import is_staff

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


# Who may use the pages of this module (rules of apps.core.access).
def _assigner(user) -> bool:
    from .selectors import can_assign

    return can_assign(user)


def _leader(user) -> bool:
    from .selectors import is_leader

    return is_leader(user)


TASKS_STAFF = access.rule("tasks.staff", is_staff, _("Staff of the department"))
TASKS_ASSIGNER = access.rule("tasks.assigner", _assigner, _("Assigns tasks and calls meetings"))
TASKS_LEADER = access.rule("tasks.leader", _leader, _("Leaders: reporting regimes and summaries"))
