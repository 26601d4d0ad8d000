"""Issue 15: the task lists, the board, meetings, the weekly schedule, reports and reporting regimes
render with as many queries for a few rows as for more."""

import datetime
import itertools

import pytest
from django.utils import timezone

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("tasks:my_tasks", Role.SPECIALIST, "task_rows"),
    ListCase("tasks:unit_tasks", Role.UNIT_HEAD, "task_rows"),
    ListCase("tasks:board", Role.LEADER, "overdue_task_rows"),
    ListCase("tasks:meeting_list", Role.LEADER, "meeting_rows"),
    ListCase("tasks:weekly_schedule", None, "meeting_rows", {"co-quan": "t-skhcn"}),
    ListCase("tasks:report_list", Role.UNIT_HEAD, "report_rows"),
    ListCase("tasks:report_list", Role.UNIT_HEAD, "report_rows", {"q": "ky bao cao"}),
    ListCase("tasks:regime_list", Role.LEADER, "regime_rows"),
]

_serial = itertools.count()


@pytest.fixture
def task_rows(users, tree):
    from apps.tasks import services

    def add(n):
        titles = [f"Nhiệm vụ {next(_serial):04d}" for _ in range(n)]
        for title in titles:
            services.assign_task(
                users[Role.LEADER],
                title=title,
                due_date=datetime.date.today() + datetime.timedelta(days=20),
                units=[tree["tech"], tree["office"]],
            )
        return titles

    return add


@pytest.fixture
def overdue_task_rows(task_rows):
    """Tasks past their deadline: the board lists each one by title."""
    from apps.tasks.models import Assignment

    def add(n):
        titles = task_rows(n)
        past = datetime.date.today() - datetime.timedelta(days=3)
        Assignment.objects.filter(task__title__in=titles).update(due_date=past)
        return titles

    return add


@pytest.fixture
def meeting_rows(users):
    from apps.tasks import services

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())

    def add(n):
        titles = []
        for _ in range(n):
            k = next(_serial)
            start = timezone.make_aware(
                datetime.datetime.combine(monday, datetime.time(7))
            ) + datetime.timedelta(hours=k % 60)
            title = f"Cuộc họp {k:04d}"
            services.schedule_meeting(
                users[Role.LEADER],
                title=title,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=30),
                location=f"Hội trường {k % 3}",
                chair="Lãnh đạo Sở",
                participants=[users[Role.SPECIALIST]],
            )
            titles.append(title)
        return titles

    return add


@pytest.fixture
def regime_rows(tree):
    from apps.tasks.models import ReportRegime, ReportTemplate

    def add(n):
        names = []
        for _ in range(n):
            k = next(_serial)
            regime = ReportRegime.objects.create(
                code=f"bc-{k:04d}",
                name=f"Báo cáo định kỳ {k:04d}",
                frequency="quarterly",
                deadline_workdays=3,
                open_days_before_cutoff_end=5,
                receiver=tree["agency"],
            )
            regime.reporters.set([tree["tech"], tree["office"]])
            ReportTemplate.objects.create(
                regime=regime, name=f"Biểu {k:04d}", effective_from=datetime.date(2022, 1, 1)
            )
            names.append(regime.name)
        return names

    return add


@pytest.fixture
def report_rows(tree, regime_rows):
    from apps.tasks.models import ReportPeriod, ReportTemplate, UnitReport

    def add(n):
        labels = []
        template = ReportTemplate.objects.get(regime__name=regime_rows(1)[0])
        for i in range(n):
            label = f"Kỳ báo cáo {next(_serial):04d}"
            period = ReportPeriod.objects.create(
                template=template,
                year=2022,
                index=i + 1,
                label=label,
                cutoff_from=datetime.date(2022, 1, 1),
                cutoff_to=datetime.date(2022, 3, 14),
                due_date=datetime.date(2022, 3, 20),
                opened_on=datetime.date(2022, 3, 1),
            )
            for unit in (tree["tech"], tree["office"]):
                UnitReport.objects.create(period=period, organization=unit)
            labels.append(label)
        return labels

    return add


test_list_queries = list_query_test(LISTS)
