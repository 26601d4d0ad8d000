"""Working-day calendar: which days are working days, and deadline arithmetic in office time.

The rules (legal-rules.md A2): deadlines count **working days**; one working day is **8 working
hours**, the office hours of :class:`CalendarSettings` (07:30–11:30 and 13:30–17:30 by default).

A day is a working day when, in this order of precedence:

1. the override table (:class:`CalendarOverride`) says so — it wins over everything;
2. otherwise ``holidays.VN`` decides: its public holidays, Tết and compensatory days are days
   off; its own make-up Saturdays (e.g. 22/08/2026, swapped for 31/08/2026) are working days;
3. otherwise Monday–Friday work, Saturday and Sunday are off.

Every datetime taken is timezone-aware (naive → ``ValueError``); computation happens in the
project's local time (``settings.TIME_ZONE``, Asia/Ho_Chi_Minh) and every datetime returned is
aware, in that zone.

Caching: the overrides of a year and the office hours are cached in-process, cleared on
save/delete of either model (at once and again when the transaction commits), and re-read after
``CACHE_SECONDS`` at the latest so that other processes of a cluster also see an edit. Data read
inside an open transaction is never put in the shared cache (it could still be rolled back).
"""

from __future__ import annotations

import datetime as dt
import threading
import time as _time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

import holidays
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import CalendarOverride, CalendarSettings, DayKind

__all__ = [
    "HOURS_PER_DAY",
    "OfficeHours",
    "add_working_days",
    "add_working_days_to_date",
    "add_working_hours",
    "clear_cache",
    "day_off_name",
    "days_off_between",
    "is_working_day",
    "next_working_moment",
    "office_hours",
    "receipt_start",
    "working_days_between",
    "working_hours_between",
]

HOURS_PER_DAY = Decimal(8)
CACHE_SECONDS = 60
# No real calendar has this many days off in a row; reaching it means the override table is wrong.
_MAX_DAYS_WITHOUT_WORK = 366
_QUANTUM = Decimal("0.0001")
_ONE_DAY = dt.timedelta(days=1)
_HOUR = dt.timedelta(hours=1)


# ---------------------------------------------------------------------------------------------
# Office hours
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeHours:
    """The working periods of a working day and the optional receipt cut-off (local times)."""

    periods: tuple[tuple[dt.time, dt.time], ...]
    receipt_cutoff: dt.time | None = None

    @classmethod
    def from_settings(cls, obj: CalendarSettings) -> OfficeHours:
        periods = ((obj.morning_start, obj.morning_end), (obj.afternoon_start, obj.afternoon_end))
        previous_end = None
        for start, end in periods:
            if not start < end or (previous_end is not None and start < previous_end):
                raise ImproperlyConfigured(
                    "Calendar settings: office hours must be ordered "
                    "(morning start < morning end <= afternoon start < afternoon end)."
                )
            previous_end = end
        return cls(periods=periods, receipt_cutoff=obj.receipt_cutoff)


# ---------------------------------------------------------------------------------------------
# Caches
# ---------------------------------------------------------------------------------------------

_lock = threading.Lock()
_override_cache: dict[int, tuple[float, dict[dt.date, CalendarOverride]]] = {}
_hours_cache: list[tuple[float, OfficeHours]] = []
# Bumped on every clear: rows read before a clear are not stored after it (they may be stale).
_generation = [0]


def clear_cache(**_kwargs) -> None:
    """Forget the cached overrides and office hours (called by the model signals)."""
    with _lock:
        _generation[0] += 1
        _override_cache.clear()
        _hours_cache.clear()


