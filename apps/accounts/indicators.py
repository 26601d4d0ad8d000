"""Indicators of the accounts module (the plan's I.V: accounts created, stopped, in use).

Each function takes an organisation (its subtree is counted) and a period, and returns named
values. Only staff accounts count: those holding a non-citizen role in the subtree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from apps.core import indicators as registry
from apps.core.periods import Period

from .models import AccountStatus, DeactivationReason, User


@dataclass(frozen=True)
class AccountFigures:
    created_to_date: int  # accounts created up to the end of the period
    created_in_period: int
    deactivated_to_date: int  # accounts stopped (transfer, retirement…) up to the end of the period
    deactivated_by_reason: dict[str, int]
    active_at_end: int  # accounts in use at the end of the period


def _staff_accounts(organization):
    return User.objects.filter(
        Q(memberships__organization__path__startswith=organization.path) & ~Q(memberships__role="citizen")
    ).distinct()


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def account_figures(organization, period: Period) -> AccountFigures:
    """Accounts created, stopped and in use for `organization`'s subtree as of the period's end.

    An account is counted as stopped when its deactivation date falls on or before the period's
    end; one reactivated later counts as in use from its new status date.
    """
    end = _day_end(period.end)
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    existing = _staff_accounts(organization).filter(date_joined__lte=end)
    stopped = existing.filter(status=AccountStatus.DEACTIVATED, status_changed_on__lte=period.end)
    by_reason = dict(
        User.objects.filter(pk__in=stopped.values("pk"))
        .order_by()
        .values_list("deactivation_reason")
        .annotate(n=Count("pk"))
    )
    created = existing.count()
    deactivated = stopped.count()
    return AccountFigures(
        created_to_date=created,
        created_in_period=existing.filter(date_joined__gte=start).count(),
        deactivated_to_date=deactivated,
        deactivated_by_reason={r.value: by_reason.get(r.value, 0) for r in DeactivationReason},
        active_at_end=created - deactivated,
    )


# ---------------------------------------------------------------- the registry (DESIGN.md contract)

_figures = registry.shared(account_figures)


def _publish(key, label, getter, unit="tài khoản"):
    def fn(organization, period: Period):
        return getter(_figures(organization, period))

    fn.__qualname__ = key  # one function per key: a second module registering the key is caught
    registry.register(key, label, unit, fn)


_publish(
    "accounts.idesk_accounts.created", "Tài khoản đã cấp (lũy kế đến cuối kỳ)", lambda f: f.created_to_date
)
_publish(
    "accounts.idesk_accounts.created_in_period", "Tài khoản cấp mới trong kỳ", lambda f: f.created_in_period
)
_publish(
    "accounts.idesk_accounts.stopped",
    "Tài khoản đã dừng sử dụng (chuyển công tác, nghỉ hưu…) đến cuối kỳ",
    lambda f: f.deactivated_to_date,
)
_publish("accounts.idesk_accounts.active", "Tài khoản đang sử dụng cuối kỳ", lambda f: f.active_at_end)
for _reason, _label in (
    (DeactivationReason.TRANSFER, "Tài khoản dừng do chuyển công tác"),
    (DeactivationReason.RETIREMENT, "Tài khoản dừng do nghỉ hưu"),
    (DeactivationReason.RESIGNATION, "Tài khoản dừng do thôi việc"),
    (DeactivationReason.OTHER, "Tài khoản dừng vì lý do khác"),
):
    _publish(
        f"accounts.idesk_accounts.stopped.{_reason.value}",
        _label,
        lambda f, r=_reason.value: f.deactivated_by_reason[r],
    )
