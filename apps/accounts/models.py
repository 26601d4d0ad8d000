import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.workflow.models import HistoryEntry
from apps.organizations.roles import TWO_FACTOR_ROLES


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DEACTIVATED = "deactivated", _("Deactivated")


class DeactivationReason(models.TextChoices):
    TRANSFER = "transfer", _("Transferred to another post")
    RETIREMENT = "retirement", _("Retired")
    RESIGNATION = "resignation", _("Left the service")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A person who signs in. Accounts are never deleted: leaving staff are deactivated."""

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    deactivation_reason = models.CharField(
        _("deactivation reason"), max_length=16, choices=DeactivationReason.choices, blank=True
    )
    status_note = models.CharField(_("note"), max_length=255, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["full_name", "username"]
        permissions = [("manage_accounts", _("Can create, suspend and deactivate accounts"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="deactivated") | ~models.Q(deactivation_reason=""),
                name="deactivated_has_reason",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return (self.full_name.split() or [self.username])[-1]

    def save(self, *args, **kwargs):
        # Only active accounts may sign in; the status is the single source of truth.
        self.is_active = self.status == AccountStatus.ACTIVE
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedError(_("Accounts are never deleted; deactivate the account instead."), {self})

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships.all() if m.is_active}

    @property
    def requires_two_factor(self) -> bool:
        return self.is_superuser or bool(self.roles & {str(r) for r in TWO_FACTOR_ROLES})

    @property
    def is_staff_member(self) -> bool:
        from apps.organizations.selectors import unit_ids_of  # the one membership lookup

        return bool(unit_ids_of(self))


class AccountStatusChange(HistoryEntry):
    """One move of an account's lifecycle (the account keeps its latest date, reason and note)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="status_changes")


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiClient(models.Model):
    """An integration client. Its token is bound to one organisation and a set of scopes.

    Only the SHA-256 of the token is stored; the token itself is shown once, at creation.
    """

    SCOPES = [
        ("organizations:read", _("Read the organisation tree")),
        ("accounts:read", _("Read accounts")),
        ("dossiers:read", _("Read dossier status")),
        ("dossiers:write", _("Submit dossiers")),
        ("documents:read", _("Read official document registers")),
        ("signatures:verify", _("Verify the digital signatures of PDF files")),
        ("techassess:read", _("Read technology assessment results and aggregates")),
        ("techassess:write", _("Submit technology assessment surveys")),
        ("itsec:read", _("Read IT assets, information systems and incidents")),
        ("indicators:read", _("Read the published indicators")),
    ]

    name = models.CharField(_("name"), max_length=128)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("organisation"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    token_prefix = models.CharField(max_length=8, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        permissions = [("manage_apiclients", _("Can issue and revoke API tokens"))]

    def __str__(self):
        return self.name

    @classmethod
    def new_token(cls) -> tuple[str, str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, raw[:8], _hash_token(raw)

    @classmethod
    def find_by_token(cls, raw: str):
        return (
            cls.objects.select_related("organization")
            .filter(token_hash=_hash_token(raw), is_active=True)
            .first()
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def touch(self):
        type(self).objects.filter(pk=self.pk).update(last_used_at=timezone.now())
