"""The plan document as a background render job (core.rendering.jobs): the progress page, then a
download kept as a stored file. Direct DOCX/PDF downloads stay for quick use."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.rendering.jobs import RenderedFile, Renderer, register

from . import document
from .selectors import may_use, plans_for

KIND = "plan_document"


def render_plan(job, progress) -> RenderedFile:
    fmt = job.params.get("format", "pdf")
    if fmt not in ("pdf", "docx"):
        raise ValidationError(_("Unknown format."))
    plan = plans_for(job.requested_by).filter(pk=str(job.params.get("plan", "")).strip() or 0).first()
    if plan is None:
        raise PermissionDenied(_("This plan is outside your scope."))
    progress(10, _("Reading the figures"))
    content = document.to_pdf(plan) if fmt == "pdf" else document.to_docx(plan)
    progress(90, _("Document ready"))
    return RenderedFile(document.filename(plan, fmt), content)


register(Renderer(KIND, gettext_lazy("Digital transformation plan"), render_plan, may_use))
