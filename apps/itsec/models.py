"""IT assets, coverage records, information systems, incidents and training.

Rules that change over time (useful life by asset class, the security requirement checklist, the
antivirus freshness policy, the import column mappings) are rows with an effective date, so a
figure computed for an earlier date uses the rule that applied then.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry

USER = settings.AUTH_USER_MODEL
ORG = "organizations.Organization"


class AssetType(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    SERVER = "server", _("Server")
    NETWORK = "network", _("Network device")
    PERIPHERAL = "peripheral", _("Peripheral")
    LICENCE = "licence", _("Software licence")


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    SPARE = "spare", _("Spare")
    BROKEN = "broken", _("Broken")
    DISPOSED = "disposed", _("Disposed")


class Purpose(models.TextChoices):
    WORK = "work", _("Work")
    TRAINING = "training", _("Training")


class AssetClass(models.Model):
    """One version of the depreciation rule of a class of assets (e.g. "desktop computers").

    Assets keep the version that applied on their purchase date. Values are local
    configuration: the legal useful life of state assets was not confirmed for this project.
    """

    key = models.SlugField(_("class key"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    asset_type = models.CharField(_("asset type"), max_length=16, choices=AssetType.choices)
    useful_life_years = models.PositiveSmallIntegerField(_("useful life (years)"))
    annual_rate_percent = models.DecimalField(
        _("annual depreciation rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    unconfirmed = models.BooleanField(
        _("unconfirmed"), default=True, help_text=_("Not checked against an official text.")
    )

    class Meta:
        verbose_name = _("asset class")
        verbose_name_plural = _("asset classes")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="itsec_assetclass_version")
        ]

    def __str__(self):
        return f"{self.name} ({self.useful_life_years} năm, từ {self.effective_from:%d/%m/%Y})"

    @classmethod
    def version_for(cls, key: str, on: datetime.date):
        return cls.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()


class Asset(models.Model):
    code = models.CharField(_("asset code"), max_length=64, unique=True)
    asset_type = models.CharField(_("type"), max_length=16, choices=AssetType.choices, db_index=True)
    asset_class = models.ForeignKey(
        AssetClass, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("asset class")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    model = models.CharField(_("model"), max_length=255, blank=True)
    serial = models.CharField(_("serial number"), max_length=128, blank=True, db_index=True)
    specification = models.TextField(_("specification"), blank=True)
    operating_system = models.CharField(_("operating system"), max_length=128, blank=True)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    assigned_to = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    assigned_name = models.CharField(
        _("assigned person (no account)"),
        max_length=255,
        blank=True,
        help_text=_("For staff without an account, e.g. contract workers."),
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    purchase_date = models.DateField(_("purchase date"))
    purchase_value = models.DecimalField(
        _("purchase value (đồng)"), max_digits=15, decimal_places=0, default=0
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.IN_USE, db_index=True
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.WORK)
    internet_connected = models.BooleanField(_("connected to the internet"), default=False)
    antivirus_product = models.CharField(_("antivirus product"), max_length=128, blank=True)
    antivirus_version = models.CharField(_("antivirus version"), max_length=64, blank=True)
    antivirus_licence_expiry = models.DateField(_("antivirus licence expiry"), null=True, blank=True)
    antivirus_last_update = models.DateField(_("antivirus last update"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("IT asset")
        verbose_name_plural = _("IT assets")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name or self.model}"

    @property
    def assignee(self) -> str:
        if self.assigned_to_id:
            return self.assigned_to.full_name or self.assigned_to.username
        return self.assigned_name

    @property
    def depreciation_end(self) -> datetime.date | None:
        if not self.asset_class_id:
            return None
        years = self.asset_class.useful_life_years
        try:
            return self.purchase_date.replace(year=self.purchase_date.year + years)
        except ValueError:  # 29 February
            return self.purchase_date.replace(year=self.purchase_date.year + years, day=28)

    def past_depreciation(self, at: datetime.date) -> bool:
        end = self.depreciation_end
        return end is not None and end <= at


class AssetStatusChange(HistoryEntry):
    """Status history; `effective_on` is the day the change took effect (indicators use it)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="status_changes")
    from_state = models.CharField(max_length=16, choices=AssetStatus.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=AssetStatus.choices)
    effective_on = models.DateField(_("effective on"))

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["asset", "effective_on"])]

    def save(self, *args, **kwargs):
        # `workflow.create` writes the registration row without it: an asset exists from its purchase.
        if self.effective_on is None:
            self.effective_on = self.asset.purchase_date
        super().save(*args, **kwargs)


