"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py).

Built directly: the walk runs without this app's conftest (no handling unit is configured), so
the owner and the administrator act, not the unit's officers."""

from apps.core.files.models import StoredFile
from apps.organizations.roles import Role
from apps.techassess import services
from apps.techassess.models import Enterprise, EnterpriseClaim, ImportJob, Methodology, Survey


def _methodology(code="MAU"):
    definition = {**services.bundled_definition("demo"), "code": code}
    return Methodology.objects.create(
        code=code,
        version=definition["version"],
        title="Phương pháp mẫu",
        effective_from=definition["effective_from"],
        definition=definition,
    )


def _enterprise(tree, owner=None):
    return Enterprise.objects.create(
        name="DN mẫu",
        tax_code="6000000999",
        vsic_code="1077",
        commune="Xã A",
        organization=tree["tech"],
        owner=owner,
    )


def _survey(tree, users):
    owner = users[Role.CITIZEN]
    survey = Survey.objects.create(
        enterprise=_enterprise(tree, owner), year=2025, methodology=_methodology(), organization=tree["tech"]
    )
    return survey, "submit", owner, {}


def _claim(tree, users):
    claim = EnterpriseClaim.objects.create(
        enterprise=_enterprise(tree), user=users[Role.CITIZEN], method="officer"
    )
    return claim, "confirm", users[Role.ADMINISTRATOR], {}


def _import(tree, users):
    stored = StoredFile.objects.create(
        file="files/mau.xlsx",
        original_name="mau.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=1,
        sha256="0" * 64,
        purpose=services.IMPORT_PURPOSE,
        scan_status="clean",
    )
    job = ImportJob.objects.create(file=stored, methodology=_methodology(), organization=tree["tech"])
    return job, "start", None, {}


SAMPLES = {
    "survey": _survey,
    "methodology": lambda tree, users: (_methodology(), "activate", users[Role.ADMINISTRATOR], {}),
    "enterprise_claim": _claim,
    "survey_import": _import,
}
