"""Dossiers received at the one-stop desk (legal-rules A1–A4) and what hangs off them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for the reception check")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for a supplement")
    REFUSED = "refused", _("Refused at reception")
    RECEIVED = "received", _("Received")
    IN_PROCESS = "in_process", _("In process")
    HEAD_REVIEW = "head_review", _("Waiting for the unit head's review")
    REVIEW = "review", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Stopped at the applicant's request")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("At the desk")
    POST = "post", _("By post")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ReturnMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the desk")
    POST = "post", _("By post")
    DOWNLOAD = "download", _("Electronic (download)")


class DeskSettings(models.Model):
    """Per-agency settings of the one-stop desk.

    `agency_identifier` is the agency's electronic identifier that starts the dossier code
    (legal-rules A4: QCVN 102:2016 style "000.00.31.H22", or the 2025 format). The real value for
    the reference deployment is not known: the demo stores a clearly labelled placeholder.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="dossier_desk_settings",
        verbose_name=_("agency"),
    )
    agency_identifier = models.CharField(
        _("agency electronic identifier"),
        max_length=64,
        help_text=_("Starts every dossier code. Check the official value before production use."),
    )
    is_placeholder = models.BooleanField(_("placeholder value"), default=False)

    class Meta:
        verbose_name = _("one-stop desk settings")
        verbose_name_plural = _("one-stop desk settings")

    def __str__(self):
        return f"{self.organization} — {self.agency_identifier}"


# the deadline runs
CLOCK_STATES = {State.RECEIVED, State.IN_PROCESS, State.HEAD_REVIEW, State.REVIEW, State.APPROVED}


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=64, unique=True, null=True, blank=True)
    state = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=0, help_text="Optimistic lock: bumped by every transition.")

    # The desk that received it (scoping) and the competent unit handling it.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("desk")
    )
    handling_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("handling unit"),
    )

    # The procedure version it was received under (never a foreign key to another app's table).
    procedure_version_id = models.PositiveIntegerField(_("procedure version"))
    procedure_id = models.PositiveIntegerField(_("procedure"))
    procedure_code = models.CharField(_("procedure code"), max_length=32, blank=True)
    procedure_name = models.CharField(_("procedure"), max_length=500)
    procedure_field = models.CharField(_("field"), max_length=255, blank=True)
    legacy_level = models.PositiveSmallIntegerField(_("service level (legacy)"), null=True, blank=True)
    online_level = models.CharField(_("online service level"), max_length=16, blank=True)
    procedure_snapshot = models.JSONField(default=dict)

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    handled_in_system = models.BooleanField(_("handled through the system"), default=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant account"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_id_number = models.CharField(_("ID number or tax code"), max_length=32, blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    form_data = models.JSONField(default=dict, blank=True)
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)

    fee = models.DecimalField(_("fee"), max_digits=14, decimal_places=0, default=0)
    paid = models.BooleanField(_("fee paid"), default=False)

    # A retried submission carries the same key; the key is the submitter's own (an API client, an
    # account, a verified e-mail: `idempotency_scope`), so another submitter's key never matches.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    idempotency_scope = models.CharField(max_length=300, blank=True, default="", editable=False)
    resume_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft_step = models.PositiveSmallIntegerField(default=1)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    clock_start = models.DateTimeField(_("clock starts"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointed return"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    extended = models.BooleanField(_("extended (form 04)"), default=False)
    paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_allowance_days = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    # Set when the retention purge removed the applicant's personal data (the ledger keeps the figures).
    personal_data_removed_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    current_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current handler"),
    )
    reason = models.TextField(_("reason"), blank=True)  # refusal, not eligible, stop, extension
    result_number = models.CharField(_("result number"), max_length=64, blank=True)
    result_summary = models.TextField(_("result"), blank=True)
    result_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_method = models.CharField(
        _("return method"), max_length=16, choices=ReturnMethod.choices, blank=True
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["received_at"]),
            # the citizen's status lookup matches the code case-insensitively (UPPER(code) = UPPER(…)):
            # the unique index on code cannot serve it (measured-scale.md: a scan of the whole table)
            models.Index(Upper("code"), name="dossiers_code_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"], name="dossiers_idempotency_per_submitter"
            )
        ]

    def __str__(self):
        return self.code or _("Draft dossier #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("dossiers:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(self.due_at and self.state in CLOCK_STATES and self.due_at < timezone.now())

    @property
    def deadline_hint(self) -> dict | None:
        """Working days to the appointment, or past it, while the clock runs (the inbox shows it)."""
        if not self.due_at or self.state not in CLOCK_STATES:
            return None
        from django.utils import timezone

        from apps.core.calendar import workdays

        left = workdays.working_days_between(timezone.now(), self.due_at)
        return {"overdue": left < 0, "days": abs(left).quantize(Decimal("0.1"))}


class DossierDocument(models.Model):
    """One component of the dossier (legal-rules A3, form 01 table)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=64, blank=True)
    name = models.CharField(_("component"), max_length=500)
    form = models.CharField(_("form"), max_length=64, blank=True)  # bản chính / bản sao / bản chụp
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_supplement = models.BooleanField(_("supplement"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class StatusChange(HistoryEntry):
    """One row per move and hand-over, written by `dossiers.workflow.DOSSIER`; never updated (forms 06
    and 07 are built from it)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(_("from"), max_length=32, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=32, choices=State.choices)
    actor_name = models.CharField(max_length=255, blank=True)
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_to_unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The step that this change ends: its allowance and whether it finished in time.
    step_allowance_days = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    step_hours_spent = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    step_timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)

    def __str__(self):
        return f"{self.dossier} {self.from_state}→{self.to_state}"


