"""Who may use the dossier pages and download dossier files."""

from django.db.models import Q

from apps.accounts.roles import Role
from apps.core.files.intake import DOCX, JPEG, MB, ODT, PDF, PNG, XLSX, register_purpose

from .models import Dossier, DossierDocument
from .selectors import STAFF_DOSSIER_ROLES, reach_q, staff_roles

UPLOAD_PURPOSE = "dossier_file"
register_purpose(UPLOAD_PURPOSE, {PDF, DOCX, XLSX, ODT, PNG, JPEG}, 10 * MB)

STATS_ROLES = {Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR, Role.ONE_STOP_OFFICER}


def is_dossier_staff(user) -> bool:
    return bool(staff_roles(user) & STAFF_DOSSIER_ROLES)


def may_see_statistics(user) -> bool:
    return bool(staff_roles(user) & STATS_ROLES)


def file_rule(user, stored_file) -> bool:
    """A dossier file may be downloaded by whoever reaches a dossier it belongs to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    condition = reach_q(user, "view")
    dossier_ids = set(DossierDocument.objects.filter(file=stored_file).values_list("dossier_id", flat=True))
    dossier_ids |= set(Dossier.objects.filter(result_file=stored_file).values_list("pk", flat=True))
    if not dossier_ids:
        return False
    qs = Dossier.objects.filter(pk__in=dossier_ids)
    if condition is not None:
        qs = qs.filter(condition | Q(applicant_user=user))
    return qs.exists()
