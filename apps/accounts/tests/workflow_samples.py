"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

from apps.organizations.roles import Role

SAMPLES = {
    "account": lambda tree, users: (users[Role.SPECIALIST], "suspend", users[Role.ADMINISTRATOR], {}),
}
