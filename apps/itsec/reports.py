"""Documents of the module: the incident report to the provincial response team (PDF) and the
dossier proposing a security level (DOCX, Decree 85/2016 Art. 15; legal-rules.md C3)."""

from django.utils import timezone

from apps.core.formatting.vn import format_datetime
from apps.core.rendering.document import AdministrativeDocument, Section, Signer, Table, to_docx, to_pdf

AGENCY = "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"
PARENT = "UBND tỉnh Đắk Lắk"
PLACE = "Đắk Lắk"
# Law 86/2015 Art. 21(2): the harm a compromise of the system would cause, by level.
LEVEL_TEXT = {
    1: "gây tổn hại tới quyền và lợi ích hợp pháp của tổ chức, cá nhân",
    2: (
        "gây tổn hại nghiêm trọng tới quyền và lợi ích hợp pháp của tổ chức, cá nhân "
        "hoặc gây tổn hại tới lợi ích công cộng"
    ),
    3: (
        "gây tổn hại nghiêm trọng tới sản xuất, lợi ích công cộng và trật tự, an toàn xã hội "
        "hoặc gây tổn hại tới quốc phòng, an ninh quốc gia"
    ),
    4: (
        "gây tổn hại đặc biệt nghiêm trọng tới lợi ích công cộng và trật tự, an toàn xã hội "
        "hoặc gây tổn hại nghiêm trọng tới quốc phòng, an ninh quốc gia"
    ),
    5: "gây tổn hại đặc biệt nghiêm trọng tới quốc phòng, an ninh quốc gia",
}


def _agency_name(org) -> str:
    agency = org.agency()
    return agency.name if agency else AGENCY


def incident_report_pdf(incident) -> bytes:
    return to_pdf(incident_report(incident))


def incident_report_docx(incident) -> bytes:
    """The same report as an editable Word file (to add a number and sign in the office system)."""
    return to_docx(incident_report(incident))


def incident_report(incident) -> AdministrativeDocument:
    """The report to the provincial response team (Đội ứng cứu sự cố ATTT mạng của tỉnh)."""
    steps = list(incident.steps.select_related("actor"))
    doc = AdministrativeDocument(
        parent_agency=PARENT,
        agency=_agency_name(incident.organization),
        doc_type="BÁO CÁO",
        summary=f"Sự cố an toàn thông tin mạng {incident.code}",
        place=PLACE,
        date=timezone.localdate(),
        number_symbol="      /BC-SKHCN",
        signer=Signer(position="GIÁM ĐỐC", name="", authority="KT. GIÁM ĐỐC"),
        recipients=["Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Đắk Lắk", "Lưu: VT, TTUD"],
        sections=[
            Section(
                "1. Thông tin chung",
                [
                    f"Tên sự cố: {incident.title}.",
                    f"Đơn vị: {incident.organization.name}.",
                    f"Thời điểm phát hiện: {format_datetime(incident.occurred_at)}.",
                    f"Người phát hiện: {incident.reported_by.full_name}.",
                    f"Mức độ: {incident.get_severity_display() or 'chưa phân loại'}; "
                    f"loại sự cố: {incident.get_category_display() or 'chưa phân loại'}.",
                    f"Trạng thái: {incident.get_status_display()}.",
                ],
            ),
            Section("2. Mô tả sự cố", [incident.description]),
            Section(
                "3. Hệ thống, thiết bị bị ảnh hưởng",
                [
                    ", ".join(
                        [str(a) for a in incident.assets.all()] + [str(s) for s in incident.systems.all()]
                    )
                    or "Không."
                ],
            ),
            Section(
                "4. Các bước xử lý",
                [] if steps else ["Chưa ghi nhận."],
                Table(
                    ["Thời gian", "Nội dung xử lý", "Người thực hiện"],
                    [[format_datetime(s.at), s.action, s.actor.full_name if s.actor else ""] for s in steps],
                )
                if steps
                else None,
            ),
            Section("5. Bài học kinh nghiệm", [incident.lessons_learned or "Chưa có."]),
        ],
    )
    return doc


def proposal_dossier_docx(system) -> bytes:
    level = system.proposed_level
    sections = [
        Section(
            "1. Tài liệu mô tả tổng quan hệ thống thông tin",
            [
                f"Tên hệ thống: {system.name}.",
                f"Chủ quản: {system.organization.name}. Đơn vị vận hành: {system.operator or 'chưa ghi'}.",
                f"Mục đích: {system.purpose or 'chưa ghi'}.",
                f"Đối tượng sử dụng: {system.users or 'chưa ghi'}.",
                f"Thông tin được xử lý: {system.data_processed or 'chưa ghi'}.",
                f"Hạ tầng lưu trữ: {system.hosting or 'chưa ghi'}.",
                f"Kết nối: {system.connections or 'chưa ghi'}.",
            ],
        ),
        Section(
            "2. Tài liệu thiết kế",
            [
                "Thiết kế sơ bộ (dự án mới, nâng cấp) hoặc thiết kế thi công đã phê duyệt "
                "(hệ thống đang vận hành): kèm theo."
            ],
        ),
        Section(
            "3. Thuyết minh đề xuất cấp độ",
            [
                f"Đề xuất cấp độ {level}: hệ thống khi bị phá hoại sẽ {LEVEL_TEXT[level]}.",
                "Căn cứ các tiêu chí tại Nghị định số 85/2016/NĐ-CP:",
                *system.proposal_reasons,
            ],
        ),
        Section(
            "4. Thuyết minh phương án bảo đảm an toàn hệ thống thông tin theo cấp độ",
            ["Phương án đáp ứng các yêu cầu quản lý và kỹ thuật theo cấp độ đề xuất: kèm theo."],
        ),
    ]
    if level >= 4:
        sections.append(
            Section(
                "5. Ý kiến chuyên môn của đơn vị chuyên trách về an toàn thông tin của chủ quản",
                ["Kèm theo."],
            )
        )
    doc = AdministrativeDocument(
        parent_agency=PARENT,
        agency=_agency_name(system.organization),
        doc_type="HỒ SƠ",
        summary=f"Đề xuất cấp độ an toàn hệ thống thông tin: {system.name}",
        place=PLACE,
        date=timezone.localdate(),
        number_symbol=system.submission_reference or "      /SKHCN-TTTK",
        signer=Signer(position="GIÁM ĐỐC", name=""),
        recipients=["Như trên", "Lưu: VT, TTUD"],
        sections=sections,
    )
    return to_docx(doc)
