"""Indicators of official documents (the plan's I.V, iDesk: documents signed and issued online).

Each function takes an organisation (its subtree is counted) and a period (start and end dates,
inclusive, local time) and returns named values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from apps.core import indicators as registry
from apps.core.periods import Period

from .models import (
    IncomingDocument,
    IncomingStatusChange,
    OutgoingDocument,
    OutgoingStatus,
    OutgoingStatusChange,
)


def _share(part: int, whole: int) -> Decimal | None:
    """A percentage with two decimals (57.40), or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DocumentFigures:
    received: int  # incoming documents registered in the period
    issued: int  # outgoing documents issued (document date in the period)
    issued_signed: int  # of which digitally signed
    signed_share: Decimal | None  # issued_signed / issued, in %
    completed_with_deadline: int  # incoming documents completed in the period that had a deadline
    completed_on_time: int  # of which completed on or before the deadline
    on_time_share: Decimal | None  # in %
    active_users: int  # distinct users who acted on a document in the period


def figures(organization, period: Period) -> DocumentFigures:
    start, end = period.bounds()
    path = organization.path
    incoming = IncomingDocument.objects.filter(organization__path__startswith=path)
    outgoing = OutgoingDocument.objects.filter(organization__path__startswith=path)
    received = incoming.filter(arrived_at__gte=start, arrived_at__lt=end).count()
    issued_qs = outgoing.filter(
        status=OutgoingStatus.ISSUED, issued_date__gte=period.start, issued_date__lte=period.end
    )
    issued = issued_qs.count()
    signed = issued_qs.filter(digitally_signed=True).count()
    done = incoming.filter(completed_at__gte=start, completed_at__lt=end, deadline__isnull=False)
    # completed_at is compared to the end of the deadline day (local time)
    on_time = sum(
        1
        for completed, deadline in done.values_list("completed_at", "deadline")
        if timezone.localdate(completed) <= deadline
    )
    actors = set(
        IncomingStatusChange.objects.filter(
            document__in=incoming, at__gte=start, at__lt=end, actor__isnull=False
        ).values_list("actor_id", flat=True)
    ) | set(
        OutgoingStatusChange.objects.filter(
            document__in=outgoing, at__gte=start, at__lt=end, actor__isnull=False
        ).values_list("actor_id", flat=True)
    )
    total_done = done.count()
    return DocumentFigures(
        received=received,
        issued=issued,
        issued_signed=signed,
        signed_share=_share(signed, issued),
        completed_with_deadline=total_done,
        completed_on_time=on_time,
        on_time_share=_share(on_time, total_done),
        active_users=len(actors),
    )


def received(organization, period: Period) -> int:
    return figures(organization, period).received


def issued(organization, period: Period) -> int:
    return figures(organization, period).issued


def signed_share(organization, period: Period) -> Decimal | None:
    return figures(organization, period).signed_share


def on_time_share(organization, period: Period) -> Decimal | None:
    return figures(organization, period).on_time_share


def active_users(organization, period: Period) -> int:
    return figures(organization, period).active_users


# ---------------------------------------------------------------- the registry (DESIGN.md contract)

_figures = registry.shared(figures)


def _publish(key, label, unit, name):
    def fn(organization, period: Period):
        return getattr(_figures(organization, period), name)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


_publish("documents.incoming.received", "Văn bản đến tiếp nhận trong kỳ", "văn bản", "received")
_publish("documents.outgoing.issued", "Văn bản đi phát hành trong kỳ", "văn bản", "issued")
_publish(
    "documents.signed_issued_online",
    "Văn bản đi được ký số và phát hành trên hệ thống",
    "văn bản",
    "issued_signed",
)
_publish(
    "documents.signed_issued_online.share",
    "Tỷ lệ văn bản đi được ký số, phát hành trên hệ thống",
    "%",
    "signed_share",
)
_publish(
    "documents.incoming.completed_with_deadline",
    "Văn bản đến có hạn xử lý đã hoàn thành trong kỳ",
    "văn bản",
    "completed_with_deadline",
)
_publish(
    "documents.incoming.completed_on_time", "Văn bản đến hoàn thành đúng hạn", "văn bản", "completed_on_time"
)
_publish("documents.incoming.on_time.share", "Tỷ lệ văn bản đến hoàn thành đúng hạn", "%", "on_time_share")
_publish("documents.active_users", "Người dùng xử lý văn bản trên hệ thống trong kỳ", "người", "active_users")


__all__ = ["DocumentFigures", "Period", "figures"]
