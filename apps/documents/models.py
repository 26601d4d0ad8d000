"""Official documents: incoming and outgoing registers (Decree 30/2020, legal-rules part B)."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.signing import VERDICTS
from apps.core.workflow.models import HistoryEntry

USER = settings.AUTH_USER_MODEL
ORG = "organizations.Organization"


class DocumentType(models.Model):
    """Decree 30/2020 Appendix III (legal-rules B1): the type and its abbreviation, as data."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    is_dispatch = models.BooleanField(
        _("official letter (công văn)"),
        default=False,
        help_text=_("Công văn has no type abbreviation: the symbol is issuer-drafting unit."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class IssuerCode(models.Model):
    """The abbreviation of an agency or unit in document symbols (fixed by the head of the agency)."""

    organization = models.OneToOneField(
        ORG, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    code = models.CharField(_("abbreviation"), max_length=20, help_text=_("e.g. SKHCN, VP, TTTK"))

    class Meta:
        verbose_name = _("issuer abbreviation")
        verbose_name_plural = _("issuer abbreviations")

    def __str__(self):
        return self.code


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (Khẩn)")
    VERY_URGENT = "very_urgent", _("Very urgent (Thượng khẩn)")
    EXPRESS = "express", _("Express (Hỏa tốc)")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Normal")
    CONFIDENTIAL = "confidential", _("Confidential (Mật)")
    SECRET = "secret", _("Secret (Tối mật)")
    TOP_SECRET = "top_secret", _("Top secret (Tuyệt mật)")


class Register(models.Model):
    """A document register (sổ đăng ký) of an agency: incoming or outgoing; numbers restart yearly."""

    class Direction(models.TextChoices):
        INCOMING = "incoming", _("Incoming")
        OUTGOING = "outgoing", _("Outgoing")

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    confidential = models.BooleanField(_("confidential series"), default=False)
    doc_types = models.ManyToManyField(
        DocumentType,
        blank=True,
        related_name="+",
        verbose_name=_("document types of this series"),
        help_text=_("Empty: every type without a series of its own (the head of the agency decides, B2)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["organization", "direction", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="documents_register_code")
        ]

    def __str__(self):
        return self.name

    @property
    def counter_key(self) -> str:
        return f"documents-{self.direction}-{self.code}"


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SUBMITTED = "submitted", _("Submitted to the leader")
    ASSIGNED = "assigned", _("Assigned to a unit")
    IN_PROGRESS = "in_progress", _("Being handled")
    COMPLETED = "completed", _("Completed")
    FILED = "filed", _("Filed for information")
    RECALLED = "recalled", _("Recalled by the sender")


class SignatureVerdict(models.TextChoices):
    """The check of a received file's digital signatures, made when it is registered (B5 step 1)."""

    VALID = "valid", VERDICTS["valid"]
    WARNING = "warning", VERDICTS["warning"]
    UNTRUSTED = "untrusted", VERDICTS["untrusted"]
    EXPIRED = "expired", VERDICTS["expired"]
    MODIFIED = "modified", VERDICTS["modified"]
    INVALID = "invalid", VERDICTS["invalid"]
    TAMPERED = "tampered", VERDICTS["tampered"]
    UNSIGNED = "unsigned", _("No digital signature")
    UNREADABLE = "unreadable", _("Signatures could not be read")


class IncomingDocument(models.Model):
    """An entry of the incoming register (sổ đăng ký văn bản đến, B6)."""

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="incoming", verbose_name=_("register")
    )
    year = models.PositiveIntegerField(_("year"))
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    arrived_at = models.DateTimeField(_("arrival date and time"))
    sender_name = models.CharField(_("sender"), max_length=255)
    sender_organization = models.ForeignKey(
        ORG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender on the platform"),
    )
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    summary = models.CharField(_("summary"), max_length=500)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    pages = models.PositiveIntegerField(pgettext_lazy("page count", "pages"), default=1)
    main_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scan / file"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED
    )
    leader = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("leader")
    )
    instruction = models.TextField(_("leader's instruction"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lead_unit = models.ForeignKey(
        ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lead unit")
    )
    cooperating_units = models.ManyToManyField(
        ORG, blank=True, related_name="+", verbose_name=_("cooperating units")
    )
    handler = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handler")
    )
    unit_instruction = models.TextField(_("unit head's instruction"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True, editable=False)
    result_note = models.TextField(_("result"), blank=True)
    answer = models.ForeignKey(
        "OutgoingDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers_to",
        verbose_name=_("answering outgoing document"),
    )
    source_outgoing = models.ForeignKey(
        "OutgoingDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("sent on the platform as"),
    )
    signature_verdict = models.CharField(
        _("signature check on arrival"),
        max_length=16,
        choices=SignatureVerdict.choices,
        blank=True,
        editable=False,
    )
    signature_report = models.JSONField(
        _("signatures found on arrival"), default=list, blank=True, editable=False
    )
    signature_checked_at = models.DateTimeField(
        _("signature checked at"), null=True, blank=True, editable=False
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-year", "-arrival_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "arrival_number"], name="documents_incoming_number"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "year"]),
            models.Index(fields=["status", "deadline"]),
            # the register's page order; without it PostgreSQL sorts the whole table (measured-scale.md)
            models.Index(F("year").desc(), F("arrival_number").desc(), name="documents_incoming_order"),
        ]

    def __str__(self):
        return f"{self.arrival_number} — {self.number_symbol or self.summary[:40]}"

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        if not self.deadline:
            return False
        if self.completed_at:
            return timezone.localdate(self.completed_at) > self.deadline
        return timezone.localdate() > self.deadline


