from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organizations.roles import Role

PATH_STEP = 5  # digits per level in the materialised path


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")


class Organization(models.Model):
    """A node of the tree province → agency → unit.

    `path` is a materialised path ("00001.00004.") so that a subtree is one indexed
    prefix query instead of a recursive walk.
    """

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_typical = models.BooleanField(
        _("typical unit (not named in the plan)"),
        default=False,
        help_text=_("Marks a unit added because departments usually have it, not because the plan names it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        own = f"{self.pk:0{PATH_STEP}d}."
        path = (self.parent.path if self.parent_id else "") + own
        if path != self.path:
            old = self.path
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)
            if old:  # moved: rewrite the descendants' paths
                for child in type(self).objects.filter(path__startswith=old).exclude(pk=self.pk):
                    type(self).objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    def subtree(self):
        return type(self).objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(p) for p in self.path.split(".") if p]
        return type(self).objects.filter(pk__in=ids).order_by("path")

    def agency(self):
        """The nearest agency at or above this node (a unit's department)."""
        for node in reversed(list(self.ancestors())):
            if node.kind == OrganizationKind.AGENCY:
                return node
        return self


class Membership(models.Model):
    """A user holds a role in a unit (possibly several, in several units)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("position"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
