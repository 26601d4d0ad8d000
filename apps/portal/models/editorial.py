"""The editorial workflow's approval step: Wagtail's group approval, never by the item's own author.

Whoever submitted a page for review (the workflow state's `requested_by`) may belong to the group
of a step (an editor writes news too) but never approves or sends back that step for their own
item: another member of the group does. Refused in every path: the actions Wagtail offers in the
editor and on the dashboard, `on_action` (the workflow-action views), and `TaskState.approve`
itself (apps.portal.site_setup connects a guard to `task_approved`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask

__all__ = ["EditorialApprovalTask", "SelfApprovalRefused", "submitter_id"]


class SelfApprovalRefused(PermissionDenied):
    """The author of an item tried to approve a review step of it."""

    def __init__(self):
        super().__init__(
            gettext(
                "You submitted this item for review yourself: another member of the group must "
                "approve this step."
            )
        )


def submitter_id(workflow_state) -> int | None:
    return getattr(workflow_state, "requested_by_id", None) if workflow_state is not None else None


class EditorialApprovalTask(GroupApprovalTask):
    """A group approval step that the item's author cannot approve."""

    class Meta:
        verbose_name = _("editorial approval step")
        verbose_name_plural = _("editorial approval steps")

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve this step, except the person who submitted the item.")

    @staticmethod
    def is_submitter(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return user is not None and user.pk is not None and submitter_id(state) == user.pk

    def get_actions(self, obj, user):
        if self.is_submitter(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if user is not None and submitter_id(task_state.workflow_state) == user.pk:
            raise SelfApprovalRefused
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def adopt(cls, task: GroupApprovalTask) -> "EditorialApprovalTask":
        """Turns an existing GroupApprovalTask into this kind in place: same row, same task states."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Task

        child = cls(groupapprovaltask_ptr_id=task.pk)
        for field in GroupApprovalTask._meta.concrete_fields:
            setattr(child, field.attname, getattr(task, field.attname))
        child.save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=ContentType.objects.get_for_model(cls))
        return cls.objects.get(pk=task.pk)
