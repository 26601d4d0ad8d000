"""Royalty services: value an item, build payment lists, move them draft → approved → paid.

Every state change: permission check → transaction → audit event (apps.audit.services.record); a
payment list moves only through its machine (portal/workflow.py), which writes its history row too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.core.counters.service import next_number
from apps.core.formatting.vn import format_number as vn_number

from . import royalties_access as access
from . import workflow as machines  # noqa: F401  (registers the payment list's machine)
from .models import (
    BaseSalary,
    PaymentList,
    PaymentListStatus,
    RoyaltyBudget,
    RoyaltyContributor,
    RoyaltyGenre,
    RoyaltyItem,
    RoyaltyShare,
    royalty_amount,
)

S = PaymentListStatus

# Statuses whose amounts count as spent (committed) against the year's budget line.
COMMITTED = (S.APPROVED, S.PAID)


# ---------------------------------------------------------------- valuation


def base_salary_on(day: dt.date) -> int:
    row = BaseSalary.on(day)
    if row is None:
        raise ValidationError(
            _("No base salary is recorded for %(day)s. Add it in the configuration first.")
            % {"day": day.strftime("%d/%m/%Y")},
            code="no_base_salary",
        )
    return row.amount


def check_coefficient(genre: RoyaltyGenre, coefficient: Decimal, published_on: dt.date) -> None:
    frame = genre.frame
    if published_on < frame.effective_from or (frame.effective_to and published_on > frame.effective_to):
        raise ValidationError(
            {
                "genre": _(
                    "This genre belongs to a royalty frame that was not in force on the publication date."
                )
            },
            code="frame_not_in_force",
        )
    if not genre.min_coefficient <= coefficient <= genre.max_coefficient:
        raise ValidationError(
            {
                "coefficient": _("The coefficient must be between %(min)s and %(max)s for this genre.")
                % {"min": vn_number(genre.min_coefficient, 2), "max": vn_number(genre.max_coefficient, 2)}
            },
            code="coefficient_out_of_frame",
        )


def split(amount: int, percents: list[Decimal]) -> list[int]:
    """Amounts of each share, rounded to the đồng; the rounding difference goes to the first share."""
    parts = [int((Decimal(amount) * p / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for p in percents]
    if parts:
        parts[0] += amount - sum(parts)
    return parts


def _check_authors(authors: list[tuple[RoyaltyContributor, Decimal]]) -> None:
    if not authors:
        raise ValidationError(_("Name at least one author."), code="no_author")
    ids = [c.pk for c, _p in authors]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("An author is listed twice."), code="duplicate_author")
    if any(p <= 0 for _c, p in authors) or sum(p for _c, p in authors) != 100:
        raise ValidationError(_("The authors' shares must be positive and add up to 100%."), code="shares")


def contributor_for_user(user) -> RoyaltyContributor:
    contributor, _created = RoyaltyContributor.objects.get_or_create(
        user=user,
        defaults={"full_name": user.get_full_name() or user.get_username(), "email": user.email or ""},
    )
    return contributor


def save_contributor(actor, contributor: RoyaltyContributor) -> RoyaltyContributor:
    """Create or change a contributor (name, identity and bank details for the payment)."""
    if not access.can_manage_royalties(actor):
        raise PermissionDenied
    with transaction.atomic():
        contributor.save()
        record("royalty_contributor_saved", contributor, actor=actor)
    return contributor


def _editable(item: RoyaltyItem) -> None:
    if item.payment_list_id and item.payment_list.status != S.DRAFT:
        raise ValidationError(
            _("This item is on an approved or paid payment list and can no longer be changed."),
            code="item_locked",
        )


def _value(item: RoyaltyItem, authors: list[tuple[RoyaltyContributor, Decimal]]) -> None:
    check_coefficient(item.genre, item.coefficient, item.published_on)
    _check_authors(authors)
    item.base_salary = base_salary_on(item.published_on)
    item.amount = royalty_amount(item.coefficient, item.base_salary)


def _write_shares(item: RoyaltyItem, authors) -> None:
    item.shares.all().delete()
    amounts = split(item.amount, [p for _c, p in authors])
    RoyaltyShare.objects.bulk_create(
        [
            RoyaltyShare(item=item, contributor=c, percent=p, amount=a)
            for (c, p), a in zip(authors, amounts, strict=True)
        ]
    )


def save_item(actor, item: RoyaltyItem, authors: list[tuple[RoyaltyContributor, Decimal]]) -> RoyaltyItem:
    """Create or change a royalty item; valued with the base salary in force on its publication date."""
    if not access.can_manage_royalties(actor):
        raise PermissionDenied
    creating = item.pk is None
    if not creating:
        _editable(RoyaltyItem.objects.select_related("payment_list").get(pk=item.pk))
    authors = [(c, Decimal(p)) for c, p in authors]
    _value(item, authors)
    with transaction.atomic():
        if creating:
            item.created_by = actor
        item.save()
        _write_shares(item, authors)
        record(
            "royalty_item_saved",
            item,
            actor=actor,
            note=f"{item.genre.name}, hệ số {vn_number(item.coefficient, 2)}, {vn_number(item.amount)} đ",
        )
    return item


# ---------------------------------------------------------------- budget


@dataclass(frozen=True)
class BudgetCheck:
    year: int
    budget: RoyaltyBudget | None
    available: int | None  # the line's amount for royalties; None without a budget row
    committed: int  # approved and paid lists of the year, this list excluded
    this_list: int

    @property
    def after(self) -> int:
        return self.committed + self.this_list

    @property
    def exceeds(self) -> bool:
        return self.available is not None and self.after > self.available

    @property
    def remaining(self) -> int | None:
        return None if self.available is None else self.available - self.after

    def message(self) -> str | None:
        if self.budget is None:
            return _("No budget line is recorded for %(year)s: spending cannot be checked.") % {
                "year": self.year
            }
        if self.exceeds:
            return _(
                "This payment list (%(list)s VND) would bring the royalties of %(year)s to %(after)s VND, "
                "over the %(available)s VND available in the budget line."
            ) % {
                "list": vn_number(self.this_list),
                "year": self.year,
                "after": vn_number(self.after),
                "available": vn_number(self.available),
            }
        return None


def budget_check(plist: PaymentList) -> BudgetCheck:
    year = plist.year
    budget = RoyaltyBudget.objects.filter(year=year).first()
    committed = (
        RoyaltyItem.objects.filter(payment_list__status__in=COMMITTED, payment_list__period_end__year=year)
        .exclude(payment_list=plist)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return BudgetCheck(
        year=year,
        budget=budget,
        available=budget.available_for_royalties if budget else None,
        committed=int(committed),
        this_list=plist.total() if plist.pk else 0,
    )


def spending(year: int) -> dict:
    """The year's line: budget, approved or paid, paid, in drafts, remaining."""
    budget = RoyaltyBudget.objects.filter(year=year).first()
    items = RoyaltyItem.objects.filter(payment_list__period_end__year=year)

    def total(qs):
        return int(qs.aggregate(s=Sum("amount"))["s"] or 0)

    committed = total(items.filter(payment_list__status__in=COMMITTED))
    available = budget.available_for_royalties if budget else None
    return {
        "year": year,
        "budget": budget,
        "available": available,
        "committed": committed,
        "paid": total(items.filter(payment_list__status=S.PAID)),
        "draft": total(items.filter(payment_list__status=S.DRAFT)),
        "remaining": None if available is None else available - committed,
        "unlisted": total(RoyaltyItem.objects.filter(payment_list__isnull=True, published_on__year=year)),
    }