class SupplementRequest(models.Model):
    """Form 02: every missing item, in writing, once per stage (legal-rules A1.2, A2)."""

    class Stage(models.TextChoices):
        RECEPTION = "reception", _("Reception check")
        REVIEW = "review", _("Review")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    items = models.JSONField(default=list)  # ["Bản sao giấy phép …", …]
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self):
        return f"{self.dossier} — {self.get_stage_display()}"


class Rating(models.Model):
    """The applicant's satisfaction after return. The legal scale is unconfirmed (A7): 1–5 here."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.dossier}: {self.score}/5"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    gateway = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_transaction = models.CharField(max_length=128, blank=True)
    # The electronic fee receipt's number (biên lai điện tử), taken when the payment is paid.
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"


class CallbackNonce(models.Model):
    """Nonces of accepted gateway callbacks: a replayed callback is refused."""

    gateway = models.CharField(max_length=32)
    nonce = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "nonce"], name="dossiers_unique_nonce")]

    def __str__(self):
        return f"{self.gateway}:{self.nonce}"


class StatisticsEntry(models.Model):
    """The statistics ledger: one immutable row per counted event of a dossier.

    Written by the services in the same transaction as the change it counts, and read by the
    indicators and dashboards. It holds no personal data and no foreign key to the dossier, so a
    purge of old dossiers (data retention) leaves every figure unchanged.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Received")
        REFUSED = "refused", _("Refused at reception")
        RESOLVED = "resolved", _("Resolved")
        RETURNED = "returned", _("Result returned")
        WITHDRAWN = "withdrawn", _("Stopped at the applicant's request")
        PAID = "paid", _("Fee paid online")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    dossier_ref = models.PositiveIntegerField(help_text="The dossier's id when counted (no foreign key).")
    organization_id = models.PositiveIntegerField()  # receiving desk
    unit_id = models.PositiveIntegerField(null=True, blank=True)  # handling / competent unit
    procedure_id = models.PositiveIntegerField()
    procedure_code = models.CharField(max_length=32, blank=True)
    procedure_name = models.CharField(max_length=500)
    field = models.CharField(max_length=255, blank=True)
    legacy_level = models.PositiveSmallIntegerField(null=True, blank=True)
    online_level = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    handled_in_system = models.BooleanField(default=True)
    outcome = models.CharField(max_length=24, choices=State.choices, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    has_fee = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)  # every component / the result held as a file
    processing_days = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("statistics entry")
        verbose_name_plural = _("statistics entries")
        constraints = [
            models.UniqueConstraint(fields=["dossier_ref", "kind"], name="dossiers_stat_once_per_kind")
        ]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.kind} #{self.dossier_ref} {self.at:%Y-%m-%d}"
