"""Periodic reports (Decree 09/2019): periods, unit reports, review, aggregation.

Indicator sources: other modules' figures can pre-fill a template's indicator. A TemplateIndicator
names in `source_key` a key of the indicators registry (`apps.core.indicators`), a legacy key of
LEGACY_SOURCE_KEYS, or a source registered with `register_indicator_source(key, fn)`, where
`fn(organization, period_start, period_end) -> number`.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.calendar import workdays
from apps.core.notifications.service import notify
from apps.organizations.scoping import Action, restrict
from apps.organizations.selectors import is_staff, unit_ids_of

from . import expr, selectors
from .models import (
    Frequency,
    IndicatorKind,
    ReportPeriod,
    ReportRegime,
    ReportTemplate,
    ReportValue,
    TemplateIndicator,
    UnitReport,
    UnitReportStatus,
)
from .workflow import EDITABLE, UNIT_REPORT, action_label, first_row

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


# Keys stored in TemplateIndicator.source_key before the indicators registry existed, and the
# registry key each one now reads; templates saved with an old key keep pre-filling the same figure.
LEGACY_SOURCE_KEYS = {
    "accounts.created_in_period": "accounts.idesk_accounts.created_in_period",
    "accounts.created_to_date": "accounts.idesk_accounts.created",
    "accounts.deactivated_to_date": "accounts.idesk_accounts.stopped",
    "accounts.active_at_end": "accounts.idesk_accounts.active",
    "itsec.work_computers": "itsec.computers.for_work",
    "itsec.computers_with_antivirus": "itsec.computers.with_antivirus",
    "itsec.computers_on_internet": "itsec.computers.with_broadband",
    "documents.received": "documents.incoming.received",
    "documents.issued": "documents.outgoing.issued",
    "documents.issued_signed": "documents.signed_issued_online",
    "documents.completed_with_deadline": "documents.incoming.completed_with_deadline",
    "documents.completed_on_time": "documents.incoming.completed_on_time",
}


def _from_registry(key: str) -> IndicatorSource:
    """A registered indicator as a source over the cut-off window (stocks: on its last day)."""

    def fn(org, start, end):
        from apps.core import indicators
        from apps.core.periods import Period

        return indicators.get(key).value(org, Period(start, end))

    return fn


def indicator_sources() -> dict[str, IndicatorSource]:
    """Every pre-fill source: the registered indicators, the legacy keys, and explicit sources."""
    from apps.core import indicators

    sources = {ind.key: _from_registry(ind.key) for ind in indicators.all_indicators()}
    sources.update(_SOURCES)
    return sources


def indicator_source(key: str) -> IndicatorSource | None:
    if key in _SOURCES:
        return _SOURCES[key]
    from apps.core import indicators

    try:
        indicators.get(key)
    except LookupError:
        return None
    return _from_registry(key)


def register_foundation_sources() -> None:
    """Kept for the app's start-up: the accounts figures now come from the registry."""
    register_module_sources()


def register_module_sources() -> None:
    """Other modules' figures are read through the indicators registry (the only way this module
    reads another module's numbers); only the legacy aliases are registered here, resolved on call."""
    for old, new in LEGACY_SOURCE_KEYS.items():
        register_indicator_source(old, _from_registry(new))


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


AD_HOC_FIRST_INDEX = 100  # ad-hoc periods number from here, clear of the regular 1–12


