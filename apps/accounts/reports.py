"""The accounts report (plan I.V: accounts created, stopped, in use), as PDF, DOCX or XLSX."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.rendering.document import AdministrativeDocument, Section, Signer, Table, to_docx, to_pdf
from apps.core.rendering.jobs import RenderedFile, Renderer, register
from apps.core.rendering.xlsx import render_xlsx
from apps.organizations.models import Organization
from apps.organizations.scoping import visible_organizations

from .indicators import Period, account_figures
from .selectors import can_view_accounts

FORMATS = {"pdf", "docx", "xlsx"}
HEADERS = [
    "STT",
    "Đơn vị",
    "Tài khoản đã tạo",
    "Dừng do chuyển công tác",
    "Dừng do nghỉ hưu",
    "Dừng vì lý do khác",
    "Đang sử dụng",
]


def _figures_row(label, f) -> list:
    reasons = f.deactivated_by_reason
    other = f.deactivated_to_date - reasons["transfer"] - reasons["retirement"]
    return [label, f.created_to_date, reasons["transfer"], reasons["retirement"], other, f.active_at_end]


def _rows(organization: Organization, period: Period, progress) -> list[list]:
    """One row per direct sub-unit, one for accounts held at the organisation itself, and the total."""
    units = list(organization.children.filter(is_active=True).order_by("order", "name"))
    rows = []
    for index, unit in enumerate(units, start=1):
        rows.append([index, *_figures_row(unit.name, account_figures(unit, period))])
        progress(10 + 70 * index // max(1, len(units)), _("Counting %(unit)s") % {"unit": unit.name})
    total = [None, *_figures_row("Tổng cộng", account_figures(organization, period))]
    direct = [t - sum(r[i] for r in rows) for i, t in enumerate(total) if i >= 2]
    if any(direct):
        rows.append([len(rows) + 1, f"Trực thuộc {organization.short_name or organization.name}", *direct])
    rows.append(total)
    return rows


def render_accounts_report(job, progress) -> RenderedFile:
    params = job.params
    fmt = params.get("format", "pdf")
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format."))
    try:
        year = int(params.get("year") or timezone.localdate().year)
    except ValueError:
        raise ValidationError(_("The year is not valid.")) from None
    organization = visible_organizations(job.requested_by).filter(pk=params.get("organization")).first()
    if organization is None:
        raise PermissionDenied(_("This unit is outside your scope."))

    progress(5, _("Collecting figures"))
    rows = _rows(organization, Period.year(year), progress)
    name = f"bao-cao-tai-khoan-{year}.{fmt}"
    if fmt == "xlsx":
        return RenderedFile(name, render_xlsx(f"Tài khoản {year}", HEADERS, rows))

    total = rows[-1]
    document = AdministrativeDocument(
        parent_agency="UBND tỉnh Đắk Lắk",
        agency=organization.name if organization.kind == "agency" else settings.DEPARTMENT_NAME,
        doc_type="Báo cáo",
        summary=f"Tình hình tạo lập và sử dụng tài khoản năm {year}",
        place="Đắk Lắk",
        date=timezone.localdate(),
        signer=Signer(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name=""),
        sections=[
            Section(
                heading="I. Tổng hợp",
                paragraphs=[
                    f"Tính đến ngày 31/12/{year}, {organization.name} có {total[2]} tài khoản đã được tạo; "
                    f"{total[3] + total[4] + total[5]} tài khoản đã dừng sử dụng do cán bộ, công chức, "
                    f"viên chức chuyển công tác, nghỉ hưu hoặc lý do khác; "
                    f"{total[6]} tài khoản đang được sử dụng.",
                ],
            ),
            Section(heading="II. Chi tiết theo đơn vị", table=Table(HEADERS, rows)),
        ],
        recipients=["Giám đốc, các PGĐ Sở;", "Lưu: VT, VP."],
    )
    progress(85, _("Laying out the document"))
    content = to_pdf(document) if fmt == "pdf" else to_docx(document)
    return RenderedFile(name, content)


def register_reports() -> None:
    register(
        Renderer(
            "accounts_report", gettext_lazy("Accounts report"), render_accounts_report, can_view_accounts
        )
    )
