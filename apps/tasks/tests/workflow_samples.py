"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py).

The leader (agency) assigns to the tech unit, whose specialist works on it; the leader receives
the tech unit's reports."""

import datetime

from apps.organizations.roles import Role
from apps.tasks import reporting, services
from apps.tasks.models import ReportRegime, ReportTemplate, TemplateIndicator

DUE = datetime.date.today() + datetime.timedelta(days=20)


def _task(tree, users):
    return services.assign_task(users[Role.LEADER], title="Nhiệm vụ mẫu", due_date=DUE, units=[tree["tech"]])


def _assignment(tree, users):
    return _task(tree, users).assignments.get(), "progress", users[Role.SPECIALIST], {}


def _whole_task(tree, users):
    return _task(tree, users), "cancel", users[Role.LEADER], {}


def _extension(tree, users):
    a = _task(tree, users).assignments.get()
    ext = services.request_extension(
        users[Role.SPECIALIST], a, new_due_date=DUE + datetime.timedelta(days=10), reason="Chờ thiết bị"
    )
    return ext, "approve", users[Role.LEADER], {}


def _meeting(tree, users):
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    meeting = services.schedule_meeting(
        users[Role.LEADER],
        title="Giao ban mẫu",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        location="Hội trường",
    )
    return meeting, "cancel", users[Role.LEADER], {}


def _unit_report(tree, users):
    regime = ReportRegime.objects.create(
        code="mau", name="Mẫu", frequency="quarterly", receiver=tree["agency"]
    )
    regime.reporters.set([tree["tech"]])
    template = ReportTemplate.objects.create(
        regime=regime, name="Biểu mẫu", effective_from=datetime.date(2020, 1, 1)
    )
    TemplateIndicator.objects.create(template=template, code="a", label="A", required=False)
    report = reporting.open_due_periods(datetime.date(2022, 3, 10))[0].unit_reports.get()
    return report, "submit", users[Role.SPECIALIST], {}


SAMPLES = {
    "assignment": _assignment,
    "task": _whole_task,
    "assignment_extension": _extension,
    "meeting": _meeting,
    "unit_report": _unit_report,
}