@receiver(post_save, sender=CalendarOverride, dispatch_uid="calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="calendar_override_deleted")
@receiver(post_save, sender=CalendarSettings, dispatch_uid="calendar_settings_saved")
@receiver(post_delete, sender=CalendarSettings, dispatch_uid="calendar_settings_deleted")
def _calendar_changed(sender, using=None, **kwargs) -> None:
    clear_cache()
    # Another thread may refill the cache with the old committed rows before this transaction
    # commits: clear once more when it does.
    transaction.on_commit(clear_cache, using=using)


def _may_cache(using: str | None = None) -> bool:
    return not transaction.get_connection(using).in_atomic_block


def _fresh(loaded_at: float) -> bool:
    return _time.monotonic() - loaded_at < CACHE_SECONDS


def office_hours() -> OfficeHours:
    """The configured office hours (defaults of the model when the settings row does not exist)."""
    with _lock:
        if _hours_cache and _fresh(_hours_cache[0][0]):
            return _hours_cache[0][1]
        generation = _generation[0]
    # Read without creating the row: a GET on the public API should not write.
    obj = CalendarSettings.objects.filter(pk=1).first() or CalendarSettings()
    hours = OfficeHours.from_settings(obj)
    if _may_cache():
        with _lock:
            if generation == _generation[0]:
                _hours_cache[:] = [(_time.monotonic(), hours)]
    return hours


def _overrides_of_year(year: int) -> dict[dt.date, CalendarOverride]:
    with _lock:
        cached = _override_cache.get(year)
        if cached and _fresh(cached[0]):
            return cached[1]
        generation = _generation[0]
    rows = {
        row.date: row
        for row in CalendarOverride.objects.filter(date__year=year).only("date", "kind", "reason")
    }
    if _may_cache():
        with _lock:
            if generation == _generation[0]:
                _override_cache[year] = (_time.monotonic(), rows)
    return rows


@lru_cache(maxsize=64)
def _vn_holidays(year: int) -> holidays.HolidayBase:
    # language="vi" is required: without it the names follow the process locale, and under
    # C.UTF-8 (servers, CI) they come out in English although the package's default is "vi".
    return holidays.VN(years=year, language="vi")


class _Calendar:
    """One computation's view of the calendar: office hours plus per-year lookups, read once."""

    def __init__(self) -> None:
        self._years: dict[int, dict[dt.date, CalendarOverride]] = {}

    @cached_property
    def hours(self) -> OfficeHours:
        return office_hours()

    def override(self, day: dt.date) -> CalendarOverride | None:
        year = self._years.get(day.year)
        if year is None:
            year = self._years[day.year] = _overrides_of_year(day.year)
        return year.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        override = self.override(day)
        if override is not None:
            return override.kind == DayKind.WORKING_DAY
        # holidays.VN: holidays (incl. those on weekdays) are off; weekends are off except the
        # make-up Saturdays it knows (``weekend_workdays``, e.g. 22/08/2026).
        return _vn_holidays(day.year).is_working_day(day)

    def day_off_name(self, day: dt.date) -> str | None:
        override = self.override(day)
        if override is not None:
            return override.reason if override.kind == DayKind.DAY_OFF else None
        return _vn_holidays(day.year).get(day)

    def periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working periods of ``day`` as naive local datetimes (empty on a day off)."""
        if not self.is_working_day(day):
            return []
        return [(dt.datetime.combine(day, s), dt.datetime.combine(day, e)) for s, e in self.hours.periods]

    def next_working_day(self, day: dt.date) -> dt.date:
        for _ in range(_MAX_DAYS_WITHOUT_WORK):
            day += _ONE_DAY
            if self.is_working_day(day):
                return day
        raise _no_working_day(day)

    def previous_working_day(self, day: dt.date) -> dt.date:
        for _ in range(_MAX_DAYS_WITHOUT_WORK):
            day -= _ONE_DAY
            if self.is_working_day(day):
                return day
        raise _no_working_day(day)

    def next_moment(self, local: dt.datetime) -> dt.datetime:
        """``local`` if inside a working period (start included, end excluded), else the next start."""
        for start, end in self.periods(local.date()):
            if local < start:
                return start
            if local < end:
                return local
        return self.periods(self.next_working_day(local.date()))[0][0]

    def previous_moment(self, local: dt.datetime) -> dt.datetime:
        """``local`` if inside a working period (start excluded, end included), else the last end."""
        for start, end in reversed(self.periods(local.date())):
            if local > end:
                return end
            if local > start:
                return local
        return self.periods(self.previous_working_day(local.date()))[-1][1]

    def period_at(self, local: dt.datetime, *, backwards: bool = False) -> tuple[dt.datetime, dt.datetime]:
        for start, end in self.periods(local.date()):
            if (start < local <= end) if backwards else (start <= local < end):
                return start, end
        raise AssertionError("not inside a working period")  # pragma: no cover

    def add(self, local: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        if amount < dt.timedelta(0):
            return self._subtract(local, -amount)
        current = self.next_moment(local)
        remaining = amount
        while True:
            _start, end = self.period_at(current)
            if remaining <= end - current:
                # Landing exactly on the end of a period stays there (17:30, not 07:30 next day).
                return current + remaining
            remaining -= end - current
            current = self.next_moment(end)

    def _subtract(self, local: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        current = self.previous_moment(local)
        remaining = amount
        while True:
            start, _end = self.period_at(current, backwards=True)
            if remaining <= current - start:
                return current - remaining
            remaining -= current - start
            current = self.previous_moment(start)

    def office_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time in [start, end] for naive local datetimes with start <= end."""
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            for p_start, p_end in self.periods(day):
                overlap = min(p_end, end) - max(p_start, start)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += _ONE_DAY
        return total


def _no_working_day(day: dt.date) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"No working day within {_MAX_DAYS_WITHOUT_WORK} days of {day:%d/%m/%Y}: "
        "check the calendar overrides."
    )


# ---------------------------------------------------------------------------------------------
# Time-zone helpers
# ---------------------------------------------------------------------------------------------


def _to_local(moment: dt.datetime, name: str = "moment") -> dt.datetime:
    """Aware datetime → naive wall-clock time in the project's time zone."""
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}.")
    if timezone.is_naive(moment):
        raise ValueError(
            f"{name}={moment.isoformat()} is a naive datetime; the working-day calendar needs a "
            "timezone-aware datetime (e.g. django.utils.timezone.make_aware(value) or timezone.now())."
        )
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)


