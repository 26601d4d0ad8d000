"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py).

The IT officer of the test tree sits in "tech"; its agency is its management scope."""

import datetime

from django.utils import timezone

from apps.itsec.models import ImportJob, ImportMapping
from apps.itsec.tests import factories
from apps.organizations.roles import Role


def _asset(tree, users):
    asset = factories.asset(tree["tech"], code="MT-MAU")
    return asset, "break", users[Role.IT_OFFICER], {"effective_on": datetime.date(2024, 1, 1)}


def _incident(tree, users):
    incident = factories.incident(tree["tech"], users[Role.SPECIALIST], code="SC-MAU")
    return incident, "triage", users[Role.IT_OFFICER], {"severity": "high", "category": "malware"}


def _level(tree, users):
    system = factories.system(tree["agency"], name="Hệ thống mẫu", proposed_level=2)
    params = {"reference": "12/SKHCN", "on": timezone.localdate()}
    return system, "submit", users[Role.IT_OFFICER], params


def _import(tree, users):
    mapping = ImportMapping.objects.create(key="mau", name="Mẫu", columns={"Mã": "code"})
    job = ImportJob.objects.create(
        mapping=mapping,
        organization=tree["tech"],
        requested_by=users[Role.IT_OFFICER],
        filename="mau.csv",
        content=b"",
    )
    return job, "start", None, {}


SAMPLES = {"asset": _asset, "incident": _incident, "system_level": _level, "asset_import": _import}
