"""Every page and endpoint of the module, for every role (and anonymous)."""

import datetime

import pytest
from django.urls import reverse

from apps.organizations.roles import Role
from apps.tasks import reporting, services
from apps.tasks.models import ProgressUpdate, ReportRegime, ReportTemplate, Room, TemplateIndicator
from conftest import verified_client

pytestmark = pytest.mark.django_db

R = Role
ALL_STAFF = {r for r in Role if r != R.CITIZEN}
ASSIGNERS = {R.LEADER, R.UNIT_HEAD, R.ADMINISTRATOR}
# who sees the tech unit's assignment: agency-wide viewers, the unit's head and its members
SEE_TECH = {R.LEADER, R.ADMINISTRATOR, R.UNIT_HEAD, R.SPECIALIST, R.IT_OFFICER, R.CLERK}
# the agency-level meeting: agency-wide viewers only (no participants here)
SEE_MEETING = {R.LEADER, R.ADMINISTRATOR, R.IT_OFFICER, R.CLERK}


@pytest.fixture
def world(users, tree):
    today = datetime.date.today()
    task = services.assign_task(
        users[R.LEADER],
        title="Nhiệm vụ thử",
        due_date=today + datetime.timedelta(days=20),
        units=[tree["tech"]],
    )
    room = Room.objects.create(organization=tree["agency"], name="Phòng họp 1")
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    meeting = services.schedule_meeting(
        users[R.LEADER],
        title="Giao ban",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        room=room,
    )
    regime = ReportRegime.objects.create(code="q", name="Quý", frequency="quarterly", receiver=tree["agency"])
    regime.reporters.set([tree["tech"]])
    template = ReportTemplate.objects.create(
        regime=regime, name="Biểu", effective_from=datetime.date(2020, 1, 1)
    )
    TemplateIndicator.objects.create(template=template, code="a", label="A")
    period = reporting.open_due_periods(datetime.date(2022, 3, 10))[0]
    return {
        "assignment": task.assignments.get(),
        "meeting": meeting,
        "report": period.unit_reports.get(),
        "period": period,
    }


def pages(world):
    a, m, r, p = world["assignment"], world["meeting"], world["report"], world["period"]
    return [
        ("tasks:my_tasks", (), ALL_STAFF, 403),
        ("tasks:unit_tasks", (), ALL_STAFF, 403),
        ("tasks:board", (), ASSIGNERS, 403),
        ("tasks:task_create", (), ASSIGNERS, 403),
        ("tasks:assignment_detail", (a.pk,), SEE_TECH, 404),
        ("tasks:meeting_list", (), ALL_STAFF, 403),
        ("tasks:meeting_create", (), ASSIGNERS, 403),
        ("tasks:meeting_detail", (m.pk,), SEE_MEETING, 404),
        ("tasks:meeting_ics", (m.pk,), SEE_MEETING, 404),
        ("tasks:report_list", (), ALL_STAFF, 403),
        ("tasks:unit_report", (r.pk,), SEE_TECH, 404),
        ("tasks:period_summary", (p.pk,), {R.LEADER, R.ADMINISTRATOR}, 403),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_pages_per_role(client, users, world, role):
    c = verified_client(client, users[role])
    for name, args, allowed, refused in pages(world):
        status = c.get(reverse(name, args=args)).status_code
        expected = 200 if role in allowed else (403 if role == R.CITIZEN else refused)
        assert status == expected, (name, role, status)


def test_anonymous_is_sent_to_sign_in_except_the_public_schedule(client, world):
    for name, args, _allowed, _refused in pages(world):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], name
    response = client.get(
        reverse("tasks:weekly_schedule"), {"tuan": world["meeting"].starts_at.date().isoformat()}
    )
    assert response.status_code == 200 and "Giao ban" in response.content.decode()


# who may post a progress update on the tech unit's assignment
WORKERS = {R.UNIT_HEAD, R.SPECIALIST, R.IT_OFFICER}


@pytest.mark.parametrize("role", list(Role))
def test_progress_post_per_role(client, users, world, role):
    c = verified_client(client, users[role])
    a = world["assignment"]
    response = c.post(
        reverse("tasks:assignment_progress", args=[a.pk]), {"progress-percent": 30, "progress-note": "x"}
    )
    if role in WORKERS:
        assert response.status_code == 302 and ProgressUpdate.objects.filter(assignment=a).count() == 1
    else:
        assert response.status_code in (403, 404) and not ProgressUpdate.objects.exists()
        assert response.status_code == (403 if role in SEE_TECH | {R.CITIZEN} else 404)


@pytest.mark.parametrize("role", list(Role))
def test_review_and_meeting_posts_per_role(client, users, world, role):
    a, m = world["assignment"], world["meeting"]
    services.report_completion(users[R.SPECIALIST], a)
    c = verified_client(client, users[role])
    response = c.post(reverse("tasks:assignment_review", args=[a.pk]), {"review-decision": "accept"})
    a.refresh_from_db()
    if role in {R.LEADER, R.ADMINISTRATOR}:
        assert response.status_code == 302 and a.status == "done"
    else:
        assert response.status_code in (403, 404) and a.status == "reported"
    response = c.post(reverse("tasks:meeting_cancel", args=[m.pk]), {"note": "x"})
    m.refresh_from_db()
    if role in {R.LEADER, R.ADMINISTRATOR}:
        assert response.status_code == 302 and m.status == "cancelled"
    else:
        assert response.status_code in (403, 404) and m.status == "scheduled"


def test_posts_need_csrf(users, world):
    from django.test import Client

    c = verified_client(Client(enforce_csrf_checks=True), users[R.SPECIALIST])
    response = c.post(
        reverse("tasks:assignment_progress", args=[world["assignment"].pk]), {"progress-percent": 30}
    )
    assert response.status_code == 403 and not ProgressUpdate.objects.exists()


def test_board_export_and_query_count(client, users, world, tree, django_assert_max_num_queries):
    for i in range(6):
        services.assign_task(
            users[R.LEADER],
            title=f"Việc {i}",
            due_date=datetime.date.today(),
            units=[tree["tech"], tree["office"]],
        )
    c = verified_client(client, users[R.LEADER])
    with django_assert_max_num_queries(25):
        response = c.get(reverse("tasks:board"))
    assert response.status_code == 200 and 'id="board-data"' in response.content.decode()
    with django_assert_max_num_queries(25):
        assert c.get(reverse("tasks:unit_tasks")).status_code == 200
    export = c.get(reverse("tasks:board"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
