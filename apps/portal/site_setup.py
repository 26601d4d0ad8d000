"""Public site registrations: the editorial workflow and permissions, scheduled publishing, demo data.

Editorial roles reuse the platform's role groups (apps.organizations.roles), because a user's Django groups
are rewritten from their memberships by accounts.services.sync_groups: separate Wagtail groups would
be wiped on the next membership change.

- Authors ("Tác giả"): specialists and editors — draft pages in the sections and submit them.
- Editors ("Biên tập viên"): the `editor` role — first approval step.
- Editorial board ("Ban biên tập"): the department leaders (`leader` role) — final approval; the
  approved revision is then published by Wagtail (at its go_live_at when one is set).
Authors and editors lack the `publish` page permission, so their items go through the workflow; the
board holds it (Wagtail publishes the approved revision as the last approver) and so do administrators.
"""

from celery import shared_task
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from apps.organizations.roles import Role

WORKFLOW_NAME = "Quy trình biên tập tin bài"
EDITOR_TASK_NAME = "Biên tập viên duyệt"
BOARD_TASK_NAME = "Ban biên tập phê duyệt"

AUTHOR_ROLES = (Role.SPECIALIST, Role.EDITOR)
EDITOR_ROLES = (Role.EDITOR,)
BOARD_ROLES = (Role.LEADER,)
ADMIN_ROLES = (Role.ADMINISTRATOR,)

# Page permissions per group on each editorial section (and its subtree).
SECTION_PERMISSIONS = {
    Role.SPECIALIST: ("add_page", "change_page"),
    Role.EDITOR: ("add_page", "change_page"),
    Role.LEADER: ("change_page", "publish_page"),
    Role.ADMINISTRATOR: (
        "add_page",
        "change_page",
        "publish_page",
        "delete_page",
        "lock_page",
        "unlock_page",
    ),
}
# Django permissions for the content admin itself.
ADMIN_ACCESS = {
    Role.SPECIALIST: ("wagtailadmin.access_admin",),
    Role.EDITOR: (
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "portal.add_communeinfopoint",
        "portal.change_communeinfopoint",
        "portal.view_communeinfopoint",
        "portal.add_newscategory",
        "portal.change_newscategory",
        "portal.view_newscategory",
    ),
    Role.LEADER: ("wagtailadmin.access_admin",),
    Role.ADMINISTRATOR: ("wagtailadmin.access_admin",),
}


COLLECTION_APPS = ("wagtaildocs", "wagtailimages")


def ensure_editorial_groups(**kwargs) -> None:
    """Adds the content-admin permissions to the role groups (idempotent; runs after every migrate).

    Connected to the post_migrate of Wagtail's core app, which comes after accounts' own
    ensure_role_groups (that one *sets* the groups' permissions), so these additions survive.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    for role, dotted_names in ADMIN_ACCESS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                group.permissions.add(perm)
                if root is not None and app_label in COLLECTION_APPS:
                    # Wagtail grants media actions per collection, not by the model permission alone.
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root, permission=perm
                    )


def ensure_workflow():
    """The editorial workflow: editor approval, then board approval (idempotent)."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    from .models import EditorialApprovalTask

    def task(name, roles):
        # Nobody approves a step of their own item (models.editorial); a step made before that rule
        # existed is adopted in place.
        obj = EditorialApprovalTask.objects.filter(name=name).first()
        if obj is None:
            legacy = GroupApprovalTask.objects.filter(name=name).first()
            obj = (
                EditorialApprovalTask.adopt(legacy)
                if legacy is not None
                else EditorialApprovalTask.objects.create(name=name)
            )
        obj.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
        return obj

    editor_task = task(EDITOR_TASK_NAME, EDITOR_ROLES)
    board_task = task(BOARD_TASK_NAME, BOARD_ROLES)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    for position, t in enumerate([editor_task, board_task], start=1):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=t, defaults={"sort_order": position})
    return workflow


def ensure_section_permissions(section) -> None:
    """Grants the editorial groups their page permissions on one section and attaches the workflow."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, WorkflowPage

    ensure_editorial_groups()
    for role, codenames in SECTION_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for codename in codenames:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=perm)
    workflow = ensure_workflow()
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})


@shared_task(name="portal.publish_scheduled", acks_late=True)
def publish_scheduled() -> None:
    """Beat entry: Wagtail's own publish_scheduled command (go_live_at and expire_at)."""
    from django.core.management import call_command

    call_command("publish_scheduled")


AUDIT_LABELS = {
    "portal_page_published": _("Portal page published"),
    "portal_page_scheduled": _("Portal page approved for publishing at its scheduled time"),
    "portal_page_unpublished": _("Portal page unpublished"),
    "portal_page_submitted": _("Portal page submitted for approval"),
    "portal_step_approved": _("Portal editorial step approved"),
    "portal_step_rejected": _("Portal editorial step sent back for changes"),
}

