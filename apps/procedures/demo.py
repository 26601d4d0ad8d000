"""Demo catalogue: the 54 procedures of the plan's Part I (31 at level 2, 3 at level 3, 20 at level 4).

Source rows: `data/procedures-catalogue.csv` (a copy of the research catalogue), without the
rows labelled 2025 (they did not exist in 2021), filled up with clearly labelled demonstration
procedures "(thủ tục minh họa)" so the count is 54.

Assumptions (stored on every version in `note`, since the plan does not say them):
* which procedure had which legacy level — chosen by a rule below so the counts are 31/3/20;
* the online level and channels derived from that legacy level;
* a processing time of 15 working days where the source gives none, and the split into steps;
* the generic document components and applicant form fields.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from apps.organizations.models import Organization

from . import importexport, services
from .models import Procedure, VersionStatus
from .schema import default_steps

CSV_PATH = Path(__file__).parent / "data" / "procedures-catalogue.csv"
EFFECTIVE_FROM = datetime.date(2020, 1, 1)  # before the 2021 figures
DEMO_DAYS = Decimal(15)
TARGET = {2: 31, 3: 3, 4: 20}
TOTAL = 54

RADIATION = "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân"
STANDARDS = "Tiêu chuẩn đo lường chất lượng"
SCIENCE = "Hoạt động khoa học và công nghệ"
IP = "Sở hữu trí tuệ (sở hữu công nghiệp)"

UNIT_BY_FIELD = {RADIATION: "skhcn-qlcn", STANDARDS: "skhcn-ccdl", IP: "skhcn-qlcn"}
DEFAULT_UNIT = "skhcn-qlkh"

# Demonstration procedures filling the catalogue up to 54 (names say they are illustrations).
DEMO_PROCEDURES = [
    (
        SCIENCE,
        "Cấp giấy xác nhận đăng ký tham gia mạng lưới thông tin khoa học và công nghệ (thủ tục minh họa)",
    ),
    (SCIENCE, "Cấp giấy xác nhận ứng dụng tiến bộ kỹ thuật tại cơ sở (thủ tục minh họa)"),
    (SCIENCE, "Đăng ký đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh (thủ tục minh họa)"),
    (SCIENCE, "Xác nhận hợp đồng nghiên cứu khoa học với tổ chức nước ngoài (thủ tục minh họa)"),
    (SCIENCE, "Cấp giấy chứng nhận đăng ký hoạt động thông tin khoa học và công nghệ (thủ tục minh họa)"),
    (SCIENCE, "Công nhận kết quả đánh giá công nghệ của dự án đầu tư (thủ tục minh họa)"),
    (SCIENCE, "Thẩm định công nghệ dự án đầu tư sử dụng vốn nhà nước (thủ tục minh họa)"),
    (SCIENCE, "Cấp giấy phép tổ chức hội thảo khoa học có yếu tố nước ngoài (thủ tục minh họa)"),
    (RADIATION, "Cấp giấy phép vận chuyển chất phóng xạ trong tỉnh (thủ tục minh họa)"),
    (RADIATION, "Xác nhận kế hoạch kiểm xạ định kỳ cơ sở X-quang (thủ tục minh họa)"),
    (STANDARDS, "Cấp giấy xác nhận đăng ký kiểm định phương tiện đo (thủ tục minh họa)"),
    (STANDARDS, "Cấp giấy phép sử dụng dấu hợp chuẩn cho sản phẩm địa phương (thủ tục minh họa)"),
    (STANDARDS, "Đăng ký chỉ định tổ chức đánh giá sự phù hợp (thủ tục minh họa)"),
    (IP, "Xác nhận đăng ký sáng kiến cấp cơ sở (thủ tục minh họa)"),
    (IP, "Hỗ trợ đăng ký bảo hộ nhãn hiệu sản phẩm đặc thù địa phương (thủ tục minh họa)"),
]

# Fee rules from procedures-notes.md §1 (national rules; the CSV leaves formula fees blank).
FORMULA_FEES = {
    "Cấp Giấy chứng nhận đăng ký chuyển giao công nghệ": ("0.001", "5000000", "10000000"),
    "Cấp Giấy chứng nhận đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao": (
        "0.001",
        "3000000",
        "5000000",
    ),
}
PER_DEVICE_FEES = {
    "Cấp giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang": "3000000",
    "Gia hạn giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang": "2250000",
}

LEVEL_NOTE = (
    "Dữ liệu minh họa: kế hoạch năm 2022 chỉ nêu tổng số "
    "(54 thủ tục: mức độ 2: 31, mức độ 3: 3, mức độ 4: 20), "
    "không nêu thủ tục nào ở mức nào; việc gán mức độ, mức độ trực tuyến "
    "và kênh tiếp nhận ở đây là giả định."
)
DAYS_NOTE = "Thời hạn giải quyết chưa xác minh từ nguồn; 15 ngày làm việc là giá trị minh họa."
STEPS_NOTE = "Các bước xử lý, thành phần hồ sơ và trường biểu mẫu là bộ mặc định minh họa."

APPLICANT_FIELDS = [
    {
        "name": "ho_ten",
        "label": "Họ và tên người đề nghị / tên tổ chức",
        "type": "text",
        "required": True,
        "max_length": 255,
    },
    {"name": "dia_chi", "label": "Địa chỉ", "type": "text", "required": True, "max_length": 500},
    {"name": "so_dien_thoai", "label": "Số điện thoại", "type": "phone", "required": True},
    {"name": "email", "label": "Thư điện tử", "type": "email", "required": False},
    {
        "name": "noi_dung",
        "label": "Nội dung đề nghị",
        "type": "textarea",
        "required": True,
        "max_length": 4000,
    },
]
DOCUMENTS = [
    {
        "code": "don-de-nghi",
        "name": "Đơn đề nghị (theo mẫu)",
        "form": "original",
        "quantity": 1,
        "required": True,
        "template_file_id": None,
    },
    {
        "code": "giay-to-phap-ly",
        "name": "Giấy tờ chứng minh tư cách pháp lý của tổ chức, cá nhân",
        "form": "copy",
        "quantity": 1,
        "required": True,
        "template_file_id": None,
    },
    {
        "code": "tai-lieu-khac",
        "name": "Tài liệu khác có liên quan (nếu có)",
        "form": "either",
        "quantity": 1,
        "required": False,
        "template_file_id": None,
    },
]


def demo_rows() -> list[dict]:
    """The CSV rows of 2021 plus the demonstration rows, 54 in all."""
    rows = [r for r in importexport.read_rows(CSV_PATH.read_bytes(), "x.csv") if "2025" not in r["name_vi"]]
    for field_name, name in DEMO_PROCEDURES[: TOTAL - len(rows)]:
        rows.append(
            {"code": "", "name_vi": name, "field_vi": field_name, "processing_days": "", "fee_vnd": "0"}
        )
    assert len(rows) == TOTAL, len(rows)
    return rows


def assign_levels(rows: list[dict]) -> list[int]:
    """Level 4: radiation and standards procedures plus the science registrations; level 3: the
    science-enterprise certificates and the transfer of research results; level 2: the rest."""
    levels = []
    for row in rows:
        name, field_name = row["name_vi"], row["field_vi"]
        if "minh họa" in name:
            levels.append(2)
        elif field_name in (RADIATION, STANDARDS) or (field_name == SCIENCE and name.startswith("Đăng ký")):
            levels.append(4)
        elif "Giấy chứng nhận doanh nghiệp khoa học" in name or name.startswith("Giao quyền sở hữu"):
            levels.append(3)
        else:
            levels.append(2)
    counts = {level: levels.count(level) for level in TARGET}
    assert counts == TARGET, counts
    return levels


ONLINE_BY_LEVEL = {
    4: ("full", ["online", "walk_in", "post"]),
    3: ("partial", ["online", "walk_in", "post"]),
    2: ("none", ["walk_in", "post"]),
}


def _fee(name: str, fee_vnd: str) -> tuple[dict, list[dict]]:
    extra: list[dict] = []
    for prefix, (rate, low, high) in FORMULA_FEES.items():
        if name.startswith(prefix):
            extra = [
                {
                    "name": "gia_tri_hop_dong",
                    "label": "Giá trị hợp đồng chuyển giao công nghệ (đồng)",
                    "type": "number",
                    "required": True,
                }
            ]
            return {
                "kind": "formula",
                "rate": rate,
                "base_field": "gia_tri_hop_dong",
                "min": low,
                "max": high,
            }, extra
    for prefix, amount in PER_DEVICE_FEES.items():
        if name.startswith(prefix):
            extra = [
                {"name": "so_thiet_bi", "label": "Số thiết bị X-quang", "type": "number", "required": True}
            ]
            return {"kind": "per_item", "amount": amount, "quantity_field": "so_thiet_bi"}, extra
    if fee_vnd and Decimal(fee_vnd) > 0:
        return {"kind": "fixed", "amount": str(int(Decimal(fee_vnd)))}, extra
    return {"kind": "none"}, extra


def seed_procedures() -> dict[str, int]:
    """Idempotent: procedures are found by their natural key and brought to the same state."""
    rows = demo_rows()
    levels = assign_levels(rows)
    units = {o.code: o for o in Organization.objects.filter(code__in=[*UNIT_BY_FIELD.values(), DEFAULT_UNIT])}
    created = 0
    with transaction.atomic():
        for row, level in zip(rows, levels, strict=True):
            name = row["name_vi"]
            key = services.procedure_key(row["code"], name)
            fee, extra_fields = _fee(name, row.get("fee_vnd", ""))
            days = Decimal(row["processing_days"]) if row.get("processing_days") else DEMO_DAYS
            online, channels = ONLINE_BY_LEVEL[level]
            notes = [LEVEL_NOTE, STEPS_NOTE]
            if not row.get("processing_days"):
                notes.insert(1, DAYS_NOTE)
            if row.get("confidence"):
                notes.append(f"Độ tin cậy của nguồn: {row['confidence']}.")
            values = {
                "code": row["code"],
                "name": name,
                "field": services.field_named(row["field_vi"]),
                "competent_unit": units.get(UNIT_BY_FIELD.get(row["field_vi"], DEFAULT_UNIT)),
                "processing_days": days,
                "steps": default_steps(days),
                "documents": DOCUMENTS,
                "form_fields": APPLICANT_FIELDS + extra_fields,
                "fee": fee,
                "result_type": "Giấy chứng nhận / văn bản chấp thuận",
                "legacy_level": level,
                "online_level": online,
                "channels": channels,
                "source_url": row.get("source_url", ""),
                "note": "\n".join(notes),
            }
            procedure = Procedure.objects.filter(key=key).first()
            if procedure is None:
                version = services.create_procedure(None, key=key, **values)
                services.publish(None, version, effective_from=EFFECTIVE_FROM)
                created += 1
                continue
            # Bring an untouched demo procedure back to the demo state without new history; once an
            # administrator has made further versions, those are deliberate and stay as they are.
            if procedure.versions.count() == 1:
                first = procedure.versions.get()
                for field_name, value in values.items():
                    setattr(first, field_name, value)
                first.status, first.effective_from, first.effective_to = (
                    VersionStatus.PUBLISHED,
                    EFFECTIVE_FROM,
                    None,
                )
                first.save()
    return {"procedures": created}  # what this run created (the seed contract)