class AssetService(models.Model):
    """A service event: repair, maintenance, upgrade, reinstall."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("Repair")
        MAINTENANCE = "maintenance", _("Maintenance")
        UPGRADE = "upgrade", _("Upgrade")
        REINSTALL = "reinstall", _("Reinstall")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    performed_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    cost = models.DecimalField(_("cost (đồng)"), max_digits=15, decimal_places=0, default=0)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-performed_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.performed_on:%d/%m/%Y}"


class StaffHeadcount(models.Model):
    """Staff of a unit (CBCCVC and workers, with or without an account) from a date."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    effective_from = models.DateField(_("effective from"))
    headcount = models.PositiveIntegerField(_("staff"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff headcount")
        ordering = ["organization", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "effective_from"], name="itsec_headcount_version")
        ]

    def __str__(self):
        return f"{self.organization}: {self.headcount}"


class UnitNetwork(models.Model):
    """Whether a unit has a local area network, from a date."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    effective_from = models.DateField(_("effective from"))
    has_lan = models.BooleanField(_("has a LAN"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["organization", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "effective_from"], name="itsec_unitnetwork_version"
            )
        ]

    def __str__(self):
        return f"{self.organization}: {self.has_lan}"


class CoveragePolicy(models.Model):
    """Local policy for the coverage figures (not a legal rule), effective-dated."""

    effective_from = models.DateField(_("effective from"), unique=True)
    antivirus_max_age_days = models.PositiveSmallIntegerField(
        _("antivirus update counts as current for (days)"), default=7
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.effective_from:%d/%m/%Y}: {self.antivirus_max_age_days}"


DEFAULT_ANTIVIRUS_MAX_AGE_DAYS = 7


# --- Import -------------------------------------------------------------------------------------


class ImportMapping(models.Model):
    """Column mapping of an import format (e.g. the computer list an endpoint console exports).

    `columns` maps a header text (case-insensitive) to an asset field name; `defaults` gives
    field values the file does not carry.
    """

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    columns = models.JSONField(_("columns"), default=dict)
    defaults = models.JSONField(_("defaults"), default=dict, blank=True)

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mapping = models.ForeignKey(ImportMapping, on_delete=models.PROTECT)
    # The unit of the new assets a file brings without one; None when the file only updates.
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # The upload as core file intake accepted it (scanned, kept); the job reads its bytes from
    # `content`.
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 3, "column": "Serial", "message": "…"}]
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class ImportJobStatusChange(HistoryEntry):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="status_changes")


# --- Information systems ------------------------------------------------------------------------


class SecurityLevelStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for appraisal")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class InformationSystem(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal operations")
        CITIZEN = "citizen", _("Services to citizens and businesses")
        INFRASTRUCTURE = "infrastructure", _("Information infrastructure")
        INDUSTRIAL = "industrial", _("Industrial control")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    operator = models.CharField(_("operating unit"), max_length=255, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    users = models.CharField(_("users"), max_length=255, blank=True)
    user_count = models.PositiveIntegerField(_("number of users whose personal data it holds"), default=0)
    data_processed = models.TextField(_("data processed"), blank=True)
    hosting = models.CharField(_("hosting"), max_length=255, blank=True)
    connections = models.TextField(_("connections"), blank=True)
    kind = models.CharField(_("system type"), max_length=16, choices=Kind.choices, default=Kind.INTERNAL)
    # Facts the classification helper reads (Decree 85/2016 criteria as data, see classification.py).
    facts = models.JSONField(_("classification facts"), default=dict, blank=True)
    proposed_level = models.PositiveSmallIntegerField(_("proposed level"), null=True, blank=True)
    proposal_reasons = models.JSONField(default=list, blank=True)
    level_status = models.CharField(
        _("level status"),
        max_length=16,
        choices=SecurityLevelStatus.choices,
        default=SecurityLevelStatus.DRAFT,
    )
    approved_level = models.PositiveSmallIntegerField(_("approved level"), null=True, blank=True)
    approval_reference = models.CharField(_("approval decision"), max_length=128, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    submission_reference = models.CharField(_("proposal letter"), max_length=128, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    review_reminded_on = models.DateField(_("review reminder sent on"), null=True, blank=True)
    components = models.ManyToManyField("self", symmetrical=False, blank=True, verbose_name=_("components"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("information system")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SecurityLevelChange(HistoryEntry):
    """The approval history of a system's security level (`level_status`)."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="level_changes")
    from_state = models.CharField(max_length=16, choices=SecurityLevelStatus.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=SecurityLevelStatus.choices)


