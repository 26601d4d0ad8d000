from django.db import models
from django.utils.translation import gettext_lazy as _


class ResetPeriod(models.TextChoices):
    YEARLY = "yearly", _("Every year")
    DAILY = "daily", _("Every day")
    NEVER = "never", _("Never")


class CounterDefinition(models.Model):
    """How a register numbers its records: the format and when the sequence restarts.

    `format` is a Python format string over: seq, year, yy, mm, dd, date, org_code, and any extra
    field the caller passes (e.g. doc_type). Example: "{seq:02d}/{doc_type}-SKHCN".
    """

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    format = models.CharField(_("format"), max_length=128, default="{seq}")
    reset = models.CharField(
        _("restart"), max_length=8, choices=ResetPeriod.choices, default=ResetPeriod.YEARLY
    )

    class Meta:
        verbose_name = _("counter definition")
        verbose_name_plural = _("counter definitions")

    def __str__(self):
        return self.name


class Counter(models.Model):
    """The last number given for one register, organisation and period."""

    key = models.SlugField(max_length=64)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True
    )
    period = models.CharField(max_length=10)  # "2026", "2026-11-27" or "all"
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "organization", "period"], name="unique_counter_scope"),
            models.UniqueConstraint(
                fields=["key", "period"],
                condition=models.Q(organization=None),
                name="unique_counter_scope_no_org",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.period}: {self.value}"