def _to_aware(local: dt.datetime) -> dt.datetime:
    return timezone.make_aware(local, timezone.get_default_timezone())


def _to_timedelta(hours: float | int | Decimal) -> dt.timedelta:
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
        raise TypeError(f"hours must be a number, not {type(hours).__name__}.")
    value = Decimal(str(hours)) if isinstance(hours, float) else Decimal(hours)
    if not value.is_finite():
        raise ValueError(f"hours must be finite, not {hours}.")
    microseconds = (value * 3_600_000_000).to_integral_value(rounding=ROUND_HALF_UP)
    return dt.timedelta(microseconds=int(microseconds))


def _hours(delta: dt.timedelta, per: Decimal = Decimal(1)) -> Decimal:
    """``delta`` in hours (or in units of ``per`` hours), rounded to 4 decimals."""
    micro = Decimal(delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds)
    return (micro / (per * 3_600_000_000)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """True on a working day (override table > holidays.VN incl. make-up Saturdays > Mon–Fri)."""
    if isinstance(day, dt.datetime):
        day = _to_local(day, "day").date()
    return _Calendar().is_working_day(day)


def day_off_name(day: dt.date) -> str | None:
    """The reason ``day`` is off beyond the weekend (override reason or Vietnamese holiday name)."""
    return _Calendar().day_off_name(day)


def days_off_between(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Named days off (holidays, compensatory days, override days off) in [start, end], in order.

    Plain weekends are not listed; a holiday falling on a weekend is.
    """
    cal = _Calendar()
    found = []
    day = start
    while day <= end:
        if not cal.is_working_day(day):
            name = cal.day_off_name(day)
            if name:
                found.append((day, name))
        day += _ONE_DAY
    return found


def next_working_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` if inside office hours on a working day, else the start of the next working period."""
    local = _to_local(moment)
    return _to_aware(_Calendar().next_moment(local))


def receipt_start(moment: dt.datetime) -> dt.datetime:
    """When the clock starts for something received at ``moment``.

    With a receipt cut-off configured, a receipt after it (on a working day) counts from the first
    working hour of the next working day. Otherwise — and before the cut-off — the clock starts at
    :func:`next_working_moment`: at once during office hours, at the next period's start during
    lunch or before the morning, on the next working day's first hour after hours or on a day off.
    """
    local = _to_local(moment)
    cal = _Calendar()
    cutoff = cal.hours.receipt_cutoff
    if cutoff is not None and cal.is_working_day(local.date()) and local.time() > cutoff:
        return _to_aware(cal.periods(cal.next_working_day(local.date()))[0][0])
    return _to_aware(cal.next_moment(local))


def add_working_hours(moment: dt.datetime, hours: float | int | Decimal) -> dt.datetime:
    """``moment`` plus ``hours`` of office time, counted from :func:`next_working_moment`.

    A result exactly at the end of a period stays there (e.g. 17:30). Negative ``hours`` count
    backwards (a result exactly at the start of a period stays there).
    """
    local, amount = _to_local(moment), _to_timedelta(hours)
    return _to_aware(_Calendar().add(local, amount))


def add_working_days(moment: dt.datetime, n: int | float | Decimal) -> dt.datetime:
    """``moment`` plus ``n`` working days = ``n`` × 8 hours of office time.

    Received Friday 16:00 + 1 working day → Monday 16:00 (Monday a working day). For a receipt,
    pass :func:`receipt_start` of the receipt time so that the cut-off applies.
    """
    if isinstance(n, bool) or not isinstance(n, int | float | Decimal):
        raise TypeError(f"n must be a number, not {type(n).__name__}.")
    hours = (Decimal(str(n)) if isinstance(n, float) else Decimal(n)) * HOURS_PER_DAY
    return add_working_hours(moment, hours)


def add_working_days_to_date(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (before it when ``n`` < 0); ``day`` itself when ``n`` = 0."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError("day must be a date (use add_working_days for a datetime).")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}.")
    cal = _Calendar()
    step = cal.next_working_day if n > 0 else cal.previous_working_day
    for _ in range(abs(n)):
        day = step(day)
    return day


def working_hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Office hours between two moments (4 decimals); negative when ``end`` is before ``start``."""
    local_start, local_end = _to_local(start, "start"), _to_local(end, "end")
    if local_end < local_start:
        return -working_hours_between(end, start)
    return _hours(_Calendar().office_time_between(local_start, local_end))


def working_days_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Working days between two moments (office hours / 8, 4 decimals); negative when reversed."""
    local_start, local_end = _to_local(start, "start"), _to_local(end, "end")
    if local_end < local_start:
        return -working_days_between(end, start)
    return _hours(_Calendar().office_time_between(local_start, local_end), per=HOURS_PER_DAY)
