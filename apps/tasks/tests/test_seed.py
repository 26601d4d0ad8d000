"""The demo seeder reproduces the plan's task list and is idempotent."""

import datetime
import time

import pytest

from apps.accounts.demo import seed_foundation
from apps.tasks import indicators, reporting
from apps.tasks.models import Meeting, ReportPeriod, Task
from apps.tasks.seed import seed

pytestmark = pytest.mark.django_db


def test_seed_is_fast_idempotent_and_consistent():
    seed_foundation()
    started = time.monotonic()
    first = seed()
    assert time.monotonic() - started < 20
    assert first["tasks"] == 10 and first["unit_reports"] == 12 and first["meetings"] == 5
    assert seed() == {"tasks": 0, "unit_reports": 0, "meetings": 0, "notification_templates": 0}
    assert Task.objects.count() == 10 and Meeting.objects.filter(status="held").count() == 3
    from apps.organizations.models import Organization

    agency = Organization.objects.get(code="skhcn")
    figures = indicators.task_figures(agency, indicators.Period.year(2022))
    # 14 assignments; 4.5 QLCN and the 4.6 inspection still open (overdue), 4.5 TTUD reported in time;
    # late: 4.3 TTUD (12/7 > 30/6) and 4.7 TTUD (20/12 > 15/12)
    assert (figures.assigned, figures.done_on_time, figures.done_late, figures.open_overdue) == (14, 9, 2, 2)
    q1 = ReportPeriod.objects.get(year=2022, index=1)
    totals = reporting.aggregate(q1)["totals"]
    assert totals["may_tinh"] == 34 and totals["may_tinh_av"] == 29
    assert abs(float(totals["ty_le_av"]) - 85.29) < 0.01  # 29 / 34, a ratio of the sums
    reports = indicators.report_figures(agency, indicators.Period.year(2022))
    assert reports.submitted_on_time == 12 and datetime.date(2022, 3, 17) == q1.due_date
