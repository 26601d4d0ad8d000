"""Small builders for procedure tests."""

import datetime
from decimal import Decimal

from apps.procedures import services
from apps.procedures.schema import default_steps

FORM_FIELDS = [
    {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True, "max_length": 50},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "required": False},
    {"name": "so_thiet_bi", "label": "Số thiết bị", "type": "number", "required": False},
    {"name": "gia_tri", "label": "Giá trị hợp đồng", "type": "number", "required": False},
    {"name": "email", "label": "Thư điện tử", "type": "email", "required": False},
    {"name": "dien_thoai", "label": "Số điện thoại", "type": "phone", "required": True},
    {
        "name": "hinh_thuc",
        "label": "Hình thức",
        "type": "choice",
        "required": False,
        "choices": ["moi", "cap_lai"],
    },
]

DOCUMENTS = [
    {
        "code": "don",
        "name": "Đơn đề nghị",
        "form": "original",
        "quantity": 1,
        "required": True,
        "template_file_id": None,
    },
    {
        "code": "ban-sao",
        "name": "Bản sao giấy tờ",
        "form": "copy",
        "quantity": 2,
        "required": False,
        "template_file_id": None,
    },
]


def make_published(
    name="Cấp giấy phép tiến hành công việc bức xạ",
    *,
    code="",
    field="Năng lượng nguyên tử",
    days=Decimal(10),
    fee=None,
    level=4,
    unit=None,
    effective_from=datetime.date(2020, 1, 1),
    channels=("online", "walk_in"),
):
    version = services.create_procedure(
        None,
        code=code,
        name=name,
        field=services.field_named(field),
        competent_unit=unit,
        processing_days=days,
        steps=default_steps(days),
        documents=DOCUMENTS,
        form_fields=FORM_FIELDS,
        fee=fee or {"kind": "none"},
        legacy_level=level,
        online_level="full" if level == 4 else "partial",
        channels=list(channels),
        result_type="Giấy phép",
    )
    return services.publish(None, version, effective_from=effective_from)
