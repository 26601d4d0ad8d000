"""Portal models: citizen questions (hỏi đáp) — asked on the public site, answered by a unit,
approved by a leader, then published or answered privately by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize
from apps.core.workflow.models import HistoryEntry

__all__ = ["Question", "QuestionChange", "QuestionStatus", "QuestionTopic"]


class QuestionTopic(models.Model):
    name = models.CharField(_("topic"), max_length=255, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("question topic")
        verbose_name_plural = _("question topics")

    def __str__(self):
        return self.name


class QuestionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned to a unit")
    ANSWERED = "answered", _("Answer awaiting approval")
    APPROVED = "approved", _("Answer approved")
    PUBLISHED = "published", _("Published")
    ANSWERED_PRIVATELY = "private", _("Answered by e-mail")
    REJECTED = "rejected", _("Not accepted")


# States in which the asker has had no answer yet (the deadline runs).
OPEN_STATES = (
    QuestionStatus.RECEIVED,
    QuestionStatus.ASSIGNED,
    QuestionStatus.ANSWERED,
    QuestionStatus.APPROVED,
)
# States in which the answer has reached the asker.
DONE_STATES = (QuestionStatus.PUBLISHED, QuestionStatus.ANSWERED_PRIVATELY)


class Question(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    asker_name = models.CharField(_("full name"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    topic = models.ForeignKey(
        QuestionTopic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic")
    )
    title = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("question"))
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.RECEIVED
    )
    unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("answer delivered at"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("citizen question")
        verbose_name_plural = _("citizen questions")

    def __str__(self):
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = normalize(" ".join([self.code, self.title, self.body, self.answer]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:question_public", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        """Still without an answer to the asker after the due time, or delivered after it."""
        if self.status == QuestionStatus.REJECTED:
            return False
        moment = self.closed_at or now or timezone.now()
        return moment > self.due_at


class QuestionChange(HistoryEntry):
    """One move of a question (the status history), written by `core.workflow`."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="changes")
    to_state = models.CharField(_("to"), max_length=32, choices=QuestionStatus.choices)
