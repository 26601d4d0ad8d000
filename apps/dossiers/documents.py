"""Forms 01–07 of the one-stop desk (legal-rules A3) and the result document, built from the dossier
and its history. The field lists follow the deployed templates noted in A3; the final layout of
Circular 03/2025 Appendix I is unconfirmed."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.formatting.vn import format_datetime, format_money, format_number
from apps.core.rendering.document import AdministrativeDocument, Section, Signer, Table, _cell
from apps.core.rendering.pdf import render_pdf
from apps.core.rendering.xlsx import render_xlsx
from apps.procedures.public import document_form_label

from .models import Dossier, State, Timeliness

PLACE = getattr(settings, "DEPARTMENT_PLACE", "Đắk Lắk")
TIMELINESS_VN = {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}


def status_url(dossier: Dossier) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{reverse('dossiers:status')}?ma={dossier.code}"


def qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _agency(dossier: Dossier):
    return dossier.organization.agency()


def _base(
    dossier: Dossier, doc_type: str, summary: str, signer: str, signer_name: str = ""
) -> AdministrativeDocument:
    agency = _agency(dossier)
    parent = agency.parent.name if agency.parent else ""
    return AdministrativeDocument(
        parent_agency=parent,
        agency=agency.name,
        doc_type=doc_type,
        summary=summary,
        place=PLACE,
        date=timezone.localdate(),
        signer=Signer(position=signer, name=signer_name),
        number_symbol=dossier.code or "",
    )


def _applicant_lines(dossier: Dossier) -> list[str]:
    return [
        f"Tên tổ chức, cá nhân: {dossier.applicant_name}",
        f"Số định danh cá nhân/Mã số thuế: {dossier.applicant_id_number or '…'}",
        f"Địa chỉ: {dossier.applicant_address or '…'}",
        f"Số điện thoại: {dossier.applicant_phone or '…'}   Thư điện tử: {dossier.applicant_email or '…'}",
        f"Nội dung yêu cầu giải quyết: {dossier.procedure_name}",
    ]


def _render(
    document: AdministrativeDocument, *, page_size: str = "A4", qr_for: Dossier | None = None
) -> bytes:
    context = document.context()
    context["sections"] = [
        {
            "heading": s.heading,
            "paragraphs": s.paragraphs,
            "table": {"headers": s.table.headers, "rows": [[_cell(c) for c in row] for row in s.table.rows]}
            if s.table
            else None,
        }
        for s in document.sections
    ]
    if qr_for is not None:
        url = status_url(qr_for)
        context.update(qr_data_uri=qr_data_uri(url), code=qr_for.code, status_url=url)
    return render_pdf("dossiers/documents/form.html", context, page_size=page_size)


def _officer(dossier: Dossier) -> str:
    return getattr(dossier.received_by, "full_name", "") if dossier.received_by_id else ""


def form_01(dossier: Dossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    doc = _base(
        dossier,
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        f"Mã hồ sơ: {dossier.code}",
        "Người tiếp nhận",
        _officer(dossier),
    )
    with translation.override("vi"):  # the form is Vietnamese whoever prints it
        rows = [
            [i, d.name, document_form_label(d.form), d.quantity]
            for i, d in enumerate(dossier.documents.all(), 1)
        ]
    days = Decimal(str(dossier.procedure_snapshot.get("processing_days") or 0))
    days = format_number(days, 0 if days == days.to_integral_value() else 1)  # "5", "2,5": not "5.0"
    doc.sections = [
        Section(paragraphs=[f"{_agency(dossier).name} tiếp nhận hồ sơ của:", *_applicant_lines(dossier)]),
        Section(
            heading="Thành phần hồ sơ nộp gồm:",
            table=Table(["STT", "Tên giấy tờ", "Hình thức", "Số lượng"], rows),
        ),
        Section(
            paragraphs=[
                f"Số lượng hồ sơ: {dossier.sets} bộ.",
                f"Thời gian giải quyết hồ sơ theo quy định: {days} ngày làm việc.",
                f"Thời gian nhận hồ sơ: {format_datetime(dossier.received_at)}.",
                f"Thời gian trả kết quả giải quyết hồ sơ: {format_datetime(dossier.due_at)}.",
                "Nhận kết quả tại: Bộ phận Một cửa hoặc trực tuyến theo mã hồ sơ.",
                f"Phí, lệ phí: {format_money(dossier.fee)}.",
            ]
        ),
    ]
    doc.recipients = ["Người nộp hồ sơ;", "Lưu: Bộ phận Một cửa."]
    return _render(doc, qr_for=dossier)


def form_02(dossier: Dossier) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    request = dossier.supplement_requests.order_by("-requested_at").first()
    items = request.items if request else []
    signer = getattr(request.requested_by, "full_name", "") if request else ""
    doc = _base(
        dossier, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", f"Hồ sơ {dossier.code}", "Người hướng dẫn", signer
    )
    doc.sections = [
        Section(paragraphs=_applicant_lines(dossier)),
        Section(
            heading="Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
            table=Table(
                ["STT", "Nội dung bổ sung, hoàn thiện"], [[i, item] for i, item in enumerate(items, 1)]
            ),
        ),
        Section(
            paragraphs=[
                f"Lý do: {request.reason if request else ''}",
                *([f"Căn cứ: {request.legal_basis}"] if request and request.legal_basis else []),
                "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, "
                "ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn.",
            ]
        ),
    ]
    doc.recipients = ["Người nộp hồ sơ;", "Lưu: Bộ phận Một cửa."]
    return _render(doc)


def form_03(dossier: Dossier) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    doc = _base(
        dossier,
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        f"Hồ sơ {dossier.code}",
        "Người tiếp nhận",
        _officer(dossier),
    )
    doc.sections = [
        Section(paragraphs=_applicant_lines(dossier)),
        Section(
            paragraphs=[
                "Bộ phận Một cửa từ chối tiếp nhận hồ sơ với lý do:",
                dossier.reason,
                "Xin thông báo để ông/bà được biết.",
            ]
        ),
    ]
    doc.recipients = ["Người nộp hồ sơ;", "Lưu: Bộ phận Một cửa."]
    return _render(doc)


def form_04(dossier: Dossier) -> bytes:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (old label: Phiếu xin lỗi và hẹn lại)."""
    doc = _base(
        dossier,
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        f"Hồ sơ {dossier.code}",
        "Thủ trưởng cơ quan",
    )
    doc.sections = [
        Section(
            paragraphs=[
                f"Kính gửi: {dossier.applicant_name}",
                f"Ngày tiếp nhận: {format_datetime(dossier.received_at)}; mã hồ sơ: {dossier.code}.",
                f"Thời gian hẹn trả kết quả: {format_datetime(dossier.original_due_at)}.",
                f"Lý do chậm giải quyết: {dossier.reason}",
                "Cơ quan thành thật xin lỗi ông/bà vì sự chậm trễ này.",
                f"Thời gian hẹn trả lại kết quả: {format_datetime(dossier.due_at)}.",
            ]
        )
    ]
    doc.recipients = ["Như trên;", "Bộ phận Một cửa;", "Lưu: VT."]
    return _render(doc)


