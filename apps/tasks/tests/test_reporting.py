"""Periodic reports: cut-off windows, scheduled opening (frozen date), submit/return/resubmit, aggregate."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.tasks import expr, indicators, reporting
from apps.tasks.models import ReportPeriod, ReportRegime, ReportTemplate, TemplateIndicator, UnitReportStatus

D = datetime.date
ON_TIME = datetime.datetime(2022, 3, 15, 9, tzinfo=datetime.UTC)
LATE = datetime.datetime(2022, 6, 30, 9, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "frequency,year,index,window",
    [
        ("monthly", 2022, 1, (D(2021, 12, 15), D(2022, 1, 14))),
        ("monthly", 2022, 7, (D(2022, 6, 15), D(2022, 7, 14))),
        ("quarterly", 2022, 1, (D(2021, 12, 15), D(2022, 3, 14))),
        ("quarterly", 2022, 3, (D(2022, 6, 15), D(2022, 9, 14))),
        ("six_monthly", 2022, 1, (D(2021, 12, 15), D(2022, 6, 14))),
        ("six_monthly", 2022, 2, (D(2022, 6, 15), D(2022, 12, 14))),
        ("yearly", 2022, 1, (D(2021, 12, 15), D(2022, 12, 14))),
    ],
)
def test_cutoff_windows_follow_decree_09(frequency, year, index, window):
    assert reporting.cutoff_window(frequency, year, index) == window


def test_formula_evaluator_is_safe_and_correct():
    assert expr.evaluate("a / b * 100", {"a": 3, "b": 4}) == Decimal(75)
    assert expr.evaluate("a / b", {"a": 3, "b": 0}) is None
    assert expr.evaluate("round(a / 3, 2)", {"a": 1}) == Decimal("0.33")
    for bad in ("__import__('os')", "a ** 2", "a.b", "'x'", "open('f')", "a if b else c"):
        with pytest.raises(expr.FormulaError):
            expr.evaluate(bad, {"a": 1, "b": 1, "c": 1})


@pytest.fixture
def regime(tree, db):
    regime = ReportRegime.objects.create(
        code="cds-quy",
        name="Báo cáo tình hình chuyển đổi số hằng quý",
        frequency="quarterly",
        deadline_workdays=3,
        open_days_before_cutoff_end=5,
        receiver=tree["agency"],
    )
    regime.reporters.set([tree["tech"], tree["office"]])
    template = ReportTemplate.objects.create(
        regime=regime, name="Biểu số liệu CĐS quý", effective_from=D(2022, 1, 1)
    )
    TemplateIndicator.objects.create(
        template=template, code="may_tinh", label="Số máy tính", unit="máy", order=1
    )
    TemplateIndicator.objects.create(
        template=template, code="co_av", label="Số máy có phần mềm diệt mã độc", unit="máy", order=2
    )
    TemplateIndicator.objects.create(
        template=template,
        code="ty_le_av",
        label="Tỷ lệ máy có phần mềm diệt mã độc",
        unit="%",
        kind="percent",
        formula="co_av / may_tinh * 100",
        order=3,
    )
    TemplateIndicator.objects.create(
        template=template,
        code="tai_khoan",
        label="Tài khoản đang dùng",
        unit="tài khoản",
        source_key="accounts.active_at_end",
        order=4,
        required=False,
    )
    return regime


def test_quarterly_period_opened_by_schedule_submit_return_resubmit_aggregate(
    regime, people, tree, templates
):
    assert reporting.open_due_periods(D(2022, 3, 8)) == []  # too early: opens 5 days before 14/03
    opened = reporting.open_due_periods(D(2022, 3, 10))
    assert [p.label for p in opened] == ["Quý 1/2022"]
    assert reporting.open_due_periods(D(2022, 3, 10)) == []  # idempotent
    period = opened[0]
    assert (period.cutoff_from, period.cutoff_to) == (D(2021, 12, 15), D(2022, 3, 14))
    assert period.due_date == D(2022, 3, 17)  # 3 working days after Monday 14/03
    tech = period.unit_reports.get(organization=tree["tech"])
    office = period.unit_reports.get(organization=tree["office"])
    assert tech.values.get(indicator__code="tai_khoan").prefilled  # from accounts.indicators

    with pytest.raises(ValidationError) as exc:
        reporting.save_values(people["staff_tech"], tech, {"may_tinh": "12", "co_av": ""}, submit=True)
    assert "co_av" in exc.value.message_dict
    with pytest.raises(ValidationError):
        reporting.save_values(people["staff_tech"], tech, {"may_tinh": "12,5", "co_av": "3"}, submit=True)
    with pytest.raises(PermissionDenied):
        reporting.save_values(people["staff_office"], tech, {"may_tinh": "1", "co_av": "1"})
    reporting.save_values(
        people["staff_tech"], tech, {"may_tinh": "12", "co_av": "9"}, submit=True, now=ON_TIME
    )
    reporting.save_values(
        people["staff_office"], office, {"may_tinh": "8", "co_av": "8"}, submit=True, now=ON_TIME
    )

    with pytest.raises(PermissionDenied):
        reporting.review_report(people["head_tech"], tech, accept=True)
    reporting.review_report(people["leader"], tech, accept=False, comment="Số máy chưa khớp kiểm kê")
    tech.refresh_from_db()
    assert tech.status == UnitReportStatus.RETURNED
    reporting.save_values(
        people["staff_tech"], tech, {"may_tinh": "12", "co_av": "12"}, submit=True, now=ON_TIME
    )
    reporting.review_report(people["leader"], tech, accept=True)
    reporting.review_report(people["leader"], office, accept=True)

    totals = reporting.aggregate(period)["totals"]
    assert totals["may_tinh"] == 20 and totals["co_av"] == 20
    assert totals["ty_le_av"] == 100  # a ratio of the sums, not a sum of ratios
    tech.refresh_from_db()
    assert tech.values.get(indicator__code="ty_le_av").number == 100
    assert list(tech.history.values_list("action", flat=True)) == [
        "open",
        "submit",
        "return",
        "submit",
        "accept",
    ]

    headers, rows = reporting.export_rows(period)
    assert headers[-2:] == ["Tổng cộng", "Kỳ trước"] and rows[0][1] == "Số máy tính" and rows[0][-2] == 20

    # the next quarter compares with this one
    q2 = reporting.open_due_periods(D(2022, 6, 13))[0]
    assert q2.label == "Quý 2/2022"
    r = q2.unit_reports.get(organization=tree["tech"])
    reporting.save_values(people["staff_tech"], r, {"may_tinh": "15", "co_av": "15"}, submit=True, now=LATE)
    comparison = reporting.compare_with_previous(q2)
    assert comparison["may_tinh"] == {"current": 15, "previous": 20, "change": -5}

    figures = indicators.report_figures(tree["agency"], indicators.Period.year(2022))
    # Q1: both units on time (the resubmission keeps the first date); Q2: tech late, office missing
    assert (figures.submitted_on_time, figures.submitted_late, figures.not_submitted) == (2, 1, 1)


def test_open_command(regime, templates):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("open_report_periods", "--date", "2022-09-12", stdout=out)
    assert "Quý 3/2022" in out.getvalue() and ReportPeriod.objects.count() == 1
