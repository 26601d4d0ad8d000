"""Scheduled work under a frozen clock (no date passed in), and the task status history."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.notifications.models import OutboxMessage
from apps.tasks import reporting, services, tasks
from apps.tasks.models import ReportPeriod, ReportRegime, ReportTemplate, TemplateIndicator
from conftest import verified_client

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    """Freeze django.utils.timezone.now (so localdate, auto_now and the services' "today") at 09:00
    Đắk Lắk time on the day given."""

    def set_day(day, hour=9):
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=HCM).astimezone(datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


def outbox(event):
    return sorted(
        OutboxMessage.objects.filter(event=event).values_list("recipient_user__username", flat=True)
    )


def test_overdue_reminder_and_escalation_to_unit_head_by_the_scheduled_job(
    clock, people, tree, templates, django_capture_on_commit_callbacks
):
    clock(MONDAY)
    task = services.assign_task(
        people["leader"],
        title="Cập nhật danh mục tài sản CNTT",
        due_date=MONDAY + datetime.timedelta(days=4),
        units=[tree["tech"]],
        people=[people["staff_office"]],
    )
    assert task.assigned_on == MONDAY
    clock(MONDAY + datetime.timedelta(days=3))  # Thursday: due tomorrow
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_task_reminders() == {"due_soon": 2, "overdue": 0, "escalated": 0}
    assert outbox("task_due_soon") == ["cv-vp", "tp-qlcn"]  # the named person; the unit's head
    assert outbox("task_escalated") == []

    clock(MONDAY + datetime.timedelta(days=7))  # the next Monday: both overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_task_reminders() == {"due_soon": 0, "overdue": 2, "escalated": 2}
    assert outbox("task_overdue") == ["cv-vp", "tp-qlcn"]
    # escalated to the head of each assignee unit (the tech head is also its recipient; the
    # office task was given to a specialist, so the office head hears of it)
    assert outbox("task_escalated") == ["tp-qlcn", "tp-vp"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_task_reminders() == {"due_soon": 0, "overdue": 0, "escalated": 0}  # same day
    assert len(outbox("task_escalated")) == 2


def test_quarterly_period_opens_on_the_frozen_clock(client, clock, people, tree, templates):
    regime = ReportRegime.objects.create(
        code="q", name="Báo cáo quý", frequency="quarterly", receiver=tree["agency"], deadline_workdays=3
    )
    regime.reporters.set([tree["tech"], tree["office"]])
    template = ReportTemplate.objects.create(regime=regime, name="Biểu", effective_from=D(2022, 1, 1))
    TemplateIndicator.objects.create(template=template, code="hop", label="Số cuộc họp trực tuyến", order=1)
    TemplateIndicator.objects.create(template=template, code="ky_so", label="Văn bản ký số", order=2)
    TemplateIndicator.objects.create(
        template=template,
        code="binh_quan",
        label="Ký số mỗi cuộc họp",
        kind="decimal",
        formula="ky_so / hop",
        order=3,
    )

    clock(D(2022, 3, 8))
    assert tasks.open_due_periods() == []
    clock(D(2022, 3, 9))
    [pk] = tasks.open_due_periods()
    period = ReportPeriod.objects.get(pk=pk)
    assert (period.label, period.opened_on, period.due_date) == ("Quý 1/2022", D(2022, 3, 9), D(2022, 3, 17))

    tech = period.unit_reports.get(organization=tree["tech"])
    office = period.unit_reports.get(organization=tree["office"])
    clock(D(2022, 3, 15))
    reporting.save_values(people["staff_tech"], tech, {"hop": "4", "ky_so": "30"}, submit=True)
    reporting.save_values(people["staff_office"], office, {"hop": "6", "ky_so": "50"}, submit=True)
    reporting.review_report(people["leader"], office, accept=False, comment="Thiếu văn bản tháng 3")
    clock(D(2022, 3, 21))  # resubmitted after the deadline: the first submission counts
    reporting.save_values(people["staff_office"], office, {"hop": "6", "ky_so": "70"}, submit=True)
    reporting.review_report(people["leader"], office, accept=True)
    office.refresh_from_db()
    assert office.first_submitted_on == D(2022, 3, 15) and reporting.submitted_on_time(office)

    totals = reporting.aggregate(period)["totals"]
    assert (totals["hop"], totals["ky_so"], totals["binh_quan"]) == (10, 100, 10)  # 100 / 10, not 7,5 + 11,67

    c = verified_client(client, people["leader"])
    page = c.get(reverse("tasks:unit_report", args=[office.pk])).content.decode()
    history = page[page.index('id="report-history"') :]
    for text in ("Report returned", "Submitted → Returned", "Thiếu văn bản tháng 3", "Report accepted"):
        assert text in history, text

    clock(D(2022, 6, 10))  # the next quarter shows each unit its own figures of the quarter before
    [q2] = tasks.open_due_periods()
    tech_q2 = ReportPeriod.objects.get(pk=q2).unit_reports.get(organization=tree["tech"])
    c = verified_client(client, people["staff_tech"])  # a fresh session on the new day
    page = c.get(reverse("tasks:unit_report", args=[tech_q2.pk])).content.decode()
    assert re.search(r'id="prev-ky_so">\s*30\b', page) and re.search(r'id="prev-hop">\s*4\b', page)


def test_every_change_of_a_task_is_in_its_status_history(client, people, tree):
    leader, staff = people["leader"], people["staff_tech"]
    task = services.assign_task(
        leader,
        title="Triển khai ký số",
        due_date=MONDAY + datetime.timedelta(days=10),
        units=[tree["tech"]],
        on=MONDAY,
    )
    a = task.assignments.get()
    services.update_progress(staff, a, percent=30, note="Đã khảo sát", on=MONDAY)
    ext = services.request_extension(
        staff, a, new_due_date=MONDAY + datetime.timedelta(days=20), reason="Chờ chứng thư số"
    )
    services.decide_extension(leader, ext, approve=False, note="Không đủ căn cứ")
    services.report_completion(staff, a, note="Xong", on=MONDAY)
    services.review_completion(leader, a, accept=False, note="Thiếu biên bản")
    services.report_completion(staff, a, note="Đã bổ sung", on=MONDAY)
    services.review_completion(leader, a, accept=True, on=MONDAY)

    rows = list(a.history.values_list("action", "from_state", "to_state", "actor__username"))
    assert rows == [
        ("assign", "", "assigned", "lanhdao"),
        ("progress", "assigned", "in_progress", "cv-qlcn"),
        ("extension_request", "in_progress", "in_progress", "cv-qlcn"),
        ("extension_refuse", "in_progress", "in_progress", "lanhdao"),
        ("report", "in_progress", "reported", "cv-qlcn"),
        ("return", "reported", "in_progress", "lanhdao"),
        ("report", "in_progress", "reported", "cv-qlcn"),
        ("accept", "reported", "done", "lanhdao"),
    ]
    assert list(task.history.values_list("action", "from_state", "to_state")) == [("close", "open", "done")]

    page = (
        verified_client(client, leader).get(reverse("tasks:assignment_detail", args=[a.pk])).content.decode()
    )
    timeline = page[page.index('id="status-history"') :]
    for text in (
        "Extension requested",
        "Extension refused",
        "Không đủ căn cứ",
        "Returned for more work",
        "Completion reported → In progress",
        "Thiếu biên bản",
        "Task completed",
        "Open → Done",
    ):
        assert text in timeline, text


def test_assigner_cancels_a_task_with_a_reason_on_its_page(client, people, tree):
    task = services.assign_task(
        people["leader"],
        title="Khảo sát hạ tầng mạng",
        due_date=MONDAY + datetime.timedelta(days=10),
        units=[tree["tech"], tree["office"]],
        on=MONDAY,
    )
    tech = task.assignments.get(unit=tree["tech"])
    url = reverse("tasks:task_cancel", args=[tech.pk])
    assert verified_client(client, people["head_tech"]).post(url, {"cancel-note": "x"}).status_code == 403
    c = verified_client(client, people["leader"])
    page = c.post(url, {"cancel-note": ""}, follow=True).content.decode()
    assert "Give the reason for cancelling." in page
    task.refresh_from_db()
    assert task.status == "open"
    page = c.post(url, {"cancel-note": "Đã có đơn vị khác thực hiện"}, follow=True).content.decode()
    task.refresh_from_db()
    assert task.status == "cancelled"
    assert set(task.assignments.values_list("status", flat=True)) == {"cancelled"}
    assert list(task.history.values_list("action", "note")) == [("cancel", "Đã có đơn vị khác thực hiện")]
    timeline = page[page.index('id="status-history"') :]
    assert "Open → Cancelled" in timeline and "Đã có đơn vị khác thực hiện" in timeline
    assert 'id="cancel-form"' not in page


def test_report_reminders_before_and_after_the_deadline(
    client, clock, people, tree, templates, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    regime = ReportRegime.objects.create(
        code="q", name="Báo cáo quý", frequency="quarterly", receiver=tree["agency"], deadline_workdays=3
    )
    regime.reporters.set([tree["tech"], tree["office"]])
    template = ReportTemplate.objects.create(regime=regime, name="Biểu", effective_from=D(2022, 1, 1))
    TemplateIndicator.objects.create(template=template, code="hop", label="Số cuộc họp")
    clock(D(2022, 3, 9))
    [pk] = tasks.open_due_periods()
    period = ReportPeriod.objects.get(pk=pk)
    assert period.due_date == D(2022, 3, 17)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders() == {"due_soon": 0, "overdue": 0}  # a week ahead: quiet

    clock(D(2022, 3, 15))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders() == {"due_soon": 2, "overdue": 0}
        assert tasks.send_report_reminders() == {"due_soon": 0, "overdue": 0}  # once a day
    assert outbox("report_due_soon") == ["tp-qlcn", "tp-vp"]
    reporting.save_values(
        people["staff_tech"], period.unit_reports.get(organization=tree["tech"]), {"hop": "3"}, submit=True
    )

    clock(D(2022, 3, 18))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", stdout=out)
    assert out.getvalue().strip() == "due soon: 0, overdue: 1"
    assert outbox("report_overdue") == ["tp-vp"]  # the tech unit has sent its report
    message = OutboxMessage.objects.get(event="report_overdue")
    assert "17/03/2022" in message.body and "Quý 1/2022" in message.subject
    rows = verified_client(client, people["leader"]).get(reverse("tasks:report_list")).content.decode()
    office_row = next(r for r in rows.split("<tr>") if "t-vp" in r or "Văn phòng Sở" in r)
    tech_row = next(r for r in rows.split("<tr>") if "Phòng Quản lý Công nghệ" in r)
    assert "Overdue" in office_row and "Overdue" not in tech_row
