"""A procedure version moves draft → published → retired; a published version is never edited again.

`actor=None` is the system (demo seeder, import command on the server, the nightly retirement).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.workflow import SYSTEM
from apps.core.workflow import Transition as T
from apps.organizations.roles import Role

from .models import ProcedureVersion, VersionStatusChange
from .models import VersionStatus as S

MANAGERS = {Role.ADMINISTRATOR, SYSTEM}


def _published(version: ProcedureVersion, step) -> None:
    version.effective_from = step.params.get("effective_from") or timezone.localdate(step.at)
    version.effective_to = None
    version.published_at = step.at


def _retired(version: ProcedureVersion, step) -> None:
    """No longer in force from today (or from the day the scheduled job runs for, `on=`)."""
    yesterday = (step.params.get("on") or timezone.localdate(step.at)) - datetime.timedelta(days=1)
    if version.effective_to is None or version.effective_to > yesterday:
        version.effective_to = max(yesterday, version.effective_from - datetime.timedelta(days=1))
    version.retired_at = step.at


VERSION = workflow.Machine(
    "procedure_version",
    ProcedureVersion,
    [
        T("publish", _("Publish"), {S.DRAFT}, S.PUBLISHED, MANAGERS, "procedure_version_published"),
        T("retire", _("Retire"), {S.PUBLISHED}, S.RETIRED, MANAGERS, "procedure_version_retired"),
    ],
    initial={S.DRAFT},
    terminal={S.RETIRED},
    history=VersionStatusChange,
    history_fk="version",
    roles_of=lambda actor, _version: actor.roles,
    effects={"publish": _published, "retire": _retired},
)
