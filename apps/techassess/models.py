from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.workflow.models import HistoryEntry

tax_code_validator = RegexValidator(
    r"^(\d{10}|\d{13})$", _("The tax code must have 10 or 13 digits."), code="tax_code"
)
vsic_validator = RegexValidator(
    r"^[0-9]{2,5}$", _("The VSIC industry code has 2 to 5 digits (e.g. 1077)."), code="vsic"
)


class MethodologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", pgettext_lazy("no longer in force", "Retired")


class Methodology(models.Model):
    """One version of an assessment methodology; its whole definition is data (see methodology.py)."""

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=MethodologyStatus.choices, default=MethodologyStatus.DRAFT
    )
    illustrative = models.BooleanField(_("illustrative (minh họa)"), default=False)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["-effective_from", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="techassess_methodology_version")
        ]

    def __str__(self):
        label = f"{self.code} v{self.version}"
        return f"{label} (minh họa)" if self.illustrative else label


class MethodologyStatusChange(HistoryEntry):
    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="history")


class Enterprise(models.Model):
    name = models.CharField(_("enterprise name"), max_length=300)
    tax_code = models.CharField(_("tax code"), max_length=13, unique=True, validators=[tax_code_validator])
    vsic_code = models.CharField(_("VSIC industry code"), max_length=5, validators=[vsic_validator])
    industry_name = models.CharField(_("industry"), max_length=200, blank=True)
    commune = models.CharField(_("commune / ward"), max_length=120)
    address = models.CharField(_("address"), max_length=300, blank=True)
    representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(
        _("registered e-mail"),
        blank=True,
        help_text=_("The enterprise's e-mail on record; a claim code can be sent to it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enterprise account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="techassess_enterprises",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.tax_code})"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class Survey(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="surveys")
    year = models.PositiveSmallIntegerField(_("survey year"))
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="surveys")
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    sections_saved = models.JSONField(default=list, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_on_behalf = models.BooleanField(_("entered by an officer"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_note = models.TextField(_("review comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="techassess_one_survey_per_year")
        ]

    def __str__(self):
        return f"{self.enterprise.name} — {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (SurveyStatus.DRAFT, SurveyStatus.RETURNED)


class SurveyStatusChange(HistoryEntry):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="history")


class SurveyEvidence(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.description or str(self.file_id)


class AssessmentResult(models.Model):
    """A computed assessment. Never updated: recomputing writes a new row (the latest one counts)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="results")
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="results")
    methodology_label = models.CharField(max_length=80)
    illustrative = models.BooleanField(default=False)
    year = models.PositiveSmallIntegerField()
    vsic_code = models.CharField(max_length=5)
    commune = models.CharField(max_length=120)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(max_digits=6, decimal_places=2)
    coefficient = models.DecimalField(max_digits=5, decimal_places=3)
    klass = models.CharField(_("class"), max_length=40)
    class_name = models.CharField(max_length=80)
    groups = models.JSONField()
    criteria = models.JSONField()
    benchmark_sector = models.CharField(max_length=8, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = ["computed_at", "pk"]

    def __str__(self):
        return f"{self.survey_id}: {self.total} ({self.class_name})"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A bulk import of surveys from an Excel file, run in the background."""

    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)


class ImportJobStatusChange(HistoryEntry):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="history")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    APPROVED = "approved", _("Verified")
    REJECTED = "rejected", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ClaimMethod(models.TextChoices):
    EMAIL_CODE = "email", _("Code sent to the registered e-mail")
    OFFICER = "officer", _("Confirmation by an officer")


class EnterpriseClaim(models.Model):
    """An enterprise account asks to be linked to an enterprise record it did not create (entered by
    an officer or imported). The link is made only after verification: a one-time code sent to the
    enterprise's registered e-mail, or an officer's confirmation."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("verification"), max_length=10, choices=ClaimMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    note = models.TextField(_("note for the officer"), blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise claim")
        verbose_name_plural = _("enterprise claims")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"],
                condition=models.Q(status="pending"),
                name="techassess_one_pending_claim",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} ← {self.user}"


class ClaimStatusChange(HistoryEntry):
    claim = models.ForeignKey(EnterpriseClaim, on_delete=models.CASCADE, related_name="history")


class LegacyResult(models.Model):
    """A result assessed under Circular 04/2014/TT-BKHCN (T, H, I, O), imported as recorded.
    Never recomputed and never mapped onto the 17/2019 groups: letter I means Infoware here."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="legacy_results")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="legacy_results")
    methodology_label = models.CharField(max_length=80)
    groups = models.JSONField(default=dict)  # {"T": 20.5, "H": None, ...} as recorded
    total = models.DecimalField(_("total points"), max_digits=6, decimal_places=2, null=True, blank=True)
    tcc = models.DecimalField(
        _("technology contribution coefficient (TCC)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    class_name = models.CharField(_("level"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legacy result (Circular 04/2014)")
        verbose_name_plural = _("legacy results (Circular 04/2014)")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="techassess_one_legacy_result_per_year"
            )
        ]

    def __str__(self):
        return f"{self.enterprise.name} — {self.year} (04/2014)"

    def group_values(self) -> list:
        """Component scores in the order T, H, I, O (None where the old report has none)."""
        return [self.groups.get(code) for code in ("T", "H", "I", "O")]
