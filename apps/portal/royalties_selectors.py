"""Read queries of the royalties: items, amounts per person and period."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from apps.core.text import normalize

from .models import PaymentList, RoyaltyItem, RoyaltyShare


def items(query: str = "") -> QuerySet:
    qs = RoyaltyItem.objects.select_related("genre", "genre__frame", "payment_list").prefetch_related(
        "shares__contributor"
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(shares__contributor__full_name__icontains=query)
            | Q(genre__name__icontains=query)
        ).distinct()
    return qs


def filter_plain(rows, query: str, text) -> list:
    """Diacritic-insensitive filter in Python for small lists (e.g. contributors)."""
    words = normalize(query).split()
    return [r for r in rows if all(w in normalize(text(r)) for w in words)]


def amounts_by_person(start: dt.date, end: dt.date, *, payment_list: PaymentList | None = None) -> list[dict]:
    """Per person: items and amount of the royalties of items published between start and end
    (or on one payment list), sorted by name."""
    shares = RoyaltyShare.objects.all()
    if payment_list is not None:
        shares = shares.filter(item__payment_list=payment_list)
    else:
        shares = shares.filter(item__published_on__gte=start, item__published_on__lte=end)
    rows = (
        shares.values(
            "contributor_id",
            "contributor__full_name",
            "contributor__id_number",
            "contributor__tax_code",
            "contributor__bank_account",
            "contributor__bank_name",
            "contributor__user_id",
        )
        .annotate(items=Count("item", distinct=True), amount=Sum("amount"))
        .order_by("contributor__full_name", "contributor_id")
    )
    return [
        {
            "contributor_id": r["contributor_id"],
            "name": r["contributor__full_name"],
            "id_number": r["contributor__id_number"],
            "tax_code": r["contributor__tax_code"],
            "bank_account": r["contributor__bank_account"],
            "bank_name": r["contributor__bank_name"],
            "is_staff": r["contributor__user_id"] is not None,
            "items": r["items"],
            "amount": int(r["amount"] or 0),
        }
        for r in rows
    ]