def form_05(dossier: Dossier) -> bytes:
    """Thông báo dừng giải quyết hồ sơ (fields unconfirmed, legal-rules A3)."""
    stop = dossier.history.filter(action="stop").last()
    doc = _base(dossier, "Thông báo dừng giải quyết hồ sơ", f"Hồ sơ {dossier.code}", "Bộ phận Một cửa")
    doc.sections = [
        Section(paragraphs=_applicant_lines(dossier)),
        Section(
            paragraphs=[
                f"Ngày đề nghị dừng: {format_datetime(stop.at) if stop else ''}.",
                f"Giai đoạn giải quyết: {State(stop.from_state).label if stop else ''}.",
                f"Nội dung đề nghị: {dossier.reason}",
                "Cơ quan thông báo dừng giải quyết hồ sơ theo đề nghị của ông/bà.",
            ]
        ),
    ]
    doc.recipients = ["Người nộp hồ sơ;", "Lưu: Bộ phận Một cửa."]
    return _render(doc)


def control_rows(dossier: Dossier) -> list[list]:
    rows = []
    for change in dossier.history.select_related("handed_to", "handed_to_unit"):
        receiver = (
            change.handed_to.full_name
            if change.handed_to_id
            else (change.handed_to_unit.name if change.handed_to_unit_id else "")
        )
        rows.append(
            [
                f"{State(change.from_state).label if change.from_state else ''} → "
                f"{State(change.to_state).label}",
                f"Giao: {change.actor_name}, {format_datetime(change.at)}"
                + (f" — Nhận: {receiver}" if receiver else ""),
                TIMELINESS_VN.get(change.step_timeliness, ""),
                change.note,
            ]
        )
    return rows


