"""Periodic reports (Decree 09/2019): periods, unit reports, review, aggregation.

Indicator sources: other modules' figures can pre-fill a template's indicator. A source is
registered under a key with `register_indicator_source(key, fn)`, where
`fn(organization, period_start, period_end) -> number`; a TemplateIndicator names it in `source_key`.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core.calendar import workdays
from apps.core.notifications.service import notify
from apps.organizations.scoping import Action, restrict

from . import expr, selectors
from .models import (
    Frequency,
    IndicatorKind,
    ReportPeriod,
    ReportRegime,
    ReportTemplate,
    ReportValue,
    UnitReport,
    UnitReportHistory,
    UnitReportStatus,
)
from .workflow import REPORT_TRANSITIONS, target

IndicatorSource = Callable[[object, datetime.date, datetime.date], int | float | Decimal | None]
_SOURCES: dict[str, IndicatorSource] = {}

SPAN_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.SIX_MONTHLY: 6, Frequency.YEARLY: 12}
PERIOD_LABELS = {
    Frequency.MONTHLY: "Tháng {index}/{year}",
    Frequency.QUARTERLY: "Quý {index}/{year}",
    Frequency.SIX_MONTHLY: "{half} năm {year}",
    Frequency.YEARLY: "Năm {year}",
}


def register_indicator_source(key: str, fn: IndicatorSource) -> None:
    _SOURCES[key] = fn


def indicator_sources() -> dict[str, IndicatorSource]:
    return dict(_SOURCES)


def register_foundation_sources() -> None:
    from apps.accounts.indicators import Period, account_figures

    def figure(name):
        return lambda org, start, end: getattr(account_figures(org, Period(start, end)), name)

    for name in ("created_in_period", "created_to_date", "deactivated_to_date", "active_at_end"):
        register_indicator_source(f"accounts.{name}", figure(name))


# ---------------------------------------------------------------- periods


def cutoff_window(
    frequency: str, year: int, index: int, cutoff_day: int = 15
) -> tuple[datetime.date, datetime.date]:
    """The data cut-off window of a period (Decree 09/2019 Art. 12: from the 15th to the 14th).

    Quarter 1 of 2022 runs 15/12/2021–14/03/2022; the first half 15/12–14/6; a year 15/12–14/12.
    """
    span = SPAN_MONTHS[frequency]
    if not 1 <= index <= 12 // span:
        raise ValueError(f"index {index} out of range for {frequency}")
    last_month = index * span
    end = datetime.date(year, last_month, cutoff_day) - datetime.timedelta(days=1)
    first = last_month - span  # the month before the period's first month
    start = datetime.date(year if first > 0 else year - 1, first if first > 0 else 12 + first, cutoff_day)
    return start, end


def period_label(frequency: str, year: int, index: int) -> str:
    half = "6 tháng đầu" if index == 1 else "6 tháng cuối"
    return PERIOD_LABELS[frequency].format(index=index, year=year, half=half)


def _current_template(regime, on):
    return (
        ReportTemplate.objects.filter(regime=regime, is_active=True, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def open_due_periods(today: datetime.date | None = None) -> list[ReportPeriod]:
    """The scheduled entry point: open every period whose opening day has come and whose deadline
    has not passed, with a draft report (pre-filled) for each reporting unit. Idempotent."""
    today = today or selectors.today()
    opened = []
    regimes = ReportRegime.objects.filter(is_active=True).exclude(frequency=Frequency.AD_HOC)
    for regime in regimes.prefetch_related("reporters"):
        span = SPAN_MONTHS[regime.frequency]
        for year in (today.year, today.year + 1):
            for index in range(1, 12 // span + 1):
                start, end = cutoff_window(regime.frequency, year, index, regime.cutoff_day)
                due = workdays.add_working_days_to_date(end, regime.deadline_workdays)
                opens = end - datetime.timedelta(days=regime.open_days_before_cutoff_end)
                if not opens <= today <= due:
                    continue
                template = _current_template(regime, today)
                if (
                    template is None
                    or ReportPeriod.objects.filter(template=template, year=year, index=index).exists()
                ):
                    continue
                period = _open_period(regime, template, year, index, start, end, due, today)
                if period is not None:
                    opened.append(period)
    return opened


def open_ad_hoc_period(actor, template, *, label, cutoff_from, cutoff_to, due_date) -> ReportPeriod:
    if not selectors.is_leader(actor):
        raise PermissionDenied
    index = ReportPeriod.objects.filter(template=template, year=cutoff_to.year).count() + 1
    return _open_period(
        template.regime,
        template,
        cutoff_to.year,
        index,
        cutoff_from,
        cutoff_to,
        due_date,
        selectors.today(),
        label,
    )


def _open_period(regime, template, year, index, start, end, due, today, label=None):
    try:
        with transaction.atomic():
            period = ReportPeriod.objects.create(
                template=template,
                year=year,
                index=index,
                label=label or period_label(regime.frequency, year, index),
                cutoff_from=start,
                cutoff_to=end,
                due_date=due,
                opened_on=today,
            )
            record("report_period_opened", period, note=period.label)
            for unit in regime.reporters.all():
                report = UnitReport.objects.create(period=period, organization=unit)
                UnitReportHistory.objects.create(report=report, to_status=report.status, action="open")
                _prefill(report)
                from .services import unit_heads

                for head in unit_heads(unit):
                    notify("report_period_opened", user=head, context={"period": period, "report": report})
    except IntegrityError:  # another worker opened it meanwhile
        return None
    return period


def _prefill(report):
    period = report.period
    for ind in period.template.indicators.exclude(source_key=""):
        fn = _SOURCES.get(ind.source_key)
        if fn is None:
            continue
        value = fn(report.organization, period.cutoff_from, period.cutoff_to)
        if value is not None:
            ReportValue.objects.update_or_create(
                report=report, indicator=ind, defaults={"number": Decimal(str(value)), "prefilled": True}
            )


# ---------------------------------------------------------------- filling, review


def reports_for(user):
    scope = restrict(user, Action.VIEW)
    base = UnitReport.objects.select_related("period", "period__template", "organization")
    own_units = selectors.unit_ids_of(user)
    if scope.everything:
        return base
    return base.filter(organization_id__in=set(scope.organization_ids) | own_units)


def can_fill(user, report) -> bool:
    return report.organization_id in selectors.unit_ids_of(user) and selectors.is_staff_user(user)


def can_review(user, report) -> bool:
    """The receiving leader: a leader whose approve scope reaches the regime's receiver."""
    if not selectors.is_leader(user):
        return False
    scope = restrict(user, Action.APPROVE)
    return scope.everything or report.period.template.regime.receiver_id in scope.organization_ids


