"""Reference counters: gap-free sequence numbers per register, organisation and period.

`next_number()` is the only way a number is taken. It runs inside `transaction.atomic()` and locks
the counter row with SELECT … FOR UPDATE, so on PostgreSQL two parallel transactions never get
the same number, and a caller whose transaction rolls back gives its number back (no gap). The
lock is held until the caller's outermost transaction ends: take the number late in a service,
just before the row that carries it is saved.

`format_reference()` takes the next number and renders the register's `CounterDefinition.format`,
e.g. document numbers "{seq:02d}/{doc_type}-SKHCN" → "172/KH-SKHCN" (Decree 30/2020, legal-rules
B2: numbers below 10 get a leading zero, yearly restart) or dossier codes
"{org_code}-{date}-{seq:04d}" → "000.00.00.H19-261127-0001" (legal-rules A4, daily restart).
"""

from __future__ import annotations

import datetime as dt
import string

from django.db import transaction
from django.utils import timezone

from .models import Counter, CounterDefinition, ResetPeriod

DEFAULT_FORMAT = "{seq}"
ALL_TIME = "all"


def _local_date(at: dt.date | dt.datetime | None) -> dt.date:
    """The local calendar date of `at` (default: today in the project's time zone)."""
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        if timezone.is_aware(at):
            return timezone.localtime(at).date()
        return at.date()  # a naive datetime is taken as local time
    if isinstance(at, dt.date):
        return at
    raise TypeError(f"`at` must be a date or datetime, not {type(at).__name__}")


def period_for(reset: str, day: dt.date) -> str:
    """The period label a number belongs to: "2026", "2026-11-27" or "all"."""
    if reset == ResetPeriod.DAILY:
        return day.isoformat()
    if reset == ResetPeriod.NEVER:
        return ALL_TIME
    return f"{day.year:04d}"


def _definition(key: str) -> CounterDefinition | None:
    return CounterDefinition.objects.filter(key=key).first()


def next_number(key: str, *, organization=None, at: dt.date | dt.datetime | None = None) -> int:
    """Take the next number of register `key` for `organization` (None: one shared series).

    The period comes from the register's CounterDefinition.reset (yearly when there is no
    definition) and the local date of `at`. Safe under concurrency on PostgreSQL; the number is
    given back if the caller's transaction rolls back.
    """
    definition = _definition(key)
    reset = definition.reset if definition else ResetPeriod.YEARLY
    return _take(key, organization, period_for(reset, _local_date(at)))


def _take(key: str, organization, period: str) -> int:
    scope = {"key": key, "organization": organization, "period": period}
    with transaction.atomic():
        counter = Counter.objects.select_for_update().filter(**scope).first()
        if counter is None:
            # Create the row, tolerating a parallel transaction that creates it first: ON CONFLICT
            # DO NOTHING (INSERT OR IGNORE on SQLite) waits for that transaction and then does
            # nothing; the locked read below then sees its row. Both unique constraints (with and
            # without an organisation) count as conflicts.
            Counter.objects.bulk_create([Counter(value=0, **scope)], ignore_conflicts=True)
            counter = Counter.objects.select_for_update().get(**scope)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


def _fields_needed(fmt: str) -> set[str]:
    names = set()
    for _literal, field_name, _spec, _conversion in string.Formatter().parse(fmt):
        if field_name is None:
            continue
        # "{a.b}" or "{a[0]}" needs the field "a"
        names.add(field_name.split(".", 1)[0].split("[", 1)[0])
    return names


def _context(seq: int, day: dt.date, org_code: str | None, fields: dict) -> dict:
    context = {
        "seq": seq,
        "year": day.year,
        "yy": f"{day.year % 100:02d}",
        "mm": f"{day.month:02d}",
        "dd": f"{day.day:02d}",
        "date": day.strftime("%y%m%d"),
    }
    if org_code:
        context["org_code"] = org_code
    context.update(fields)
    return context


def _render(key: str, fmt: str, context: dict) -> str:
    missing = sorted(name for name in _fields_needed(fmt) if name not in context)
    if "" in missing:
        raise ValueError(f"Counter format {fmt!r} of {key!r} has an unnamed field {{}}; name every field.")
    if missing:
        raise ValueError(
            f"Counter format {fmt!r} of {key!r} needs the field(s) {', '.join(missing)}; "
            f"pass them to format_reference() as keyword arguments."
        )
    try:
        return fmt.format_map(context)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"Counter format {fmt!r} of {key!r} cannot be rendered: {exc}") from exc


def format_reference(
    key: str, *, organization=None, at: dt.date | dt.datetime | None = None, **fields
) -> str:
    """Take the next number of register `key` and render the register's format.

    Fields available to the format: seq, year (2026), yy ("26"), mm, dd, date ("261127", YYMMDD),
    org_code (the `org_code` keyword, else the organisation's code) and any extra keyword
    (e.g. doc_type="KH"). A missing field raises ValueError before any number is taken. Without a
    CounterDefinition the format is "{seq}" with a yearly restart.
    """
    definition = _definition(key)
    fmt = definition.format if definition else DEFAULT_FORMAT
    reset = definition.reset if definition else ResetPeriod.YEARLY
    day = _local_date(at)
    org_code = fields.pop("org_code", None) or (getattr(organization, "code", None) if organization else None)

    # Render once with a placeholder number so that a bad format or a missing field fails before
    # a number is taken.
    _render(key, fmt, _context(1, day, org_code, fields))
    with transaction.atomic():
        seq = _take(key, organization, period_for(reset, day))
        return _render(key, fmt, _context(seq, day, org_code, fields))
