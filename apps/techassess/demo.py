"""Demo data: some 60 Đắk Lắk enterprises in five industries, surveyed in 2022 and 2024 and scored
with the demonstration ("minh họa") methodology. Idempotent: enterprises by tax code, surveys by
(enterprise, year); results are only computed for surveys that have none.
"""

import random

from django.db import transaction
from django.utils import timezone

from apps.core.notifications.models import NotificationTemplate
from apps.organizations.models import Organization

from .models import Enterprise, Survey, SurveyStatus, SurveyStatusChange
from .services import _compute, ensure_bundled

YEARS = (2022, 2024)

# VSIC code, industry, name stems, count, quality (0 weak … 1 strong)
INDUSTRIES = [
    ("1077", "Sản xuất cà phê", ["Cà phê", "Chế biến cà phê", "Cà phê bột"], 16, 0.55),
    ("1610", "Cưa, xẻ, bào gỗ và bảo quản gỗ", ["Chế biến gỗ", "Lâm sản", "Gỗ nội thất"], 11, 0.35),
    ("1079", "Sản xuất thực phẩm khác", ["Thực phẩm", "Nông sản", "Chế biến hạt điều"], 12, 0.45),
    (
        "2392",
        "Sản xuất vật liệu xây dựng từ đất sét",
        ["Gạch ngói", "Vật liệu xây dựng", "Gạch Tuynel"],
        11,
        0.4,
    ),
    (
        "2592",
        "Gia công cơ khí; xử lý và tráng phủ kim loại",
        ["Cơ khí", "Cơ khí chế tạo", "Kết cấu thép"],
        10,
        0.5,
    ),
]
PLACES = [
    "Buôn Ma Thuột",
    "Ea Kao",
    "Tân An",
    "Krông Pắc",
    "Ea Kar",
    "Cư M'gar",
    "Buôn Hồ",
    "Krông Năng",
    "Ea H'leo",
    "Cư Kuin",
    "Hòa Phú",
    "Krông Bông",
]
COMMUNES = [
    "Phường Buôn Ma Thuột",
    "Phường Tân An",
    "Phường Ea Kao",
    "Xã Krông Pắc",
    "Xã Ea Kar",
    "Xã Cư M'gar",
    "Phường Buôn Hồ",
    "Xã Krông Năng",
    "Xã Ea H'leo",
    "Xã Cư Kuin",
]
FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]

NOTIFICATION_TEMPLATES = [
    (
        "techassess_survey_returned",
        "Phiếu khảo sát trình độ công nghệ cần bổ sung",
        "Kính gửi {{ enterprise.name }},\n\nPhiếu khảo sát trình độ công nghệ năm {{ survey.year }} "
        "được trả lại để bổ sung, chỉnh sửa. Ý kiến của Sở: {{ note }}\n\n"
        "Vui lòng đăng nhập để cập nhật và nộp lại.",
    ),
    (
        "techassess_survey_accepted",
        "Đã có kết quả đánh giá trình độ công nghệ",
        "Kính gửi {{ enterprise.name }},\n\nPhiếu khảo sát năm {{ survey.year }} đã được Sở tiếp nhận "
        "và tính kết quả. Vui lòng đăng nhập để xem kết quả và tải báo cáo.",
    ),
]


def ensure_notification_templates() -> int:
    created = 0
    for event, subject, body in NOTIFICATION_TEMPLATES:
        for channel in ("email", "in_app"):
            _obj, was_created = NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, defaults={"subject": subject, "body": body, "is_active": True}
            )
            created += was_created
    return created


def demo_answers(rng: random.Random, quality: float, year_offset: int) -> dict:
    """Plausible answers for an enterprise of the given quality; later years slightly better."""
    q = min(1.0, max(0.0, quality + rng.uniform(-0.3, 0.3) + 0.05 * year_offset))
    employees = rng.randint(12, 400)
    revenue = round(employees * rng.uniform(600, 2600) * (0.6 + q), 0)
    pick = lambda options: options[min(len(options) - 1, int(q * len(options) + rng.uniform(-0.6, 0.6)))]  # noqa: E731
    return {
        "employees_total": employees,
        "revenue": revenue,
        "equipment_avg_age": round(max(0.5, 18 - 16 * q + rng.uniform(-2, 2)), 1),
        "automation_level": pick(["manual", "mechanised", "semi_auto", "automatic"]),
        "equipment_origin": pick(["domestic", "asia", "g7"]),
        "equipment_value": round(employees * rng.uniform(120, 520) * (0.5 + q), 0),
        "equipment_new_share": round(min(100, max(0, 60 * q + rng.uniform(-10, 10))), 1),
        "energy_cost": round(revenue * rng.uniform(0.03, 0.12) * (1.3 - 0.6 * q), 0),
        "material_cost": round(revenue * rng.uniform(0.5, 0.8) * (1.15 - 0.3 * q), 0),
        "waste_treatment": pick(["none", "partial", "full"]),
        "output_value": round(revenue * rng.uniform(0.9, 1.1), 0),
        "standard_share": round(min(100, 45 + 55 * q + rng.uniform(-8, 5)), 1),
        "capacity_use": round(min(100, 35 + 60 * q + rng.uniform(-10, 10)), 1),
        "staff_university": int(employees * min(0.5, 0.02 + 0.3 * q * rng.uniform(0.5, 1.2))),
        "staff_technical": int(employees * min(0.9, 0.1 + 0.6 * q * rng.uniform(0.6, 1.2))),
        "training_cost": round(employees * rng.uniform(0.1, 3.0) * q, 1),
        "management_system": pick(["none", "one", "several"]),
        "digital_tools": pick(["none", "office", "erp"]),
        "rnd_spending": round(revenue * rng.uniform(0, 0.025) * q, 1),
        "rnd_staff": int(rng.uniform(0, 8) * q),
        "rnd_partners": int(rng.uniform(0, 4) * q),
        "tech_transfer": rng.random() < q * 0.7,
        "rnd_facility": pick(["none", "shared", "own"]),
        "new_products": int(rng.uniform(0, 6) * q),
        "process_improvements": int(rng.uniform(0, 5) * q),
        "ip_assets": int(rng.uniform(0, 5) * q * q),
        "innovation_spending": round(revenue * rng.uniform(0, 0.03) * q, 1),
    }


