import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class CalendarOverride(models.Model):
    """A day the Prime Minister's yearly decision changes: an extra day off or a swapped working Saturday."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    reason = models.CharField(_("reason"), max_length=255)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the decision or official letter that announced it."),
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"


class CalendarSettings(models.Model):
    """Office hours and the receipt cut-off (one row). One working day is 8 working hours."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    morning_start = models.TimeField(_("morning starts"), default=datetime.time(7, 30))
    morning_end = models.TimeField(_("morning ends"), default=datetime.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon starts"), default=datetime.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon ends"), default=datetime.time(17, 30))
    receipt_cutoff = models.TimeField(
        _("receipt cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Receipts after this time count from the next working day. Empty: no cut-off. "
            "The general legal rule is not confirmed; set it from the rule your province applies."
        ),
    )

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self):
        return str(_("Office hours"))

    @classmethod
    def current(cls) -> "CalendarSettings":
        obj, _created = cls.objects.get_or_create(id=1)
        return obj