def open_ad_hoc_period(
    actor, template, *, label, cutoff_from, cutoff_to, due_date, units=None
) -> ReportPeriod:
    """A report requested outside the schedule (Decree 09/2019: ad-hoc reports follow the
    requester's terms): the leader chooses the units, the data window and the deadline."""
    if not can_configure(actor, template.regime):
        raise PermissionDenied
    label = (label or "").strip()
    errors = {}
    if not label:
        errors["label"] = _("Name the report request.")
    if cutoff_from > cutoff_to:
        errors["cutoff_to"] = _("The data window must end on or after its start.")
    if due_date < cutoff_to:
        errors.setdefault("due_date", []).append(
            _("The deadline cannot be before the end of the data window.")
        )
    if due_date < selectors.today():
        errors.setdefault("due_date", []).append(_("The deadline cannot be in the past."))
    units = list(units) if units is not None else list(template.regime.reporters.all())
    if not units:
        errors["units"] = _("Choose at least one unit.")
    allowed = set(selectors.assignable_units(actor).values_list("pk", flat=True))
    if any(u.pk not in allowed for u in units):
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ReportTemplate.objects.select_for_update().get(pk=template.pk)  # serialise the numbering
        last = (
            ReportPeriod.objects.filter(template=template, year=cutoff_to.year, index__gte=AD_HOC_FIRST_INDEX)
            .order_by("-index")
            .values_list("index", flat=True)
            .first()
        )
        period = _open_period(
            template.regime,
            template,
            cutoff_to.year,
            (last or AD_HOC_FIRST_INDEX - 1) + 1,
            cutoff_from,
            cutoff_to,
            due_date,
            selectors.today(),
            label,
            units=units,
            actor=actor,
        )
    if period is None:
        raise ValidationError(_("The request could not be opened; try again."))
    return period


def _open_period(
    regime, template, year, index, start, end, due, today, label=None, *, units=None, actor=None
):
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
                is_ad_hoc=units is not None,
            )
            record("report_period_opened", period, actor=actor, note=period.label)
            for unit in regime.reporters.all() if units is None else units:
                report = UnitReport.objects.create(period=period, organization=unit)
                first_row(UNIT_REPORT, report, "open", actor)
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
        fn = indicator_source(ind.source_key)
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
    own_units = unit_ids_of(user)
    if scope.everything:
        return base
    return base.filter(organization_id__in=set(scope.organization_ids) | own_units)


def search_reports(qs, q: str = ""):
    """Every word of `q`, insensitive to case and Vietnamese diacritics, in the report's name, its
    period ("quy 1/2022") or its unit. Periods and units are few: their texts are read once and
    matched here, so the list keeps one query for its rows on every database."""
    from apps.core.text import normalize
    from apps.organizations.models import Organization

    words = normalize(q).split()
    if not words:
        return qs
    periods = {
        pk: normalize(f"{name} {label}")
        for pk, name, label in ReportPeriod.objects.filter(pk__in=qs.values("period_id")).values_list(
            "pk", "template__name", "label"
        )
    }
    units = {
        pk: normalize(f"{name} {short or ''} {code}")
        for pk, name, short, code in Organization.objects.filter(
            pk__in=qs.values("organization_id")
        ).values_list("pk", "name", "short_name", "code")
    }
    for word in words:
        qs = qs.filter(
            Q(period_id__in=[pk for pk, text in periods.items() if word in text])
            | Q(organization_id__in=[pk for pk, text in units.items() if word in text])
        )
    return qs


def can_fill(user, report) -> bool:
    return report.organization_id in unit_ids_of(user) and is_staff(user)


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


def save_values(actor, report, values: dict, *, submit: bool = False, now=None) -> UnitReport:
    """Store the unit's values (indicator code → raw input); with `submit`, check completeness and send."""
    if not can_fill(actor, report):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in EDITABLE:  # a draft save is no move; sending is the machine's
            raise workflow.TransitionError(_("This action is not possible in the current state."))
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
        numbers = with_derived(indicators, {k: v for k, v in cleaned.items() if isinstance(v, Decimal)})
        for ind in indicators:
            value = numbers.get(ind.code) if ind.formula else cleaned.get(ind.code)
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

            def sent(r, step):
                r.submitted_at = now
                r.first_submitted_on = r.first_submitted_on or timezone.localdate(now)

            report = workflow.apply(report, "submit", actor, effect=sent)
    return report


def review_report(actor, report, *, accept: bool, comment: str = "") -> UnitReport:
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    with transaction.atomic():
        report = workflow.apply(
            report,
            "accept" if accept else "return",
            actor,
            comment,
            effect=lambda r, step: setattr(r, "reviewer_comment", comment),
        )
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
    totals = with_derived(indicators, totals)
    return {"indicators": indicators, "per_unit": per_unit, "totals": totals}