class IncomingStatusChange(HistoryEntry):
    """One move of an incoming document, written by `documents.workflow.INCOMING`."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="history")


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    NUMBERED = "numbered", _("Numbered")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Issued")
    RECALLED = "recalled", _("Recalled")


class OutgoingDocument(models.Model):
    """A document drafted, approved, numbered, signed and issued by an agency (B2, B5)."""

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing agency")
    )
    drafting_unit = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafting unit")
    )
    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="outgoing", verbose_name=_("register")
    )
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    summary = models.CharField(_("summary"), max_length=500)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_date = models.DateField(_("document date"), null=True, blank=True)
    signer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signer")
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=120, blank=True)
    signed_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed file"),
    )
    digitally_signed = models.BooleanField(_("digitally signed"), default=False)
    sealed = models.BooleanField(_("organisation signature"), default=False)
    pages = models.PositiveIntegerField(pgettext_lazy("page count", "pages"), default=1)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    answers = models.ForeignKey(
        IncomingDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("answers incoming document"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = models.TextField(_("reason for the recall"), blank=True)
    composition = models.JSONField(_("composed from the template"), default=dict, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafter")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="documents_outgoing_number"),
            models.UniqueConstraint(
                fields=["organization", "year", "number_symbol"],
                condition=~models.Q(number_symbol=""),
                name="documents_outgoing_symbol",
            ),
        ]
        indexes = [models.Index(fields=["organization", "year"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.number_symbol or f"[{self.get_status_display()}] {self.summary[:50]}"

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class OutgoingVersion(models.Model):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"


class ReviewStep(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField(default=1)
    order = models.PositiveIntegerField(default=1)
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "order"]

    def __str__(self):
        return f"{self.document} — {self.reviewer}"


class OutgoingStatusChange(HistoryEntry):
    """One move of an outgoing document, written by `documents.workflow.OUTGOING`."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="history")


class Recipient(models.Model):
    """Nơi nhận: an organisation on the platform (delivered into its incoming register) or external."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("recipient"), max_length=255)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_incoming = models.ForeignKey(
        IncomingDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """An attachment or appendix kept as its own file (B4): of an incoming document (received with
    it) or of an outgoing one (uploaded with the draft; at issue the organisation signs each PDF
    top right of page 1, without an image, and the signed copy travels to the recipients)."""

    incoming = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    outgoing = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    signed_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed file"),
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incoming__isnull=True, outgoing__isnull=False)
                | models.Q(incoming__isnull=False, outgoing__isnull=True),
                name="documents_attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.file.original_name

    @property
    def current(self):
        return self.signed_file or self.file


class SigningKey(models.Model):
    """Where a signer's (or an organisation seal's) encrypted PKCS#12 key lives; never the password."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal signature")
        SEAL = "seal", _("Organisation seal")

    class Source(models.TextChoices):
        PKCS12 = "pkcs12", _("Encrypted PKCS#12 file")
        PKCS11 = "pkcs11", _("PKCS#11 token")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PKCS12)
    user = models.ForeignKey(USER, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    path = models.CharField(
        _("key file"), max_length=500, blank=True, help_text=_("Relative to the PKI folder")
    )
    token_label = models.CharField(_("token label"), max_length=120, blank=True)
    signature_image = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handwritten signature image"),
        help_text=_("Drawn in blue on a transparent background in the visible signature (Decree 30)."),
    )
    display_name = models.CharField(_("name shown"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self):
        return f"{self.display_name} ({self.get_kind_display()})"


class SavedView(models.Model):
    """A saved search of a register list (B6: saved searches)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=20)  # incoming / outgoing
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Preview(models.Model):
    """A derived picture of a document file's first page; the original file is never touched."""

    source = models.OneToOneField("core.StoredFile", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(
        "core.StoredFile", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"preview of {self.source_id}"
