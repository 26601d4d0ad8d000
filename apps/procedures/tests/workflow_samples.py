"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

from decimal import Decimal

from apps.organizations.roles import Role
from apps.procedures import services
from apps.procedures.schema import default_steps


def _draft_to_publish(tree, users):
    draft = services.create_procedure(
        None,
        name="Thủ tục mẫu",
        field=services.field_named("Hoạt động khoa học và công nghệ"),
        processing_days=Decimal(5),
        steps=default_steps(Decimal(5)),
    )
    return draft, "publish", users[Role.ADMINISTRATOR], {}


SAMPLES = {"procedure_version": _draft_to_publish}