def previous_period(period):
    """The period before, of the same kind: a regular period compares with the regular one before
    it (an ad-hoc request in between is not "the previous quarter")."""
    return (
        ReportPeriod.objects.filter(
            template__regime=period.template.regime,
            cutoff_to__lt=period.cutoff_to,
            is_ad_hoc=period.is_ad_hoc,
        )
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


def value_text(indicator, value) -> str:
    """A figure as a page prints it: a count "9" (not "9,0"), a decimal or a share "97,06"; text as is."""
    from apps.core.formatting.vn import format_number

    if value is None or value == "":
        return "—"
    if indicator.kind == IndicatorKind.TEXT or isinstance(value, str):
        return str(value)
    number = Decimal(str(value))
    if indicator.kind == IndicatorKind.INTEGER and number == number.to_integral_value():
        return format_number(number)
    return format_number(number, 2)


def summary_rows(period) -> tuple[list[str], list[list[str]]]:
    """`export_rows` as the summary page prints them: figures in Vietnamese format by their kind."""
    headers, rows = export_rows(period)
    indicators = list(period.template.indicators.all())
    return headers, [
        [str(row[0]), row[1], row[2], *(value_text(ind, c) for c in row[3:])]
        for ind, row in zip(indicators, rows, strict=True)
    ]


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


def report_history(report) -> list[dict]:
    """The unit report's timeline as the user reads it: when, who, what, from → to, note."""
    states = dict(UnitReportStatus.choices)
    return [
        {
            "at": h.at,
            "actor": h.actor.get_full_name() if h.actor_id else "",
            "label": action_label(UNIT_REPORT, h.action),
            "from": states.get(h.from_state, h.from_state),
            "to": states.get(h.to_state, h.to_state),
            "changed": h.from_state != h.to_state,
            "note": h.note,
        }
        for h in report.history.select_related("actor")
    ]


def previous_values(report) -> dict:
    """The same unit's figures in the previous period (sent reports only), by indicator code."""
    prev = previous_period(report.period)
    if prev is None:
        return {}
    return {
        v.indicator.code: v.number if v.number is not None else v.text
        for v in ReportValue.objects.filter(
            report__period=prev,
            report__organization_id=report.organization_id,
            report__status__in=(UnitReportStatus.SUBMITTED, UnitReportStatus.ACCEPTED),
        ).select_related("indicator")
    }


def submitted_on_time(report) -> bool | None:
    if report.first_submitted_on is None:
        return None
    return report.first_submitted_on <= report.period.due_date


# ---------------------------------------------------------------- derived indicators


def derived_order(indicators) -> list:
    """The derived indicators in an order where each formula's operands come first.
    Raises FormulaError on a loop (templates are validated on save, so only bad data gets here)."""
    by_code = {ind.code: ind for ind in indicators if ind.formula}
    order, state = [], {}

    def visit(code, path):
        if state.get(code) == "done":
            return
        if state.get(code) == "visiting":
            raise expr.FormulaError(" → ".join([*path, code]))
        state[code] = "visiting"
        for name in sorted(expr.names(by_code[code].formula)):
            if name in by_code:
                visit(name, [*path, code])
        state[code] = "done"
        order.append(by_code[code])

    for code in by_code:
        visit(code, [])
    return order


def with_derived(indicators, numbers: dict) -> dict:
    """`numbers` (code → Decimal) completed with every derived indicator, operands first."""
    values = dict(numbers)
    for ind in derived_order(indicators):
        values[ind.code] = expr.evaluate(ind.formula, values)
    return values


# ---------------------------------------------------------------- configuration: regimes, templates


def can_configure(user, regime=None) -> bool:
    """Leaders set up reporting regimes and templates for the organisations their approve scope
    reaches (the regime's receiver)."""
    if not selectors.is_leader(user):
        return False
    if regime is None:
        return True
    scope = restrict(user, Action.APPROVE)
    return scope.everything or regime.receiver_id in scope.organization_ids


def configurable_regimes(user):
    qs = ReportRegime.objects.select_related("receiver").order_by("name")
    if not selectors.is_leader(user):
        return qs.none()
    scope = restrict(user, Action.APPROVE)
    return qs if scope.everything else qs.filter(receiver_id__in=scope.organization_ids)


def receivers_for(user):
    from apps.organizations.models import Organization

    scope = restrict(user, Action.APPROVE)
    qs = (
        Organization.objects.all()
        if scope.everything
        else Organization.objects.filter(pk__in=scope.organization_ids)
    )
    return qs.order_by("path")


REGIME_FIELDS = (
    "code",
    "name",
    "legal_basis",
    "frequency",
    "cutoff_day",
    "deadline_workdays",
    "open_days_before_cutoff_end",
    "receiver",
    "is_active",
)


def save_regime(actor, regime=None, *, reporters, **fields) -> ReportRegime:
    """Create or change a reporting regime (who reports what to whom, how often, cut-off, deadline)."""
    if regime is not None:  # the stored row decides, not an instance a form may have changed
        regime = ReportRegime.objects.get(pk=regime.pk)
    if not can_configure(actor, regime):
        raise PermissionDenied
    receiver = fields["receiver"]
    if not receivers_for(actor).filter(pk=receiver.pk).exists():
        raise PermissionDenied
    allowed = set(selectors.assignable_units(actor).values_list("pk", flat=True))
    reporters = list(reporters)
    if any(u.pk not in allowed for u in reporters):
        raise PermissionDenied
    with transaction.atomic():
        creating = regime is None
        regime = ReportRegime() if creating else ReportRegime.objects.select_for_update().get(pk=regime.pk)
        errors = {}
        has_periods = not creating and ReportPeriod.objects.filter(template__regime=regime).exists()
        if has_periods and fields["frequency"] != regime.frequency:
            errors["frequency"] = _(
                "Periods of this regime have been opened: its frequency cannot change. "
                "Create a new regime instead."
            )
        if not reporters and fields["frequency"] != Frequency.AD_HOC:
            errors["reporters"] = _("Choose the units that report.")
        before = {name: getattr(regime, name) for name in REGIME_FIELDS if name != "receiver"}
        for name in REGIME_FIELDS:
            setattr(regime, name, fields[name])
        try:
            regime.full_clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        regime.save()
        regime.reporters.set(reporters)
        changes = {
            name: [str(before[name]), str(getattr(regime, name))]
            for name in before
            if not creating and before[name] != getattr(regime, name)
        }
        record(
            "report_regime_created" if creating else "report_regime_changed",
            regime,
            actor=actor,
            note=regime.name[:1000],
            changes=changes or None,
        )
    return regime


def upcoming_periods(regime, year: int) -> list[dict]:
    """The year's periods under the regime's rules: data window, opening day, deadline."""
    if regime.frequency == Frequency.AD_HOC:
        return []
    rows = []
    for index in range(1, 12 // SPAN_MONTHS[regime.frequency] + 1):
        start, end = cutoff_window(regime.frequency, year, index, regime.cutoff_day)
        rows.append(
            {
                "label": period_label(regime.frequency, year, index),
                "cutoff_from": start,
                "cutoff_to": end,
                "opens": end - datetime.timedelta(days=regime.open_days_before_cutoff_end),
                "due": workdays.add_working_days_to_date(end, regime.deadline_workdays),
            }
        )
    return rows


INDICATOR_FIELDS = (
    "code",
    "label",
    "kind",
    "unit",
    "required",
    "min_value",
    "max_value",
    "formula",
    "source_key",
    "order",
)


def validate_indicators(rows: list[dict]) -> None:
    """Check a template's indicators as a whole: codes usable in formulas and unique, formulas that
    parse and name only numeric indicators of the template, no loop between formulas, known
    pre-fill sources, min ≤ max."""
    import re

    errors = []
    if not rows:
        errors.append(_("A template needs at least one indicator."))
    by_code = {}
    for row in rows:
        code = row["code"]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", code or ""):
            errors.append(
                _("Code “%(code)s”: use lower-case letters, digits and underscores, starting with a letter.")
                % {"code": code}
            )
        elif code in by_code:
            errors.append(_("Code “%(code)s” is used twice.") % {"code": code})
        by_code[code] = row
    deps = {}
    for row in rows:
        code = row["code"]
        low, high = row.get("min_value"), row.get("max_value")
        if low is not None and high is not None and low > high:
            errors.append(_("%(code)s: the minimum is above the maximum.") % {"code": code})
        source = row.get("source_key") or ""
        if source and indicator_source(source) is None:
            errors.append(
                _("%(code)s: unknown pre-fill source “%(source)s”.") % {"code": code, "source": source}
            )
        formula = (row.get("formula") or "").strip()
        if not formula:
            continue
        if row["kind"] == IndicatorKind.TEXT:
            errors.append(_("%(code)s: a derived indicator must be a number.") % {"code": code})
        if source:
            errors.append(
                _("%(code)s: a derived indicator is computed, it cannot also be pre-filled.") % {"code": code}
            )
        try:
            names = expr.names(formula)
        except expr.FormulaError:
            errors.append(_("%(code)s: the formula is not valid.") % {"code": code})
            continue
        unknown = sorted(names - by_code.keys())
        if unknown:
            errors.append(
                _("%(code)s: the formula refers to indicators that do not exist: %(names)s.")
                % {"code": code, "names": ", ".join(unknown)}
            )
        text = sorted(n for n in names & by_code.keys() if by_code[n]["kind"] == IndicatorKind.TEXT)
        if text:
            errors.append(
                _("%(code)s: the formula uses text indicators: %(names)s.")
                % {"code": code, "names": ", ".join(text)}
            )
        deps[code] = names & by_code.keys()
    cycle = _find_cycle(deps)
    if cycle:
        errors.append(
            _("The formulas refer to each other in a loop: %(loop)s.") % {"loop": " → ".join(cycle)}
        )
    if errors:
        raise ValidationError(errors)


def _find_cycle(deps: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(code, path):
        if state.get(code) == "visiting":
            return [*path[path.index(code) :], code]
        if state.get(code) == "done" or code not in deps:
            return None
        state[code] = "visiting"
        for name in sorted(deps[code]):
            found = visit(name, [*path, code])
            if found:
                return found
        state[code] = "done"
        return None

    for code in sorted(deps):
        found = visit(code, [])
        if found:
            return found
    return None


def save_template(
    actor, regime, *, name, effective_from, indicators: list[dict], template=None
) -> ReportTemplate:
    """Create a report template, or change one.

    A template that a period already uses is never changed in place (the period keeps the version
    it was opened with): the change becomes a new version, effective from `effective_from`, which
    must come after the version in force before it. An unused template is corrected in place."""
    if not can_configure(actor, regime):
        raise PermissionDenied
    if template is not None and template.regime_id != regime.pk:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the template.")})
    rows = [{k: row.get(k) for k in INDICATOR_FIELDS} for row in indicators]
    for n, row in enumerate(rows, 1):
        row["code"] = (row["code"] or "").strip()
        row["label"] = (row["label"] or "").strip()
        row["formula"] = (row["formula"] or "").strip()
        row["source_key"] = row["source_key"] or ""
        row["unit"] = row["unit"] or ""
        row["required"] = bool(row["required"])
        row["order"] = row["order"] if row["order"] is not None else n
        row["kind"] = row["kind"] or IndicatorKind.INTEGER
    validate_indicators(rows)
    with transaction.atomic():
        ReportRegime.objects.select_for_update().get(pk=regime.pk)  # one version number at a time
        in_place = template is not None and not template.periods.exists()
        others = ReportTemplate.objects.filter(regime=regime)
        if in_place:
            others = others.exclude(pk=template.pk)
            if others.filter(effective_from=effective_from).exists():
                raise ValidationError(
                    {"effective_from": _("Another version of this regime takes effect on the same day.")}
                )
            template.name, template.effective_from = name, effective_from
            template.save(update_fields=["name", "effective_from"])
            template.indicators.all().delete()
            verb = "report_template_changed"
        else:
            latest = others.order_by("-effective_from", "-version").first()
            if latest is not None and effective_from <= latest.effective_from:
                raise ValidationError(
                    {
                        "effective_from": _("A new version must take effect after %(date)s.")
                        % {"date": latest.effective_from.strftime("%d/%m/%Y")}
                    }
                )
            version = (others.order_by("-version").values_list("version", flat=True).first() or 0) + 1
            template = ReportTemplate.objects.create(
                regime=regime, name=name, version=version, effective_from=effective_from
            )
            verb = "report_template_created"
        TemplateIndicator.objects.bulk_create(TemplateIndicator(template=template, **row) for row in rows)
        record(verb, template, actor=actor, note=f"{template.name} (v{template.version})"[:1000])
    return template


def indicator_rows(template) -> list[dict]:
    return [{k: getattr(ind, k) for k in INDICATOR_FIELDS} for ind in template.indicators.all()]
