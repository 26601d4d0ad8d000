"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

from apps.organizations.roles import Role


def _plan(tree, users, status="draft"):
    from apps.plans.models import Plan

    return Plan.objects.create(
        organization=tree["agency"], year=2030, title="Kế hoạch chuyển đổi số năm 2030", status=status
    )


def submit_sample(tree, users):
    return _plan(tree, users), "submit", users[Role.IT_OFFICER], {}


def project_sample(tree, users):
    from apps.plans.models import Project

    plan = _plan(tree, users, status="approved")
    project = Project.objects.create(plan=plan, order=1, name="Mua sắm thiết bị", total=100_000_000)
    return project, "start", users[Role.LEADER], {}


SAMPLES = {"plan": submit_sample, "plan_project": project_sample}
