import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One business event in an object's timeline, linked into a SHA-256 hash chain.

    The event is written in the caller's transaction (it exists if and only if the change does)
    without a place in the chain; once that transaction commits, `services.chain_pending` gives it
    the next `seq` and its hashes under the AuditHead lock, in a transaction of its own. So the head
    is held for a few milliseconds per batch, never for the length of a business transaction, and
    the chain still has no gaps: a missing number, a changed field or a broken link is evidence of
    tampering. The database lets a pending event be chained once and refuses any other change.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_repr = models.CharField(_("actor"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    verb = models.CharField(_("event"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]  # the order events were written; seq is the order they were committed
        indexes = [models.Index(fields=["content_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def canonical(self) -> str:
        """The bytes the hash covers. Changing any of these fields breaks the chain."""
        return json.dumps(
            {
                "seq": self.seq,
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "actor_repr": self.actor_repr,
                "ip": self.ip_address,
                "request": self.request_id,
                "ct": self.content_type_id,
                "oid": self.object_id,
                "obj": self.object_repr,
                "verb": self.verb,
                "note": self.note,
                "changes": self.changes,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()

    @property
    def verb_label(self) -> str:
        from .labels import verb_label

        return verb_label(self.verb)


class AuditHead(models.Model):
    """Single row holding the chain's tip; locking it serialises chaining and reveals a cut tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"
