"""Who may use the dossier pages and download dossier files."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core import access
from apps.core.files.intake import DOCX, JPEG, MB, ODT, PDF, PNG, XLSX, register_purpose
from apps.organizations.roles import Role

from . import selectors
from .models import Dossier, DossierDocument, State
from .selectors import is_dossier_staff, staff_roles

__all__ = [
    "DOSSIERS_APPLICANT",
    "DOSSIERS_DESK",
    "DOSSIERS_RECONCILER",
    "DOSSIERS_STAFF",
    "DOSSIERS_STATISTICS",
    "UPLOAD_PURPOSE",
    "file_rule",
    "is_dossier_staff",
    "may_see_statistics",
]

UPLOAD_PURPOSE = "dossier_file"
register_purpose(UPLOAD_PURPOSE, {PDF, DOCX, XLSX, ODT, PNG, JPEG}, 10 * MB)

STATS_ROLES = {Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR, Role.ONE_STOP_OFFICER}


def may_see_statistics(user) -> bool:
    return bool(staff_roles(user) & STATS_ROLES)


DOSSIERS_STAFF = access.rule("dossiers.staff", is_dossier_staff, _("Staff who handle dossiers"))
DOSSIERS_DESK = access.rule(
    "dossiers.desk",
    lambda user: Role.ONE_STOP_OFFICER in staff_roles(user),
    _("One-stop officers (walk-in reception)"),
)
# Anyone signed in reaches the list of the dossiers they applied for (the list is empty for staff).
DOSSIERS_APPLICANT = access.rule(
    "dossiers.applicant",
    lambda user: True,
    _("Anyone signed in: the dossiers they applied for"),
)
DOSSIERS_STATISTICS = access.rule("dossiers.statistics", may_see_statistics, _("Watches the dossier figures"))
DOSSIERS_RECONCILER = access.rule(
    "dossiers.reconciliation",
    lambda user: bool(staff_roles(user) & {Role.LEADER, Role.ADMINISTRATOR}),
    _("Reconciles online payments (leaders, administrators)"),
)


def file_rule(user, stored_file) -> bool:
    """A dossier file may be downloaded by whoever reaches a dossier it belongs to, by the one rule
    of `selectors.reach_q` (the pages' and the API's): dossier staff by scope, anyone else only on
    the dossiers they applied for. A draft's files are its applicant's only.

    Registered with core's `/tep/<uuid>/` view for the purpose UPLOAD_PURPOSE (see apps.py)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    condition = selectors.reach_q(user, "view")
    qs = Dossier.objects.filter(
        Q(pk__in=DossierDocument.objects.filter(file=stored_file).values("dossier_id"))
        | Q(result_file=stored_file)
    ).filter(~Q(state=State.DRAFT) | Q(applicant_user=user))
    if condition is not None:
        qs = qs.filter(condition)
    return qs.exists()
