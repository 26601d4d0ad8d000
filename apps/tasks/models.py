"""Assigned tasks, periodic reports from units, and meetings (plan 4.3 and 4.2).

Every stateful entity here (Assignment, Task, UnitReport, Meeting) has exactly one transition
machine in `workflow.py` and a history row per transition.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry

User = settings.AUTH_USER_MODEL


# ================================================================ assigned tasks


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    MEETING = "meeting", _("Meeting")
    PLAN = "plan", _("Plan")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    """One instruction from a leader; each assignee gets an Assignment row."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    source_reference = models.CharField(
        _("source reference"), max_length=255, blank=True, help_text=_("e.g. 172/KH-SKHCN of 06/10/2021")
    )
    meeting = models.ForeignKey(
        "tasks.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    due_date = models.DateField(_("deadline"))
    assigned_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_on = models.DateField(_("assigned on"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assigned_on", "-pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return self.title


class TaskHistory(HistoryEntry):
    """One row per state change of the task as a whole (closed, reopened, cancelled)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="history")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Completion reported")
    DONE = "done", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.REPORTED)


class Assignment(models.Model):
    """One assignee (a unit, or a person in a unit) of a task; carries its own deadline and state."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    assignee = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    due_date = models.DateField(_("deadline"))
    original_due_date = models.DateField(_("original deadline"))
    reported_on = models.DateField(_("completion reported on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="tasks_assignment_progress_max"
            )
        ]

    def __str__(self):
        who = self.assignee.get_full_name() if self.assignee_id else self.unit.name
        return f"{self.task} — {who}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT


class AssignmentHistory(HistoryEntry):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="history")


class ProgressUpdate(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    note = models.TextField(blank=True)
    evidence = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.percent}% ({self.on:%d/%m/%Y})"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_due_date = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"→ {self.requested_due_date:%d/%m/%Y} ({self.status})"


class ExtensionRequestHistory(HistoryEntry):
    extension = models.ForeignKey(ExtensionRequest, on_delete=models.CASCADE, related_name="history")


# ================================================================ meetings


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Room(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="tasks_room_unique_name")
        ]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("agenda"), blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    location = models.CharField(_("other location"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    organizer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE, bumped on every change
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    is_public = models.BooleanField(_("show in the weekly work schedule"), default=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="tasks_meeting_ends"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_online(self) -> bool:
        return self.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID)

    @property
    def online_room_name(self) -> str:
        return f"cqs-{self.uid.hex}"


class MeetingHistory(HistoryEntry):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="history")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="tasks_participant_unique")]

    def __str__(self):
        return str(self.user)


class AgendaDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")

    # ================================================================ periodic reports

    def __str__(self):
        return self.title


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Six-monthly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")


class ReportRegime(models.Model):
    """A reporting regime (Decree 09/2019 Art. 8): who reports what, how often, cut-off and deadline.

    The cut-off day and the deadline are data: Art. 12's 15th-to-14th window is the default, and the
    deadline (`deadline_workdays` after the cut-off end) is NOT confirmed by a legal text — each
    regime sets its own (Art. 8(5) only requires at least one working day).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    cutoff_day = models.PositiveSmallIntegerField(
        _("cut-off start day"), default=15, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    deadline_workdays = models.PositiveSmallIntegerField(
        _("deadline (working days after cut-off)"), default=3, validators=[MinValueValidator(1)]
    )
    open_days_before_cutoff_end = models.PositiveSmallIntegerField(
        _("open days before cut-off end"), default=5
    )
    receiver = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    reporters = models.ManyToManyField("organizations.Organization", related_name="+")
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return self.name


class ReportTemplate(models.Model):
    regime = models.ForeignKey(ReportRegime, on_delete=models.PROTECT, related_name="templates")
    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveSmallIntegerField(default=1)
    effective_from = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class IndicatorKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENT = "percent", _("Percentage")
    TEXT = "text", _("Text")


class TemplateIndicator(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=64)
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.INTEGER)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    required = models.BooleanField(default=True)
    min_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    formula = models.CharField(max_length=300, blank=True, help_text=_("Derived value, e.g. a / b * 100"))
    source_key = models.CharField(max_length=120, blank=True, help_text=_("A registered indicator source"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="tasks_indicator_unique_code")
        ]

    def __str__(self):
        return self.label


class ReportPeriod(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField()
    index = models.PositiveSmallIntegerField()  # month 1–12, quarter 1–4, half 1–2, 1 for a year
    label = models.CharField(max_length=100)
    cutoff_from = models.DateField()
    cutoff_to = models.DateField()
    due_date = models.DateField()
    opened_on = models.DateField()
    is_ad_hoc = models.BooleanField(_("ad hoc"), default=False)

    class Meta:
        ordering = ["-cutoff_to"]
        constraints = [
            models.UniqueConstraint(fields=["template", "year", "index"], name="tasks_period_unique")
        ]

    def __str__(self):
        return self.label


class UnitReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class UnitReport(models.Model):
    period = models.ForeignKey(ReportPeriod, on_delete=models.CASCADE, related_name="unit_reports")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=UnitReportStatus.choices, default=UnitReportStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_on = models.DateField(null=True, blank=True)
    reviewer_comment = models.TextField(blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["period", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "organization"], name="tasks_unit_report_unique")
        ]

    def __str__(self):
        return f"{self.period} — {self.organization}"


class UnitReportHistory(HistoryEntry):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="history")


class ReportValue(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(TemplateIndicator, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    prefilled = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="tasks_value_unique")]

    def __str__(self):
        return f"{self.indicator.code}={self.number if self.number is not None else self.text}"
