"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

from django.utils import timezone

from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role


def _dossier(tree, users):
    dossier = Dossier.objects.create(
        code="t-skhcn-mau-0001",
        state=State.SUBMITTED,
        organization=tree["office"],
        procedure_version_id=1,
        procedure_id=1,
        procedure_name="Cấp giấy phép tiến hành công việc bức xạ",
        procedure_snapshot={"processing_days": "10", "competent_unit_id": tree["tech"].pk},
        channel="walk_in",
        applicant_name="Nguyễn Văn An",
        applicant_phone="0905123456",
        submitted_at=timezone.now(),
    )
    return dossier, "receive", users[Role.ONE_STOP_OFFICER], {}


SAMPLES = {"dossier": _dossier}
