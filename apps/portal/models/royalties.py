"""Portal models: royalties (nhuận bút) for published portal items (legal-rules.md part E).

    royalty = coefficient × value of one coefficient unit, one unit = 10 % × base salary (Decree 18/2014)

Rules are versioned data with an effective date: the royalty frame (genres with their minimum and
maximum coefficients) and the base salary. Each royalty item keeps the frame genre it was valued
under and the base salary that applied on its publication date, so a later change never rewrites a
past amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry

__all__ = [
    "BaseSalary",
    "PaymentList",
    "PaymentListChange",
    "PaymentListStatus",
    "RoyaltyBudget",
    "RoyaltyContributor",
    "RoyaltyFrame",
    "RoyaltyGenre",
    "RoyaltyItem",
    "RoyaltyShare",
    "UNIT_SHARE",
    "royalty_amount",
]

# Decree 18/2014: one coefficient unit is worth 10 % of the base salary.
UNIT_SHARE = Decimal("0.10")
_DONG = Decimal(1)


def royalty_amount(coefficient: Decimal, base_salary: int | Decimal) -> int:
    """Coefficient × 10 % × base salary, rounded half up to the whole đồng."""
    value = Decimal(coefficient) * UNIT_SHARE * Decimal(base_salary)
    return int(value.quantize(_DONG, rounding=ROUND_HALF_UP))


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) from an effective date until the next row's date."""

    effective_from = models.DateField(_("effective from"), unique=True)
    amount = models.PositiveIntegerField(_("amount (VND per month)"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self):
        return f"{self.amount:,} ({self.effective_from:%d/%m/%Y})".replace(",", ".")

    @classmethod
    def on(cls, day: dt.date) -> BaseSalary | None:
        """The row in force on `day` (the latest effective date not after it)."""
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


class RoyaltyFrame(models.Model):
    """One version of the royalty frame (khung nhuận bút) the portal applies.

    `is_demonstration` marks a frame whose values were not taken from an adopted decision of the
    province (e.g. the demo data): the screens show it as such, never as law.
    """

    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    is_demonstration = models.BooleanField(
        _("demonstration values"),
        default=False,
        help_text=_("The values are an example, not taken from an adopted decision."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("royalty frame")
        verbose_name_plural = _("royalty frames")

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end date is before the start date.")})

    @classmethod
    def in_force(cls, day: dt.date) -> RoyaltyFrame | None:
        return (
            cls.objects.filter(effective_from__lte=day)
            .filter(models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day))
            .order_by("-effective_from")
            .first()
        )


class RoyaltyGenre(models.Model):
    """A genre of the frame with its coefficient range (min ≤ coefficient ≤ max)."""

    frame = models.ForeignKey(RoyaltyFrame, on_delete=models.CASCADE, related_name="genres")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("genre"), max_length=255)
    min_coefficient = models.DecimalField(_("minimum coefficient"), max_digits=6, decimal_places=2)
    max_coefficient = models.DecimalField(_("maximum coefficient"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["frame", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "code"], name="portal_genre_code_per_frame"),
            models.CheckConstraint(
                condition=models.Q(min_coefficient__lte=models.F("max_coefficient")),
                name="portal_genre_min_le_max",
            ),
        ]
        verbose_name = _("royalty genre")
        verbose_name_plural = _("royalty genres")

    def __str__(self):
        return f"{self.name} ({self.min_coefficient}–{self.max_coefficient})"


class RoyaltyBudget(models.Model):
    """The portal's budget line for a year (shared with internet service in the 2021 plan)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.PositiveBigIntegerField(_("budget line (VND)"))
    reserved_other = models.PositiveBigIntegerField(
        _("reserved for other spending (VND)"),
        default=0,
        help_text=_("Part of the line spent on something else, e.g. the internet service."),
    )
    name = models.CharField(_("budget line"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("royalty budget")
        verbose_name_plural = _("royalty budgets")

    def __str__(self):
        return f"{self.year}: {self.amount:,}".replace(",", ".")

    @property
    def available_for_royalties(self) -> int:
        return max(self.amount - self.reserved_other, 0)


class RoyaltyContributor(models.Model):
    """A person paid royalties: a staff account, or an outside contributor with payment details."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="royalty_contributor",
    )
    full_name = models.CharField(_("full name"), max_length=255)
    id_number = models.CharField(_("ID card number"), max_length=20, blank=True)
    tax_code = models.CharField(_("personal tax code"), max_length=20, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self):
        return self.full_name

    @property
    def is_staff_member(self) -> bool:
        return self.user_id is not None


class PaymentListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class PaymentList(models.Model):
    """A royalty payment list (bảng thanh toán nhuận bút) for a period: draft → approved → paid."""

    code = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentListStatus.choices, default=PaymentListStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("payment list")
        verbose_name_plural = _("payment lists")

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def year(self) -> int:
        return self.period_end.year

    def total(self) -> int:
        return int(self.items.aggregate(s=models.Sum("amount"))["s"] or 0)


class PaymentListChange(HistoryEntry):
    """One move of a payment list (the status history), written by `core.workflow`."""

    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE, related_name="changes")
    to_state = models.CharField(_("to"), max_length=32, choices=PaymentListStatus.choices)


class RoyaltyItem(models.Model):
    """The royalty of one published portal item: its genre and coefficient, valued at publication."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("address"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"))
    genre = models.ForeignKey(RoyaltyGenre, on_delete=models.PROTECT, related_name="items")
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    base_salary = models.PositiveIntegerField(_("base salary applied (VND)"))
    amount = models.PositiveBigIntegerField(_("royalty (VND)"))
    payment_list = models.ForeignKey(
        PaymentList, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("royalty item")
        verbose_name_plural = _("royalty items")

    def __str__(self):
        return self.title

    @property
    def frame(self) -> RoyaltyFrame:
        return self.genre.frame

    @property
    def unit_value(self) -> int:
        """The value of one coefficient unit applied: 10 % of the base salary."""
        return royalty_amount(Decimal(1), self.base_salary)


class RoyaltyShare(models.Model):
    """An author of an item and their share of its royalty (percent; the shares add up to 100)."""

    item = models.ForeignKey(RoyaltyItem, on_delete=models.CASCADE, related_name="shares")
    contributor = models.ForeignKey(RoyaltyContributor, on_delete=models.PROTECT, related_name="shares")
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=Decimal(100))
    amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "contributor"], name="portal_share_once_per_author"),
        ]

    def __str__(self):
        return f"{self.contributor} — {self.item}"
