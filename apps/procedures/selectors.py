"""Read queries of the catalogue."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Func, Q, QuerySet, TextField
from django.db.models.functions import Lower
from django.utils import timezone

from .models import ProcedureVersion, VersionStatus
from .text import normalize


def today() -> datetime.date:
    return timezone.localdate()


def effective_on(queryset: QuerySet, on: datetime.date | None = None) -> QuerySet:
    """Versions in force on `on` (today by default).

    A retired version still counts for the dates it was in force (its `effective_to` is always
    set), so figures for a past date do not change when a procedure is later replaced.
    """
    on = on or today()
    statuses = [VersionStatus.PUBLISHED, VersionStatus.RETIRED]
    return queryset.filter(status__in=statuses, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )


class Unaccent(Func):
    function = "UNACCENT"
    output_field = TextField()


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Diacritic- and case-insensitive search on the name and national code of versions.

    PostgreSQL: the `unaccent` extension on the live columns; other databases: the normalised
    `search_text` column kept up to date on save. Every word must match.
    """
    words = normalize(text).split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(_plain_name=Lower(Unaccent("name")), _plain_code=Lower(Unaccent("code")))
        for word in words:
            queryset = queryset.filter(Q(_plain_name__contains=word) | Q(_plain_code__contains=word))
        return queryset
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def catalogue(
    *,
    field_id: int | None = None,
    field_name: str | None = None,
    legacy_level=None,
    online_level=None,
    text: str = "",
    on: datetime.date | None = None,
) -> QuerySet:
    """The public catalogue: the versions in force, filtered."""
    qs = effective_on(ProcedureVersion.objects.select_related("field", "competent_unit"), on)
    if field_id:
        qs = qs.filter(field_id=field_id)
    if field_name:
        qs = qs.filter(field__name=field_name)
    if legacy_level:
        qs = qs.filter(legacy_level=legacy_level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return search(qs, text).order_by("field__name", "name")


def staff_versions(*, text: str = "", status: str = "") -> QuerySet:
    """Every version, newest first per procedure, for the administrators' catalogue screens."""
    qs = ProcedureVersion.objects.select_related("field", "procedure", "competent_unit")
    if status:
        qs = qs.filter(status=status)
    return search(qs, text).order_by("field__name", "name", "-number")


# --------------------------------------------------------------------------- public page cache
# The public catalogue is read far more often than it changes: its rendered list is cached under a
# generation number that every change of a procedure, version or field bumps (apps.py connects the
# signals, so imports and the admin invalidate too), and under today's date (versions take effect
# on a date, without any write).
CATALOGUE_GENERATION = "procedures:catalogue:generation"


def catalogue_generation() -> int:
    from django.core.cache import cache

    return cache.get_or_set(CATALOGUE_GENERATION, 1, timeout=None)


def catalogue_changed(**_kwargs) -> None:
    from django.core.cache import cache

    try:
        cache.incr(CATALOGUE_GENERATION)
    except ValueError:  # not set yet (or evicted): any new number invalidates
        cache.set(CATALOGUE_GENERATION, 2, timeout=None)
