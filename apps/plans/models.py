"""The yearly digital-transformation plan (Kế hoạch chuyển đổi số) of one agency, as data.

A plan is one version: revising an approved plan copies it into a new draft version (version + 1)
and marks the old one "revised". Part I figures are not stored while the plan is a draft (they are
read live from the indicators registry); approval freezes them into `frozen_figures`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry

ORG = "organizations.Organization"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REVISED = "revised", _("Revised")


class Plan(models.Model):
    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    title = models.CharField(_("title"), max_length=300)
    number_symbol = models.CharField(_("number and symbol"), max_length=50, blank=True)
    place = models.CharField(_("place"), max_length=100, default="Đắk Lắk")
    date = models.DateField(_("date"), null=True, blank=True)
    figures_as_of = models.DateField(
        _("figures as of"),
        null=True,
        blank=True,
        help_text=_("Part I counts the previous year up to this date (default: the end of that year)."),
    )
    parent_agency = models.CharField(_("parent agency"), max_length=200, default="UBND tỉnh Đắk Lắk")
    agency_name = models.CharField(
        _("agency name in the header"), max_length=200, blank=True, help_text=_("Default: the agency's name.")
    )
    signer_authority = models.CharField(_("authority mark"), max_length=50, blank=True)
    signer_position = models.CharField(_("signer position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer name"), max_length=100, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One recipient per line."))
    # Spending of the previous year by category, in đồng; the portal royalties come from the registry.
    spent_equipment = models.BigIntegerField(_("spent on equipment"), default=0)
    spent_software = models.BigIntegerField(_("spent on software"), default=0)
    spent_services = models.BigIntegerField(_("spent on services (internet, hosting)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    row_version = models.PositiveIntegerField(default=0)
    frozen_figures = models.JSONField(_("frozen figures"), null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    sent_document_id = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "version"], name="plans_one_version_number"
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def recipient_lines(self) -> list[str]:
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip()]


class PlanHistory(HistoryEntry):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="history")


class BasisPart(models.TextChoices):
    ASSESSMENT = "assessment", _("Part I.I — legal environment")
    BASIS = "basis", _("Part II.I — bases of the plan")


class LegalBasis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bases")
    part = models.CharField(_("part"), max_length=20, choices=BasisPart.choices, default=BasisPart.BASIS)
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    # The id of a document in the documents module; an id, not a foreign key (no model dependency).
    document_id = models.PositiveIntegerField(_("document id"), null=True, blank=True)

    class Meta:
        ordering = ["part", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class Target(models.Model):
    """A specific target; bound to an indicator key, its actual is measured from the registry."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("target"))
    indicator_key = models.CharField(_("indicator"), max_length=100, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]


# Sections of free text, one line per item (bullets). Codes follow the reference plan.
SECTIONS = {
    "purposes": "II. MỤC ĐÍCH TỔNG QUÁT",
    "4.1": "4.1. Hoàn thiện quy chế, quy định pháp lý",
    "4.2": "4.2. Phát triển về hạ tầng số",
    "4.3": "4.3. Phát triển các hệ thống, nền tảng",
    "4.4": "4.4. Phát triển dữ liệu",
    "4.5": "4.5. Phát triển các ứng dụng, dịch vụ",
    "4.6": "4.6. Bảo đảm an toàn thông tin",
    "4.7": "4.7. Phát triển nguồn nhân lực",
    "5.1": "5.1. Đẩy mạnh công tác tuyên truyền, nâng cao nhận thức, kỹ năng số, tăng cường tương tác với "
    "người dân, doanh nghiệp",
    "5.2": "5.2. Phát triển các mô hình kết hợp giữa các cơ quan nhà nước, doanh nghiệp",
    "5.3": "5.3. Nghiên cứu, hợp tác để làm chủ, ứng dụng hiệu quả các công nghệ",
    "5.4": "5.4. Thu hút nguồn lực",
    "5.5": "5.5. Tăng cường hợp tác quốc tế",
    "organisation": "VII. TỔ CHỨC THỰC HIỆN",
}
TASK_SECTIONS = [f"4.{i}" for i in range(1, 8)]
SOLUTION_SECTIONS = [f"5.{i}" for i in range(1, 6)]
# Part I narratives the planner writes around the computed figures ("<key>.before" / ".after").
PART1_SECTIONS = {
    "infrastructure": "II. HẠ TẦNG KỸ THUẬT",
    "platforms": "III. CÁC HỆ THỐNG NỀN TẢNG",
    "data": "IV. PHÁT TRIỂN DỮ LIỆU",
    "applications": "V. CÁC ỨNG DỤNG DỊCH VỤ",
    "human_resources": "VI. NGUỒN NHÂN LỰC",
    "security": "VII. AN TOÀN THÔNG TIN",
    "budget": "VIII. KINH PHÍ THỰC HIỆN",
}


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=40)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_one_section_per_code")]

    def __str__(self):
        return self.code

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Project(models.Model):
    """One appendix line (task or project) with its budget, in đồng; its progress through the year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    order = models.PositiveIntegerField(_("no."), default=0)
    name = models.TextField(_("task or project"))
    lead_unit = models.CharField(_("lead unit"), max_length=200, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    timing = models.CharField(_("timing"), max_length=50, blank=True)
    total = models.BigIntegerField(_("total investment"), default=0)
    recurrent = models.BigIntegerField(_("recurrent state budget"), default=0)
    investment = models.BigIntegerField(_("investment state budget"), default=0)
    other = models.BigIntegerField(_("other sources"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    row_version = models.PositiveIntegerField(default=0)
    disbursed = models.BigIntegerField(_("disbursed"), default=0)

    class Meta:
        verbose_name = _("plan project")
        verbose_name_plural = _("plan projects")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    @property
    def progress(self) -> int:
        return min(100, round(self.disbursed * 100 / self.total)) if self.total else 0


class ProjectHistory(HistoryEntry):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="history")


class Comment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]
