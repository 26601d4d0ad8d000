"""Background render jobs: a registry of document kinds, a start service and the task body."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.events import emit as record
from apps.core.files.intake import DOCX, MB, PDF, XLSX, register_purpose

from .models import JobStatus, RenderJob

# Rendered documents are stored (and scanned) like uploads; only the requester may download them.
register_purpose("generated", {PDF, DOCX, XLSX}, 50 * MB)


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    content: bytes


Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Renderer:
    kind: str
    title: str
    render: Callable[[RenderJob, Progress], RenderedFile]
    allowed: Callable[[object], bool]


_registry: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    _registry[renderer.kind] = renderer


def get_renderer(kind: str) -> Renderer:
    try:
        return _registry[kind]
    except KeyError:
        raise PermissionDenied(_("Unknown document type.")) from None


def start(kind: str, *, user, params: dict | None = None) -> RenderJob:
    """Queues a render for `user`; the job page shows its progress."""
    from apps.core.background import dispatch

    from .tasks import run_render_job

    renderer = get_renderer(kind)
    if not renderer.allowed(user):
        raise PermissionDenied(_("You may not produce this document."))
    with transaction.atomic():
        job = RenderJob.objects.create(kind=kind, params=params or {}, requested_by=user)
        record("render_requested", job, actor=user, changes={"params": job.params})
        transaction.on_commit(lambda: dispatch(run_render_job, str(job.pk)))
    return job


def _set_progress(job_id, percent: int, message: str) -> None:
    # Outside any transaction, so the polling page sees it at once.
    RenderJob.objects.filter(pk=job_id).update(progress=max(0, min(100, percent)), message=message[:255])


def run(job_id) -> None:
    """Body of the task. Safe to retry: a finished job is left alone."""
    from apps.core.files.intake import accept_upload

    job = RenderJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return
    RenderJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=0, message="")
    try:
        renderer = get_renderer(job.kind)
        output = renderer.render(job, lambda p, m="": _set_progress(job.pk, p, m))
        _set_progress(job.pk, 95, _("Saving the file"))
        with transaction.atomic():
            stored = accept_upload(
                ContentFile(output.content, name=output.filename), purpose="generated", user=job.requested_by
            )
            RenderJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE,
                progress=100,
                message=_("Done"),
                result=stored,
                finished_at=timezone.now(),
            )
            record("render_finished", job, actor=job.requested_by, note=output.filename)
    except Exception as exc:
        RenderJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            message=_("Could not produce the document: %(error)s") % {"error": exc},
            finished_at=timezone.now(),
        )
        raise
