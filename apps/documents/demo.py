"""Demo registers 2020–2022 of Sở KH&CN Đắk Lắk, with the documents the plan itself cites.

The plan is outgoing 172/KH-SKHCN of 06/10/2021 signed by Đinh Khắc Tuấn (Giám đốc); it cites
Báo cáo 275/BC-SKHCN (24/12/2020) and Công văn 233/SKHCN-TTTK (15/04/2021). Those three are
composed with the Decree 30 layout and signed (personal signature + organisation seal) with the
demo certificate authority under var/pki/, which the demo trusts. The other entries are realistic
but invented samples (not from the plan), clearly marked by their summaries being generic.

Idempotent: documents are found by register + year + number; existing ones are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.core.counters.models import Counter
from apps.core.signing import Pkcs12Key, demo_pki_dir, sign_pdf
from apps.core.signing.pki import write_demo_pki
from apps.organizations.models import Organization

from .catalogue import ensure_document_types
from .models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    IncomingStatusChange,
    IssuerCode,
    OutgoingDocument,
    OutgoingStatus,
    OutgoingStatusChange,
    OutgoingVersion,
    Recipient,
    Register,
    SigningKey,
)

# Demo only: the password of every demo PKCS#12 key (documented in the README section of the report).
DEMO_KEY_PASSWORD = "KySo@2026"  # noqa: S105

# Abbreviations (B2: fixed by the head of the agency). TTTK comes from the plan's "233/SKHCN-TTTK".
ISSUER_CODES = {"skhcn": "SKHCN", "skhcn-vp": "VP", "skhcn-ttud": "TTTK", "skhcn-qlcn": "QLCN"}

# slug, common name, organisation, unit, title (the position; a demo account's comes from its
# membership, see pki_signers). Đinh Khắc Tuấn has no account: the plan names him Giám đốc.
PKI_SIGNERS = [
    ("dinh-khac-tuan", "Đinh Khắc Tuấn", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "", "Giám đốc"),
    ("lanhdao", "Hoàng Minh Đức", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "", "Phó Giám đốc"),
    ("seal-skhcn", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", ""),
]


def pki_signers() -> list[tuple]:
    """PKI_SIGNERS with each account's certificate naming the person and position the organisation
    holds for them (the signer's membership), so that the certificate and the documents they sign
    agree."""
    from .signing_keys import signer_identity

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[s[0] for s in PKI_SIGNERS])}
    signers = []
    for slug, name, organization, unit, *rest in PKI_SIGNERS:
        if slug in users:
            name, title = signer_identity(users[slug])
            rest = [title]
        signers.append((slug, name, organization, unit, *rest))
    return signers


PLAN_DOCUMENTS = [
    # number, type, date, summary, drafting unit, recipients, body
    (
        275,
        "BC",
        dt.date(2020, 12, 24),
        "Ứng dụng CNTT, phát triển Chính quyền số và bảo đảm ATTT mạng năm 2020 và kế hoạch 2021",
        "skhcn-ttud",
        ["Sở Thông tin và Truyền thông", "Lưu: VT, TTUD"],
        "Thực hiện yêu cầu của Sở Thông tin và Truyền thông, Sở Khoa học và Công nghệ báo cáo kết quả ứng "
        "dụng công nghệ thông tin, phát triển Chính quyền số và bảo đảm an toàn thông tin mạng năm 2020 và "
        "kế hoạch năm 2021 như sau.",
    ),
    (
        233,
        "Công văn",
        dt.date(2021, 4, 15),
        "Đề nghị thẩm định, phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin",
        "skhcn-ttud",
        ["Sở Thông tin và Truyền thông", "Lưu: VT, TTTK"],
        "Sở Khoa học và Công nghệ đề nghị Sở Thông tin và Truyền thông thẩm định, phê duyệt hồ sơ đề xuất "
        "cấp độ an toàn hệ thống thông tin của Sở.",
    ),
    (
        172,
        "KH",
        dt.date(2021, 10, 6),
        "Phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022",
        "skhcn-ttud",
        ["Sở TT&TT", "Giám đốc, các PGĐ Sở", "Lưu: VT, VP, TTUD (M_08b)"],
        "Căn cứ các văn bản của Trung ương và của tỉnh về chuyển đổi số, Sở Khoa học và Công nghệ xây dựng "
        "Kế hoạch phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022 như sau.",
    ),
]

# Invented samples (not from the plan): sender, type, summary, days to handle, handled late?
INCOMING_SAMPLES = [
    ("UBND tỉnh Đắk Lắk", "Công văn", "Về việc báo cáo tình hình thực hiện chuyển đổi số", 7, False),
    ("Sở Thông tin và Truyền thông", "Công văn", "Về việc rà soát hệ thống thông tin theo cấp độ", 10, False),
    (
        "Bộ Khoa học và Công nghệ",
        "Thông báo",
        "Thông báo kết quả xét chọn nhiệm vụ KH&CN cấp quốc gia",
        15,
        False,
    ),
    ("Sở Tài chính", "Công văn", "Về việc lập dự toán ngân sách năm sau", 10, True),
    ("Văn phòng UBND tỉnh", "Giấy mời", "Mời dự họp trực tuyến về chính quyền số", 2, False),
    ("Sở Nội vụ", "Công văn", "Về việc báo cáo số lượng cán bộ, công chức, viên chức", 5, False),
    ("UBND tỉnh Đắk Lắk", "Quyết định", "Quyết định ban hành kế hoạch cải cách hành chính", 20, False),
    ("Sở Thông tin và Truyền thông", "Hướng dẫn", "Hướng dẫn bảo đảm an toàn thông tin mạng", 10, False),
    ("Bộ Khoa học và Công nghệ", "Công văn", "Về việc báo cáo thống kê KH&CN định kỳ", 10, True),
    ("UBND huyện Cư M'gar", "Công văn", "Đề nghị hỗ trợ chuyển giao công nghệ sản xuất cà phê", 15, False),
    ("Sở Kế hoạch và Đầu tư", "Công văn", "Về việc góp ý dự thảo kế hoạch đầu tư công", 7, False),
    ("Công an tỉnh Đắk Lắk", "Công văn", "Về việc phối hợp bảo đảm an ninh mạng", 10, False),
]


def _aware(day: dt.date, hour: int = 8, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _ensure_pki() -> dict:
    paths = write_demo_pki(demo_pki_dir(), pki_signers(), DEMO_KEY_PASSWORD)
    return paths


def _ensure_keys(agency, paths) -> int:
    created = 0
    user = get_user_model().objects.filter(username="lanhdao").first()
    if user is not None:
        _, was = SigningKey.objects.update_or_create(
            user=user,
            kind=SigningKey.Kind.PERSONAL,
            defaults={"path": paths["lanhdao"].name, "display_name": user.full_name},
        )
        created += was
    _, was = SigningKey.objects.update_or_create(
        organization=agency,
        kind=SigningKey.Kind.SEAL,
        defaults={"path": paths["seal-skhcn"].name, "display_name": agency.name},
    )
    return created + was


def _set_counter(register: Register, year: int, value: int) -> None:
    counter, _ = Counter.objects.get_or_create(
        key=register.counter_key,
        organization=register.organization,
        period=f"{year:04d}",
        defaults={"value": 0},
    )
    if counter.value < value:
        counter.value = value
        counter.save(update_fields=["value"])


def _store_pdf(content: bytes, name: str, agency, user):
    from django.core.files.base import ContentFile

    from apps.core.files.intake import accept_upload

    return accept_upload(ContentFile(content, name=name), purpose="signed", user=user, organization=agency)


def seed_documents() -> dict:
    from . import services

    counts = {"outgoing": 0, "incoming": 0, "keys": 0}
    agency = Organization.objects.filter(code="skhcn").first()
    if agency is None:
        return counts
    units = {o.code: o for o in Organization.objects.filter(code__startswith="skhcn")}
    for code, abbreviation in ISSUER_CODES.items():
        if code in units:
            IssuerCode.objects.update_or_create(organization=units[code], defaults={"code": abbreviation})
    ensure_document_types()
    types = {t.abbreviation or t.name: t for t in DocumentType.objects.all()}
    general = services.default_register(agency, "outgoing")
    dispatch, _ = Register.objects.get_or_create(
        organization=agency,
        code="outgoing-cv",
        defaults={"direction": "outgoing", "name": "Sổ đăng ký công văn đi"},
    )
    dispatch.doc_types.add(types["Công văn"])
    incoming_register = services.default_register(agency, "incoming")

    paths = _ensure_pki()
    counts["keys"] = _ensure_keys(agency, paths)
    director_key = Pkcs12Key(paths["dinh-khac-tuan"], DEMO_KEY_PASSWORD, display_name="Đinh Khắc Tuấn")
    seal_key = Pkcs12Key(paths["seal-skhcn"], DEMO_KEY_PASSWORD, display_name=agency.name)
    User = get_user_model()
    clerk = User.objects.filter(username="vanthu").first()
    drafter = User.objects.filter(username="cntt").first() or clerk
    specialist = User.objects.filter(username="chuyenvien").first()
    head = User.objects.filter(username="truongphong").first()
    if clerk is None or drafter is None:
        return counts

    # The plan and the documents it cites: composed, signed and sealed.
    for number, type_key, day, summary, unit_code, recipients, body in PLAN_DOCUMENTS:
        doc_type = types[type_key]
        register = dispatch if doc_type.is_dispatch else general
        if OutgoingDocument.objects.filter(register=register, year=day.year, number=number).exists():
            continue
        unit = units.get(unit_code, agency)
        doc = OutgoingDocument(
            organization=agency,
            drafting_unit=unit,
            register=register,
            doc_type=doc_type,
            summary=summary,
            status=OutgoingStatus.ISSUED,
            year=day.year,
            number=number,
            number_symbol=f"{number:02d}/{services.symbol_for(doc_type, agency, unit)}",
            issued_date=day,
            signer_name="Đinh Khắc Tuấn",
            signer_title="Giám đốc",
            digitally_signed=True,
            sealed=True,
            issued_at=_aware(day, 16, 0),
            created_by=drafter,
            composition={
                "body": body,
                "signer_name": "Đinh Khắc Tuấn",
                "signer_title": "Giám đốc",
                "recipients": "\n".join(f"{r};" for r in recipients),
            },
        )
        pdf = services.compose_pdf(doc, doc.composition)
        signed = sign_pdf(
            pdf,
            director_key,
            reason=f"Ký ban hành {doc.number_symbol}",
            location="Đắk Lắk",
            near_name="Đinh Khắc Tuấn",
        )
        signed = sign_pdf(
            signed,
            seal_key,
            reason=f"Phát hành {doc.number_symbol}",
            location="Đắk Lắk",
            appearance="seal",
            organization=agency.name,
            near_name="Đinh Khắc Tuấn",
        )
        name = doc.number_symbol.replace("/", "-")
        doc.signed_file = _store_pdf(signed, f"{name}.pdf", agency, clerk)
        doc.search_text = services._outgoing_search_text(doc, body)
        doc.save()
        OutgoingVersion.objects.create(
            document=doc,
            number=1,
            file=_store_pdf(pdf, f"{name}-du-thao.pdf", agency, drafter),
            created_by=drafter,
        )
        for r in recipients:
            Recipient.objects.create(document=doc, name=r)
        OutgoingStatusChange.objects.create(
            document=doc,
            action="issue",
            from_state=OutgoingStatus.SIGNED,
            to_state=OutgoingStatus.ISSUED,
            actor=clerk,
        )
        counts["outgoing"] += 1
        _set_counter(register, day.year, number)

    # Invented incoming samples through 2021–2022, handled by Phòng QLCN; a few still open in 2022.
    lead_unit = units.get("skhcn-qlcn", agency)
    arrival = {2021: 0, 2022: 0}
    for year in (2021, 2022):
        for i, (sender, type_key, summary, days, late) in enumerate(INCOMING_SAMPLES):
            arrival[year] += 1
            number = arrival[year]
            if IncomingDocument.objects.filter(
                register=incoming_register, year=year, arrival_number=number
            ).exists():
                continue
            day = dt.date(year, 1 + (i * 11) // 12, 3 + (i * 7) % 24)
            open_case = year == 2022 and i >= len(INCOMING_SAMPLES) - 3
            deadline = day + dt.timedelta(days=days)
            completed = None if open_case else _aware(deadline + dt.timedelta(days=3 if late else -1), 15)
            doc = IncomingDocument(
                organization=agency,
                register=incoming_register,
                year=year,
                arrival_number=number,
                arrived_at=_aware(day),
                sender_name=sender,
                number_symbol=f"{100 + i * 17}/{'UBND-KT' if 'UBND' in sender else 'CV'}",
                document_date=day - dt.timedelta(days=2),
                doc_type=types.get(type_key) or types["Công văn"],
                summary=summary,
                pages=2,
                status=IncomingStatus.IN_PROGRESS if open_case else IncomingStatus.COMPLETED,
                instruction="Giao Phòng Quản lý Công nghệ chủ trì tham mưu.",
                deadline=deadline,
                lead_unit=lead_unit,
                handler=specialist,
                completed_at=completed,
                result_note="" if open_case else "Đã tham mưu xử lý.",
                created_by=clerk,
            )
            doc.search_text = services._incoming_search_text(doc)
            doc.save()
            for action, previous, to in [
                ("create", "", IncomingStatus.REGISTERED),
                ("assign", IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED),
                ("assign_handler", IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS),
            ] + ([] if open_case else [("complete", IncomingStatus.IN_PROGRESS, IncomingStatus.COMPLETED)]):
                IncomingStatusChange.objects.create(
                    document=doc,
                    action=action,
                    from_state=previous,
                    to_state=to,
                    actor=head if to != "registered" else clerk,
                )
            counts["incoming"] += 1
        _set_counter(incoming_register, year, arrival[year])
    _ensure_notification_templates()
    return counts


NOTIFICATIONS = {
    "document_received": "Văn bản đến mới: {{ document.number_symbol }} — {{ document.summary }}",
    "document_to_assign": "Văn bản đến chờ Lãnh đạo cho ý kiến: {{ document.summary }}",
    "document_assigned": "Bạn được giao xử lý văn bản: {{ document.summary }}",
    "document_to_review": "Dự thảo chờ bạn duyệt: {{ document.summary }}",
    "document_returned": "Dự thảo bị trả lại để chỉnh sửa: {{ document.summary }}",
    "document_recalled": "Văn bản đến đã bị bên gửi thu hồi: {{ document.number_symbol }} — "
    "{{ document.summary }}",
    "document_due": "Văn bản sắp đến hạn xử lý ({{ document.deadline|date:'d/m/Y' }}): "
    "{{ document.summary }}",
    "document_overdue": "Văn bản đã quá hạn xử lý ({{ document.deadline|date:'d/m/Y' }}): "
    "{{ document.summary }}",
}


def _ensure_notification_templates() -> None:
    from apps.core.notifications.models import Channel, NotificationTemplate

    for event, text in NOTIFICATIONS.items():
        NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.IN_APP, defaults={"subject": text, "body": text, "is_active": True}
        )