def _clean_value(ind, raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if ind.kind == IndicatorKind.TEXT:
        return str(raw).strip()
    try:
        value = Decimal(
            str(raw).strip().replace(".", "").replace(",", ".") if isinstance(raw, str) else str(raw)
        )
    except InvalidOperation:
        raise ValidationError({ind.code: _("Enter a number.")}) from None
    if ind.kind == IndicatorKind.INTEGER and value != value.to_integral_value():
        raise ValidationError({ind.code: _("Enter a whole number.")})
    if ind.kind == IndicatorKind.PERCENT and not 0 <= value <= 100:
        raise ValidationError({ind.code: _("A percentage is between 0 and 100.")})
    if ind.min_value is not None and value < ind.min_value:
        raise ValidationError(
            {ind.code: _("The value is below the minimum %(min)s.") % {"min": ind.min_value}}
        )
    if ind.max_value is not None and value > ind.max_value:
        raise ValidationError(
            {ind.code: _("The value is above the maximum %(max)s.") % {"max": ind.max_value}}
        )
    return value


def _history(report, before, action, actor, note=""):
    UnitReportHistory.objects.create(
        report=report, from_status=before, to_status=report.status, action=action, actor=actor, note=note
    )
    record(f"unit_report_{action}", report, actor=actor, note=note[:1000])


def save_values(actor, report, values: dict, *, submit: bool = False, now=None) -> UnitReport:
    """Store the unit's values (indicator code → raw input); with `submit`, check completeness and send."""
    if not can_fill(actor, report):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        action = "submit" if submit else "save"
        before = report.status
        report.status = target(REPORT_TRANSITIONS, action, before)
        indicators = list(report.period.template.indicators.all())
        errors = {}
        cleaned = {}
        for ind in indicators:
            if ind.formula:
                continue
            try:
                cleaned[ind.code] = _clean_value(ind, values.get(ind.code))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        existing = {v.indicator.code: v for v in report.values.select_related("indicator")}
        for ind in indicators:
            if ind.formula or ind.code in values:
                continue
            if ind.code in existing:  # keep a pre-filled value the form did not send
                cleaned[ind.code] = existing[ind.code].text or existing[ind.code].number
        if submit:
            for ind in indicators:
                if not ind.formula and ind.required and cleaned.get(ind.code) in (None, ""):
                    errors.setdefault(ind.code, [_("This value is required.")])
        if errors:
            raise ValidationError(errors)
        numbers = {k: v for k, v in cleaned.items() if isinstance(v, Decimal)}
        for ind in indicators:
            value = expr.evaluate(ind.formula, numbers) if ind.formula else cleaned.get(ind.code)
            text = value if isinstance(value, str) else ""
            number = value if isinstance(value, Decimal) else None
            prefilled = (
                ind.code in existing and existing[ind.code].prefilled and existing[ind.code].number == number
            )
            ReportValue.objects.update_or_create(
                report=report,
                indicator=ind,
                defaults={"number": number, "text": text, "prefilled": prefilled},
            )
        if submit:
            report.submitted_at = now
            report.first_submitted_on = report.first_submitted_on or timezone.localdate(now)
            report.save(update_fields=["status", "submitted_at", "first_submitted_on"])
            _history(report, before, "submit", actor)
        else:
            report.save(update_fields=["status"])
    return report


def review_report(actor, report, *, accept: bool, comment: str = "") -> UnitReport:
    if not can_review(actor, report):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        before = report.status
        action = "accept" if accept else "return"
        report.status = target(REPORT_TRANSITIONS, action, before)
        report.reviewer_comment = comment
        report.save(update_fields=["status", "reviewer_comment"])
        _history(report, before, action, actor, comment)
        from .services import unit_heads

        for head in unit_heads(report.organization):
            notify(
                "report_reviewed",
                user=head,
                context={"report": report, "accepted": accept, "comment": comment},
            )
    return report


# ---------------------------------------------------------------- aggregation


def aggregate(period, *, statuses=(UnitReportStatus.SUBMITTED, UnitReportStatus.ACCEPTED)) -> dict:
    """Per-indicator totals over the units' reports; derived indicators are recomputed from the totals
    (so a ratio of sums, not a sum of ratios)."""
    indicators = list(period.template.indicators.all())
    values = ReportValue.objects.filter(report__period=period, report__status__in=statuses).select_related(
        "indicator", "report__organization"
    )
    per_unit: dict[str, dict[str, Decimal | str | None]] = {}
    totals: dict[str, Decimal] = {}
    for v in values:
        unit = v.report.organization.short_name or v.report.organization.name
        per_unit.setdefault(unit, {})[v.indicator.code] = v.number if v.number is not None else v.text
        if v.number is not None and not v.indicator.formula and v.indicator.kind != IndicatorKind.TEXT:
            totals[v.indicator.code] = totals.get(v.indicator.code, Decimal(0)) + v.number
    for ind in indicators:
        if ind.formula:
            totals[ind.code] = expr.evaluate(ind.formula, totals)
    return {"indicators": indicators, "per_unit": per_unit, "totals": totals}


def previous_period(period):
    return (
        ReportPeriod.objects.filter(template__regime=period.template.regime, cutoff_to__lt=period.cutoff_to)
        .order_by("-cutoff_to")
        .first()
    )


def compare_with_previous(period) -> dict:
    current = aggregate(period)["totals"]
    prev = previous_period(period)
    before = aggregate(prev)["totals"] if prev else {}
    return {
        code: {"current": value, "previous": before.get(code), "change": _diff(value, before.get(code))}
        for code, value in current.items()
    }


def _diff(a, b):
    if a is None or b is None:
        return None
    return a - b


def export_rows(period) -> tuple[list[str], list[list]]:
    """The template's layout: one row per indicator, one column per unit, total, previous period."""
    agg = aggregate(period)
    comparison = compare_with_previous(period)
    units = sorted(agg["per_unit"])
    headers = ["STT", "Chỉ tiêu", "Đơn vị tính", *units, "Tổng cộng", "Kỳ trước"]
    rows = []
    for n, ind in enumerate(agg["indicators"], 1):
        row = [n, ind.label, ind.unit]
        row += [agg["per_unit"][u].get(ind.code) for u in units]
        row += [agg["totals"].get(ind.code), comparison.get(ind.code, {}).get("previous")]
        rows.append([float(c) if isinstance(c, Decimal) else c for c in row])
    return headers, rows


def submitted_on_time(report) -> bool | None:
    if report.first_submitted_on is None:
        return None
    return report.first_submitted_on <= report.period.due_date
