"""Content-admin hooks (found by Wagtail in every installed app)."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from .models.editorial import EditorialApprovalTask, SelfApprovalRefused


@hooks.register("before_edit_page")
def refuse_self_approval(request, page):
    """The author pressing a review action of their own item (an editor page opened before they
    submitted it, a crafted form) is told why, in Vietnamese, instead of Wagtail saving a draft."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    task = page.current_workflow_task
    if isinstance(task, EditorialApprovalTask) and task.is_submitter(page, request.user):
        messages.error(request, SelfApprovalRefused().args[0])
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