def form_06(dossier: Dossier) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over, from the history."""
    doc = _base(
        dossier, "Phiếu kiểm soát quá trình giải quyết hồ sơ", f"Mã hồ sơ: {dossier.code}", "Bộ phận Một cửa"
    )
    doc.sections = [
        Section(
            paragraphs=[
                f"Tên người nộp: {dossier.applicant_name}; điện thoại: {dossier.applicant_phone}",
                f"Thủ tục: {dossier.procedure_name}",
                f"Ngày nhận hồ sơ: {format_datetime(dossier.received_at or dossier.submitted_at)}; "
                f"hẹn trả: {format_datetime(dossier.due_at)}",
            ]
        ),
        Section(
            table=Table(
                ["Cơ quan/bước", "Thời gian giao, nhận hồ sơ", "Kết quả", "Ghi chú"], control_rows(dossier)
            )
        ),
    ]
    return _render(doc)


REGISTER_HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức; địa chỉ",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận",
    "Ngày hẹn trả",
    "Ngày chuyển hồ sơ",
    "Ngày nhận kết quả",
    "Ngày trả kết quả",
    "Ghi chú",
]


def register_rows(dossiers) -> list[list]:
    rows = []
    for i, d in enumerate(dossiers, 1):
        history = {h.action: h.at for h in d.history.all()}
        rows.append(
            [
                i,
                d.code,
                d.procedure_name,
                d.sets,
                f"{d.applicant_name}; {d.applicant_address}",
                d.handling_unit.name if d.handling_unit_id else "",
                timezone.localtime(d.received_at).date() if d.received_at else None,
                timezone.localtime(d.due_at).date() if d.due_at else None,
                timezone.localtime(history["transfer"]).date() if "transfer" in history else None,
                timezone.localtime(history["issue_result"]).date() if "issue_result" in history else None,
                timezone.localtime(d.returned_at).date() if d.returned_at else None,
                d.get_state_display(),
            ]
        )
    return rows


def form_07(dossiers) -> bytes:
    """Sổ theo dõi hồ sơ (Excel), built from the dossiers and their history."""
    return render_xlsx("Sổ theo dõi hồ sơ", REGISTER_HEADERS, register_rows(dossiers))


def result_pdf(dossier: Dossier) -> bytes:
    doc = _base(
        dossier, "Kết quả giải quyết thủ tục hành chính", dossier.procedure_name, "Thủ trưởng cơ quan"
    )
    doc.number_symbol = dossier.result_number
    doc.sections = [
        Section(
            paragraphs=[
                *_applicant_lines(dossier),
                f"Mã hồ sơ: {dossier.code}",
                dossier.result_summary or "Chấp thuận.",
            ]
        )
    ]
    doc.recipients = ["Người nộp hồ sơ;", "Lưu: VT, Bộ phận Một cửa."]
    return _render(doc)


def fee_receipt(dossier: Dossier, payment) -> bytes:
    """Biên lai thu phí, lệ phí điện tử: the receipt of a fee paid online (one payment)."""
    from apps.core.formatting.vn import amount_in_words

    doc = _base(
        dossier,
        "Biên lai thu phí, lệ phí",
        "(Biên lai điện tử)",
        "Đơn vị thu",
    )
    doc.number_symbol = payment.receipt_number
    doc.date = timezone.localdate(payment.paid_at) if payment.paid_at else timezone.localdate()
    doc.sections = [
        Section(
            paragraphs=[
                f"Số biên lai: {payment.receipt_number}",
                f"Tên người nộp: {dossier.applicant_name}",
                f"Địa chỉ: {dossier.applicant_address or '…'}",
                f"Mã số thuế/Số định danh: {dossier.applicant_id_number or '…'}",
                f"Nội dung thu: Phí, lệ phí giải quyết thủ tục hành chính “{dossier.procedure_name}”"
                f" — hồ sơ {dossier.code}",
                f"Số tiền: {format_money(payment.amount)}",
                f"Bằng chữ: {amount_in_words(int(payment.amount))}",
                "Hình thức thanh toán: trực tuyến qua cổng thanh toán "
                f"(mã giao dịch {payment.reference}"
                f"{', mã của cổng ' + payment.provider_transaction if payment.provider_transaction else ''})",
                f"Thời điểm thanh toán: {format_datetime(payment.paid_at)}",
            ]
        )
    ]
    doc.recipients = ["Người nộp tiền;", "Lưu: Bộ phận Một cửa."]
    return _render(doc)


FORMS = {"01": form_01, "02": form_02, "03": form_03, "04": form_04, "05": form_05, "06": form_06}
FORM_TITLES = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def available_forms(dossier: Dossier) -> list[str]:
    actions = set(dossier.history.values_list("action", flat=True))
    forms = []
    if "receive" in actions:
        forms.append("01")
    if "request_supplement" in actions:
        forms.append("02")
    if "refuse" in actions:
        forms.append("03")
    if "extend" in actions:
        forms.append("04")
    if "stop" in actions:
        forms.append("05")
    forms.append("06")
    return forms