# Wagtail's own log entries of a publication, and our audit verb for each. Wagtail writes them with
# the user who published (the board member whose approval ended the workflow, or whoever pressed
# Publish); its page_published signal carries only the revision, whose user is the author.
PUBLISH_ACTIONS = {
    "wagtail.publish": "portal_page_published",
    "wagtail.publish.scheduled": "portal_page_published",
    "wagtail.publish.schedule": "portal_page_scheduled",
}


def _publisher(entry):
    """Who published: the entry's user; for a scheduled go-live (no user, the beat publishes), the
    one who approved that revision for publishing at its time."""
    if entry.user_id is not None:
        return entry.user
    if entry.action == "wagtail.publish.scheduled" and entry.revision_id is not None:
        scheduling = (
            type(entry)
            .objects.filter(
                page_id=entry.page_id,
                revision_id=entry.revision_id,
                action="wagtail.publish.schedule",
                user__isnull=False,
            )
            .select_related("user")
            .order_by("-timestamp", "-pk")
            .first()
        )
        if scheduling is not None:
            return scheduling.user
    return None


def _audit_publication(sender, instance, created=False, raw=False, **kwargs):
    verb = PUBLISH_ACTIONS.get(instance.action)
    if not created or raw or verb is None:
        return
    from apps.audit.services import record

    page = instance.page.specific
    record(verb, page, actor=_publisher(instance), note=page.url_path)


def _audit_page_unpublished(sender, instance, **kwargs):
    from apps.audit.services import record

    record("portal_page_unpublished", instance, note=instance.url_path)


def _audit_workflow(verb):
    def receiver(sender, instance, user=None, **kwargs):
        from apps.audit.services import record

        content = getattr(instance, "content_object", None) or getattr(
            getattr(instance, "workflow_state", None), "content_object", None
        )
        task = getattr(instance, "task", None)
        record(verb, content, actor=user, note=str(task) if task is not None else "")

    return receiver


_workflow_receivers = {
    "portal_page_submitted": _audit_workflow("portal_page_submitted"),
    "portal_step_approved": _audit_workflow("portal_step_approved"),
    "portal_step_rejected": _audit_workflow("portal_step_rejected"),
}


def _refuse_self_approval(sender, instance, user=None, **kwargs):
    """Last guard under every path (a direct TaskState.approve too): TaskState.approve runs in a
    transaction, so raising here undoes the approval and whatever it set off (publication)."""
    from .models.editorial import EditorialApprovalTask, SelfApprovalRefused, submitter_id

    if user is None or not isinstance(instance.task.specific, EditorialApprovalTask):
        return
    if submitter_id(instance.workflow_state) == user.pk:
        raise SelfApprovalRefused


def _connect_audit():
    """Every editorial state change of the portal lands in the audit chain, beside Wagtail's own log."""
    from django.db.models.signals import post_save
    from wagtail.models import PageLogEntry
    from wagtail.signals import (
        page_unpublished,
        task_approved,
        task_rejected,
        workflow_submitted,
    )

    post_save.connect(_audit_publication, sender=PageLogEntry, dispatch_uid="portal.audit_published")
    page_unpublished.connect(_audit_page_unpublished, dispatch_uid="portal.audit_unpublished")
    workflow_submitted.connect(
        _workflow_receivers["portal_page_submitted"], dispatch_uid="portal.audit_submitted"
    )
    task_approved.connect(_refuse_self_approval, dispatch_uid="portal.refuse_self_approval")
    task_approved.connect(_workflow_receivers["portal_step_approved"], dispatch_uid="portal.audit_approved")
    task_rejected.connect(_workflow_receivers["portal_step_rejected"], dispatch_uid="portal.audit_rejected")


def _review_counters(user) -> list:
    """On the staff home: the portal items waiting for this user's review (never their own)."""
    from django.urls import reverse
    from wagtail.models import TaskState

    from apps.core.modules import Counter

    waiting = TaskState.objects.reviewable_by(user).count()
    return [Counter(_("News items waiting for my review"), waiting, reverse("wagtailadmin_home"), "warning")]


def _connect_post_migrate():
    from django.apps import apps as django_apps

    post_migrate.connect(
        ensure_editorial_groups,
        sender=django_apps.get_app_config("wagtailcore"),
        dispatch_uid="portal.ensure_editorial_groups",
    )


def ready():
    from apps.audit.labels import register_labels
    from apps.core.demo import register_seeder
    from apps.core.modules import Module, register

    from . import demo_site

    register_labels(AUDIT_LABELS)
    register(
        Module(
            "portal_site",
            _("Portal content"),
            _("News, pages and bulletin of the web portal, with the editorial approval workflow."),
            "wagtailadmin_home",
            "world",
            lambda user: user.has_perm("wagtailadmin.access_admin"),
        )
    )
    _connect_audit()
    _connect_post_migrate()
    from apps.core.modules import register_counters

    register_counters("portal_site", mine=_review_counters)
    register_seeder("portal_site", demo_site.seed, order=700)


VERBOSE = _("Web portal")
