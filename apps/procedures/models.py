"""Administrative procedure catalogue (thủ tục hành chính), versioned and effective-dated.

Design choice: a `Procedure` is the stable identity (its pk never changes and is what other
modules keep). Everything that may change over time lives on a `ProcedureVersion`; the steps,
document components, applicant form fields and the fee rule are stored on the version as JSON
that `apps.procedures.schema` validates (in `ProcedureVersion.clean()` and in every service), so a
version is copied and frozen as one row. A published version is never edited again: a change is
a new draft made from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.workflow.models import HistoryEntry

from .text import normalize


def days_text(value) -> str:
    from decimal import Decimal

    from apps.core.formatting.vn import format_number

    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    return format_number(value, 0 if value == value.to_integral_value() else 1)


class Field(models.Model):
    """A field (lĩnh vực) of procedures, e.g. "Hoạt động khoa học và công nghệ"."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    search_text = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize(self.name)
        super().save(*args, **kwargs)


class Procedure(models.Model):
    """The stable identity of a procedure across its versions."""

    # Natural key used by import/export: the national code when known, otherwise the normalised
    # name of the first version. Unknown national codes stay blank (never invented).
    key = models.CharField(_("key"), max_length=300, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.name if latest else self.key


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", pgettext_lazy("no longer in force", "Retired")


class LegacyLevel(models.IntegerChoices):
    """Service levels of Decree 43/2011 (used for the 2021 figures)."""

    LEVEL_2 = 2, _("Level 2")
    LEVEL_3 = 3, _("Level 3")
    LEVEL_4 = 4, _("Level 4")


class OnlineLevel(models.TextChoices):
    """Online public-service levels of Decree 42/2022."""

    FULL = "full", _("Full online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


CHANNELS = ("online", "walk_in", "post")


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    code = models.CharField(_("national code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=500)
    search_text = models.TextField(editable=False, default="")  # normalised name + code (SQLite search)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("field")
    )
    competent_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competent unit"),
    )
    legal_bases = models.TextField(_("legal bases"), blank=True)
    # Blank when the source does not give it; a version cannot be published without it.
    processing_days = models.DecimalField(
        _("processing time (working days)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    steps = models.JSONField(_("steps"), default=list, blank=True)
    documents = models.JSONField(_("document components"), default=list, blank=True)
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    fee = models.JSONField(_("fee rule"), default=dict, blank=True)
    result_type = models.CharField(_("result type"), max_length=255, blank=True)
    legacy_level = models.PositiveSmallIntegerField(
        _("service level (Decree 43/2011)"), choices=LegacyLevel.choices, null=True, blank=True
    )
    online_level = models.CharField(
        _("online level (Decree 42/2022)"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)  # e.g. that a demo level assignment is an assumption
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedures_version_number_unique"),
            # At most one open-ended published version per procedure; bounded ones must not overlap
            # (checked by the publish service, which is the only writer of the status).
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published", effective_to__isnull=True),
                name="procedures_one_open_published_version",
            ),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="draft"), name="procedures_one_draft_per_procedure"
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def save(self, *args, **kwargs):
        self.search_text = normalize(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    def clean(self):
        from .schema import validate_version_payload

        validate_version_payload(self)

    @property
    def days_display(self) -> str:
        """The processing time as Vietnamese text: "15", "2,5"; "" when unknown."""
        return days_text(self.processing_days)


class VersionStatusChange(HistoryEntry):
    """Status history of a version: who moved it, when, from where to where."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="status_changes")