# ---------------------------------------------------------------- payment lists


def _period_items(start: dt.date, end: dt.date):
    return RoyaltyItem.objects.filter(
        payment_list__isnull=True, published_on__gte=start, published_on__lte=end
    )


def create_payment_list(
    actor, *, title: str, period_start: dt.date, period_end: dt.date, note: str = ""
) -> tuple[PaymentList, str | None]:
    """A draft list with every item published in the period and not yet on a list.

    Returns the list and a budget warning (None when the line is not exceeded).
    """
    if not access.can_manage_royalties(actor):
        raise PermissionDenied
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end date is before the start date.")})
    if period_start.year != period_end.year:
        raise ValidationError({"period_end": _("A payment list covers a period within one year.")})
    with transaction.atomic():
        items = list(_period_items(period_start, period_end).select_for_update())
        if not items:
            raise ValidationError(_("No royalty item published in this period is waiting for payment."))
        seq = next_number("portal_royalty_list", at=period_end)
        plist = PaymentList(
            code=f"NB-{period_end.year}-{seq:03d}",
            title=title,
            period_start=period_start,
            period_end=period_end,
            note=note,
            created_by=actor,
        )
        summary = f"{len(items)} tác phẩm, {vn_number(sum(i.amount for i in items))} đ"
        workflow.create(plist, actor, f"{summary}. {note}" if note else summary, verb="royalty_list_created")
        RoyaltyItem.objects.filter(pk__in=[i.pk for i in items]).update(payment_list=plist)
    return plist, budget_check(plist).message()


def remove_item(actor, plist: PaymentList, item: RoyaltyItem) -> None:
    if not access.can_manage_royalties(actor):
        raise PermissionDenied
    with transaction.atomic():
        plist = PaymentList.objects.select_for_update().get(pk=plist.pk)
        if plist.status != S.DRAFT:
            raise ValidationError(_("Only a draft payment list can be changed."), code="list_locked")
        if item.payment_list_id != plist.pk:
            raise ValidationError(_("This item is not on this payment list."))
        item.payment_list = None
        item.save(update_fields=["payment_list"])
        record("royalty_list_item_removed", plist, actor=actor, note=item.title)


def transition(actor, plist: PaymentList, action: str, *, note: str = "", paid_on: dt.date | None = None):
    """Apply `action` (approve, reopen, pay) to the list; returns (list, budget warning or None).

    Approval is refused when the year's approved and paid lists with this one would exceed the
    budget line for royalties; without a budget line it is approved, with a warning.
    """
    plist = workflow.apply(plist, action, actor, note, paid_on=paid_on)
    return plist, budget_check(plist).message() if action == "approve" else None
