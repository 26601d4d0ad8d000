from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.core import access

from . import jobs
from .models import RenderJob


def _own_job(request, pk) -> RenderJob:
    job = get_object_or_404(RenderJob.objects.select_related("result"), pk=pk)
    if job.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    return job


@access.require(access.SIGNED_IN)
@require_POST
def start(request, kind):
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    job = jobs.start(kind, user=request.user, params=params)
    return redirect("core:render_job", pk=job.pk)


@access.require(access.SIGNED_IN)
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(request, "core/render_job.html", {"job": job, "title": jobs.get_renderer(job.kind).title})


@access.require(access.SIGNED_IN)
def job_status(request, pk):
    """The progress fragment the job page polls with htmx."""
    return render(request, "core/_render_status.html", {"job": _own_job(request, pk)})