@transaction.atomic
def seed_techassess() -> dict:
    counts = {"notification_templates": ensure_notification_templates()}
    methods = ensure_bundled()
    demo = methods["demo"]
    unit = Organization.objects.filter(code="skhcn-qlcn").first()
    if unit is None:
        return counts
    from apps.accounts.models import User

    officer = User.objects.filter(username="chuyenvien").first()
    counts["enterprises"] = counts["surveys"] = counts["results"] = 0
    serial = 0
    for vsic, industry, stems, count, quality in INDUSTRIES:
        for i in range(count):
            serial += 1
            tax_code = f"6000{serial:06d}"
            form = FORMS[(serial + i) % len(FORMS)]
            name = f"{form} {stems[i % len(stems)]} {PLACES[(serial * 7 + i) % len(PLACES)]}"
            if Enterprise.objects.filter(name=name).exclude(tax_code=tax_code).exists():
                name = f"{name} {serial}"
            enterprise, created = Enterprise.objects.update_or_create(
                tax_code=tax_code,
                defaults={
                    "name": name,
                    "vsic_code": vsic,
                    "industry_name": industry,
                    "commune": COMMUNES[serial % len(COMMUNES)],
                    "address": f"Số {10 + serial}, {COMMUNES[serial % len(COMMUNES)]}, tỉnh Đắk Lắk",
                    "email": f"lienhe.{tax_code}@example.vn",
                    "organization": unit,
                    "created_by": officer,
                },
            )
            counts["enterprises"] += created
            enterprise_rng = random.Random(tax_code)
            for offset, year in enumerate(YEARS):
                survey, created = Survey.objects.get_or_create(
                    enterprise=enterprise,
                    year=year,
                    defaults={
                        "methodology": demo,
                        "organization": unit,
                        "created_by": officer,
                        "entered_on_behalf": True,
                        "answers": demo_answers(enterprise_rng, quality, offset),
                        "status": SurveyStatus.ACCEPTED,
                        "submitted_at": timezone.now(),
                        "reviewed_by": officer,
                    },
                )
                if created:
                    counts["surveys"] += 1
                    SurveyStatusChange.objects.bulk_create(
                        [
                            SurveyStatusChange(
                                survey=survey, action="create", to_state=SurveyStatus.DRAFT, actor=officer
                            ),
                            SurveyStatusChange(
                                survey=survey,
                                action="submit",
                                from_state=SurveyStatus.DRAFT,
                                to_state=SurveyStatus.SUBMITTED,
                                actor=officer,
                            ),
                            SurveyStatusChange(
                                survey=survey,
                                action="accept",
                                from_state=SurveyStatus.SUBMITTED,
                                to_state=SurveyStatus.ACCEPTED,
                                actor=officer,
                            ),
                        ]
                    )
                if not survey.results.exists():
                    _compute(survey, actor=officer)
                    counts["results"] += 1
    counts["demo_account_surveys"] = _seed_demo_account(unit, demo)
    return counts


def _seed_demo_account(unit, demo) -> int:
    """The demo enterprise account (congdan) owns one enterprise with a half-filled survey."""
    from apps.accounts.models import User

    owner = User.objects.filter(username="congdan").first()
    if owner is None:
        return 0
    enterprise, _ = Enterprise.objects.get_or_create(
        tax_code="6001000001",
        defaults={
            "name": "Công ty TNHH Cà phê Hoa Đắk Lắk",
            "vsic_code": "1077",
            "industry_name": "Sản xuất cà phê",
            "commune": "Phường Tân An",
            "owner": owner,
            "organization": unit,
            "created_by": owner,
        },
    )
    answers = demo_answers(random.Random("congdan"), 0.5, 1)
    answers["equipment_list"] = [
        {"name": "Máy rang cà phê 120 kg/mẻ", "year": 2017, "origin": "asia", "quantity": 1, "value": 850},
        {"name": "Máy xay cà phê công nghiệp", "year": 2019, "origin": "g7", "quantity": 2, "value": 420},
        {"name": "Máy đóng gói tự động", "year": 2021, "origin": "domestic", "quantity": 1, "value": 310},
    ]
    first_sections = [sec["code"] for sec in demo.definition["sections"][:2]]
    keep = {q["code"] for sec in demo.definition["sections"][:2] for q in sec["questions"]}
    survey, created = Survey.objects.get_or_create(
        enterprise=enterprise,
        year=timezone.localdate().year,
        defaults={
            "methodology": demo,
            "organization": unit,
            "created_by": owner,
            "answers": {k: v for k, v in answers.items() if k in keep},
            "sections_saved": first_sections,
        },
    )
    if created:
        SurveyStatusChange.objects.create(
            survey=survey, action="create", to_state=SurveyStatus.DRAFT, actor=owner
        )
    return int(created)
