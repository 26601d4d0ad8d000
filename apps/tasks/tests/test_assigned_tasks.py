"""The assigned-task flow through the services: assign, progress, extension, completion, review."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.core.files.models import StoredFile
from apps.tasks import indicators, selectors, services
from apps.tasks.models import Assignment, AssignmentStatus, ExtensionStatus, Task, TaskStatus
from apps.tasks.scheduled import send_task_reminders

from .conftest import MONDAY, pdf_upload

pytestmark = pytest.mark.django_db
D = datetime.timedelta


DUE = MONDAY + D(days=10)


def _assign(people, tree, due=DUE, **kw):
    return services.assign_task(
        people["leader"],
        title="Rà soát quy chế sử dụng thiết bị CNTT",
        due_date=due,
        units=[tree["tech"], tree["office"]],
        source_kind="document",
        source_reference="172/KH-SKHCN ngày 06/10/2021",
        on=MONDAY,
        **kw,
    )


def test_one_task_gets_one_assignment_per_unit_and_notifies_heads(
    people, tree, templates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = _assign(people, tree)
    assert {a.unit for a in task.assignments.all()} == {tree["tech"], tree["office"]}
    assert {m.to[0] for m in mail.outbox} == {"unit_head@example.vn"}  # both heads share the fixture e-mail
    assert len(mail.outbox) == 2 and "Rà soát quy chế" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(verb="task_assigned").count() == 1


def test_specialist_cannot_assign_and_leader_cannot_assign_outside_agency(people, tree):
    with pytest.raises(PermissionDenied):
        services.assign_task(
            people["staff_tech"], title="x", due_date=MONDAY, units=[tree["tech"]], on=MONDAY
        )
    with pytest.raises(PermissionDenied):
        services.assign_task(
            people["leader"], title="x", due_date=MONDAY, units=[tree["other_unit"]], on=MONDAY
        )
    assert Task.objects.count() == 0


def test_bad_input_writes_nothing(people, tree):
    with pytest.raises(ValidationError):
        services.assign_task(
            people["leader"], title="x", due_date=MONDAY - D(days=1), units=[tree["tech"]], on=MONDAY
        )
    with pytest.raises(ValidationError):
        services.assign_task(people["leader"], title="  ", due_date=MONDAY, units=[tree["tech"]], on=MONDAY)
    with pytest.raises(ValidationError):
        services.assign_task(people["leader"], title="x", due_date=MONDAY, on=MONDAY)
    assert Task.objects.count() == 0 and Assignment.objects.count() == 0


def test_completion_with_evidence_then_accept_closes_task_when_all_done(people, tree):
    task = _assign(people, tree)
    tech = task.assignments.get(unit=tree["tech"])
    office = task.assignments.get(unit=tree["office"])
    services.update_progress(people["staff_tech"], tech, percent=40, note="Đã dự thảo", on=MONDAY + D(days=2))
    services.report_completion(
        people["staff_tech"], tech, note="Xong", files=[pdf_upload()], on=MONDAY + D(days=5)
    )
    tech.refresh_from_db()
    assert tech.status == AssignmentStatus.REPORTED and tech.progress == 100
    assert StoredFile.objects.filter(purpose="task_evidence").count() == 1
    with pytest.raises(PermissionDenied):  # the assignee cannot accept its own work
        services.review_completion(people["staff_tech"], tech, accept=True)
    with pytest.raises(ValidationError):  # returning needs a reason
        services.review_completion(people["leader"], tech, accept=False)
    services.review_completion(people["leader"], tech, accept=True, on=MONDAY + D(days=6))
    tech.refresh_from_db()
    assert tech.status == AssignmentStatus.DONE
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN  # the office has not finished
    services.report_completion(people["head_office"], office, on=MONDAY + D(days=6))
    services.review_completion(people["leader"], office, accept=True, on=MONDAY + D(days=7))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert list(tech.history.values_list("action", flat=True)) == ["assign", "progress", "report", "accept"]


def test_returned_work_goes_back_to_progress(people, tree):
    task = _assign(people, tree)
    tech = task.assignments.get(unit=tree["tech"])
    services.report_completion(people["staff_tech"], tech, on=MONDAY + D(days=1))
    services.review_completion(people["leader"], tech, accept=False, note="Thiếu phụ lục")
    tech.refresh_from_db()
    assert tech.status == AssignmentStatus.IN_PROGRESS and tech.reported_on is None
    with pytest.raises(ValidationError):  # cannot accept what is not reported
        services.review_completion(people["leader"], tech, accept=True)


def test_other_unit_staff_cannot_work_on_it(people, tree):
    task = _assign(people, tree)
    tech = task.assignments.get(unit=tree["tech"])
    for who in ("staff_office", "outsider", "citizen"):
        with pytest.raises(PermissionDenied):
            services.update_progress(people[who], tech, percent=10)
    with pytest.raises(ValidationError):
        services.update_progress(people["staff_tech"], tech, percent=120)
    assert tech.updates.count() == 0


def test_rejected_evidence_rolls_back_the_update(people, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.core.files.intake import UploadRejected

    task = _assign(people, tree)
    tech = task.assignments.get(unit=tree["tech"])
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(UploadRejected):
        services.update_progress(people["staff_tech"], tech, percent=50, files=[bad])
    tech.refresh_from_db()
    assert tech.progress == 0 and tech.updates.count() == 0 and tech.status == AssignmentStatus.ASSIGNED


def test_extension_granted_moves_deadline_then_overdue_flag(people, tree):
    task = _assign(people, tree, due=MONDAY + D(days=4))
    office = task.assignments.get(unit=tree["office"])
    with pytest.raises(ValidationError):
        services.request_extension(
            people["staff_office"], office, new_due_date=MONDAY + D(days=2), reason="x"
        )
    ext = services.request_extension(
        people["staff_office"], office, new_due_date=MONDAY + D(days=9), reason="Chờ số liệu"
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        services.request_extension(
            people["staff_office"], office, new_due_date=MONDAY + D(days=11), reason="y"
        )
    with pytest.raises(PermissionDenied):
        services.decide_extension(people["staff_office"], ext, approve=True)
    services.decide_extension(people["leader"], ext, approve=True, note="Đồng ý")
    office.refresh_from_db()
    assert office.due_date == MONDAY + D(days=9) and office.original_due_date == MONDAY + D(days=4)
    assert selectors.flags(office, MONDAY + D(days=8)) == {"overdue": False, "due_soon": True, "late": False}
    assert selectors.flags(office, MONDAY + D(days=10))["overdue"] is True
    data = selectors.board(people["leader"], MONDAY + D(days=10))
    assert data["totals"]["overdue"] == 2  # the tech unit has not finished either
    assert [a.pk for a in data["overdue"]].count(office.pk) == 1


def test_refusal_needs_a_reason_and_keeps_the_deadline(people, tree):
    task = _assign(people, tree)
    office = task.assignments.get(unit=tree["office"])
    ext = services.request_extension(
        people["staff_office"], office, new_due_date=MONDAY + D(days=30), reason="x"
    )
    with pytest.raises(ValidationError):
        services.decide_extension(people["leader"], ext, approve=False)
    services.decide_extension(people["leader"], ext, approve=False, note="Không đủ căn cứ")
    ext.refresh_from_db()
    office.refresh_from_db()
    assert ext.status == ExtensionStatus.REFUSED and office.due_date == MONDAY + D(days=10)


def test_reminders_and_single_escalation(people, tree, templates, django_capture_on_commit_callbacks):
    task = _assign(people, tree, due=MONDAY + D(days=4))  # Friday
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_task_reminders(MONDAY + D(days=2))
    assert counts == {"due_soon": 2, "overdue": 0, "escalated": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_task_reminders(MONDAY + D(days=2)) == {"due_soon": 0, "overdue": 0, "escalated": 0}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_task_reminders(MONDAY + D(days=7))
    assert counts == {"due_soon": 0, "overdue": 2, "escalated": 2}
    assert any("quá hạn" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_task_reminders(MONDAY + D(days=8))
    assert counts["escalated"] == 0 and counts["overdue"] == 2  # one escalation per overdue spell
    assert task.assignments.filter(escalated_on=MONDAY + D(days=7)).count() == 2


def test_management_command_runs_the_same_entry_point(people, tree, templates):
    from io import StringIO

    from django.core.management import call_command

    _assign(people, tree, due=MONDAY + D(days=1))
    out = StringIO()
    call_command("send_task_reminders", "--date", str(MONDAY + D(days=3)), stdout=out)
    assert "overdue: 2" in out.getvalue() and "escalated: 2" in out.getvalue()


def test_indicators_count_on_time_and_late(people, tree):
    task = _assign(people, tree, due=MONDAY + D(days=4))
    tech = task.assignments.get(unit=tree["tech"])
    office = task.assignments.get(unit=tree["office"])
    services.report_completion(people["staff_tech"], tech, on=MONDAY + D(days=3))
    services.review_completion(people["leader"], tech, accept=True, on=MONDAY + D(days=3))
    services.report_completion(people["staff_office"], office, on=MONDAY + D(days=8))
    services.review_completion(people["leader"], office, accept=True, on=MONDAY + D(days=8))
    figures = indicators.task_figures(tree["agency"], indicators.Period.year(2026))
    assert (figures.assigned, figures.done_on_time, figures.done_late) == (2, 1, 1)
    only_tech = indicators.task_figures(tree["tech"], indicators.Period.year(2026))
    assert (only_tech.assigned, only_tech.done_on_time, only_tech.done_late) == (1, 1, 0)


def test_scoping_of_lists(people, tree):
    _assign(people, tree)
    assert selectors.assignments_for(people["leader"]).count() == 2
    assert selectors.assignments_for(people["head_tech"]).count() == 1
    assert selectors.my_assignments(people["staff_tech"]).count() == 1  # the unit's task, no named person
    assert selectors.assignments_for(people["outsider"]).count() == 0
    assert selectors.assignments_for(people["citizen"]).count() == 0
    assert selectors.unit_assignments(people["leader"]).count() == 2  # the agency's whole subtree
    assert selectors.unit_assignments(people["head_tech"]).count() == 1
    assert selectors.unit_assignments(people["staff_office"]).count() == 1