class RequirementSet(models.Model):
    """A versioned checklist of security requirements (Circular 12/2022 + TCVN 11930:2017)."""

    name = models.CharField(_("name"), max_length=255)
    version = models.CharField(_("version"), max_length=32)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="itsec_reqset_version")]

    def __str__(self):
        return f"{self.name} {self.version}"


class Requirement(models.Model):
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    group = models.CharField(_("group"), max_length=32)  # management / technical
    area = models.CharField(_("area"), max_length=128)
    text = models.TextField(_("requirement"))
    min_level = models.PositiveSmallIntegerField(_("from level"), default=2)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=True)

    class Meta:
        ordering = ["requirement_set", "code"]
        constraints = [models.UniqueConstraint(fields=["requirement_set", "code"], name="itsec_req_code")]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class SelfAssessment(models.Model):
    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="assessments")
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("level assessed"))
    performed_on = models.DateField(_("date"))
    performed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-performed_on"]

    def __str__(self):
        return f"{self.system} {self.performed_on:%d/%m/%Y}"


class AssessmentAnswer(models.Model):
    class Result(models.TextChoices):
        MET = "met", _("Met")
        PARTIAL = "partial", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NA = "na", _("Not applicable")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT)
    result = models.CharField(max_length=16, choices=Result.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    finding = models.TextField(_("finding"), blank=True)

    def __str__(self):
        return f"{self.requirement_id}: {self.result}"


class RemediationTask(models.Model):
    answer = models.ForeignKey(AssessmentAnswer, on_delete=models.CASCADE, related_name="remediations")
    description = models.TextField(_("action"))
    assigned_to = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    reminded_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True)

    def __str__(self):
        return self.description[:60]


# --- Incidents ----------------------------------------------------------------------------------


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    TRIAGED = "triaged", _("Triaged")
    RESPONDING = "responding", _("Responding")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not an incident")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class IncidentCategory(models.TextChoices):
    MALWARE = "malware", _("Malware")
    PHISHING = "phishing", _("Phishing")
    INTRUSION = "intrusion", _("Unauthorised access")
    DOS = "dos", _("Denial of service")
    DATA_LEAK = "data_leak", _("Data leak")
    DEFACEMENT = "defacement", _("Website defacement")
    HARDWARE = "hardware", _("Hardware or network failure")
    OTHER = "other", _("Other")


class Incident(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("noticed at"))
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter")
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=IncidentCategory.choices, blank=True)
    assigned_to = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("handled by")
    )
    assets = models.ManyToManyField(
        Asset, blank=True, related_name="incidents", verbose_name=_("affected assets")
    )
    systems = models.ManyToManyField(
        InformationSystem, blank=True, related_name="incidents", verbose_name=_("affected systems")
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.code} — {self.title}"


class IncidentStep(models.Model):
    """A response step on the incident's timeline."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("time"))
    action = models.TextField(_("action taken"))
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.action[:60]


class IncidentStatusChange(HistoryEntry):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="status_changes")
    from_state = models.CharField(max_length=16, choices=IncidentStatus.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=IncidentStatus.choices)


# --- Skills and training ------------------------------------------------------------------------


class Qualification(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College")
    CERTIFICATE = "certificate", _("Certificate")


class ItStaff(models.Model):
    """A person doing IT work (dedicated or part-time), with or without an account."""

    full_name = models.CharField(_("full name"), max_length=255)
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    qualification = models.CharField(_("highest qualification"), max_length=16, choices=Qualification.choices)
    field_of_study = models.CharField(_("field"), max_length=255, blank=True)
    dedicated = models.BooleanField(_("dedicated IT officer"), default=False)
    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class StaffSkill(models.Model):
    """Per-unit, per-year count of staff meeting the basic IT-skills standard / trained in security."""

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    basic_it_skills = models.PositiveIntegerField(_("staff meeting the basic IT-skills standard"), default=0)
    security_trained = models.PositiveIntegerField(_("staff trained in information security"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="itsec_staffskill_year")]

    def __str__(self):
        return f"{self.organization} {self.year}"


class TrainingCourse(models.Model):
    title = models.CharField(_("title"), max_length=255)
    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    topic = models.CharField(
        _("topic"),
        max_length=16,
        choices=[
            ("basic_it", _("Basic IT skills")),
            ("security", _("Information security")),
            ("other", _("Other")),
        ],
    )
    provider = models.CharField(_("provider"), max_length=255, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    full_name = models.CharField(_("full name"), max_length=255)
    passed = models.BooleanField(_("completed"), default=True)

    def __str__(self):
        return self.full_name
