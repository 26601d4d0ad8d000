"""Demo foundation of the reference deployment (Sở KH&CN Đắk Lắk): organisations and accounts.

Reproduces the plan's account figures (I.V: 97 created, 29 stopped, 68 in use). Idempotent: every
record is found by a natural key and brought to the same state. Registered as the first seeder.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.notifications.defaults import ensure_default_templates
from apps.organizations.models import Membership, Organization, OrganizationKind
from apps.organizations.roles import Role

from .models import AccountStatus, DeactivationReason, User
from .services import sync_groups

DEMO_PASSWORD = "ChinhQuyenSo@2026"  # noqa: S105 — documented in the README, demo only

# code, name, short name, kind, parent code, typical (not named in the plan)
ORGANIZATIONS = [
    ("dak-lak", "Tỉnh Đắk Lắk", "Đắk Lắk", OrganizationKind.PROVINCE, None, False),
    ("skhcn", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "Sở KH&CN", OrganizationKind.AGENCY, "dak-lak", False),
    ("skhcn-vp", "Văn phòng Sở", "VP", OrganizationKind.UNIT, "skhcn", False),
    ("skhcn-qlcn", "Phòng Quản lý Công nghệ", "QLCN", OrganizationKind.UNIT, "skhcn", False),
    ("skhcn-ttud", "Trung tâm Thông tin – Ứng dụng KH&CN", "TTUD", OrganizationKind.UNIT, "skhcn", False),
    ("skhcn-khtc", "Phòng Kế hoạch – Tài chính", "KHTC", OrganizationKind.UNIT, "skhcn", True),
    ("skhcn-qlkh", "Phòng Quản lý Khoa học", "QLKH", OrganizationKind.UNIT, "skhcn", True),
    ("skhcn-tt", "Thanh tra Sở", "TT", OrganizationKind.UNIT, "skhcn", True),
    ("skhcn-ccdl", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "CCTĐC", OrganizationKind.UNIT, "skhcn", True),
]

# username, full name, role, unit code, position
DEMO_ACCOUNTS = [
    ("congdan", "Nguyễn Thị Hoa", Role.CITIZEN, "dak-lak", ""),
    ("motcua", "Trần Văn Bình", Role.ONE_STOP_OFFICER, "skhcn-vp", "Cán bộ Bộ phận Một cửa"),
    ("chuyenvien", "Lê Thị Mai", Role.SPECIALIST, "skhcn-qlcn", "Chuyên viên"),
    ("truongphong", "Phạm Văn Dũng", Role.UNIT_HEAD, "skhcn-qlcn", "Trưởng phòng"),
    ("lanhdao", "Hoàng Minh Đức", Role.LEADER, "skhcn", "Phó Giám đốc"),
    ("vanthu", "Vũ Thị Lan", Role.CLERK, "skhcn-vp", "Văn thư"),
    ("cntt", "Đặng Quốc Huy", Role.IT_OFFICER, "skhcn-ttud", "Cán bộ CNTT"),
    ("bientap", "Bùi Thị Thu Trang", Role.EDITOR, "skhcn-ttud", "Biên tập viên"),
    ("quantri", "Ngô Thanh Sơn", Role.ADMINISTRATOR, "skhcn", "Quản trị hệ thống"),
]

# The plan (I.V): as of 10/2021, 97 accounts created, 29 stopped (transfer or retirement), 68 in use.
STAFF_TOTAL = 97
STAFF_STOPPED_TRANSFER = 17
STAFF_STOPPED_RETIREMENT = 12
FIGURES_AS_OF = datetime.date(2021, 10, 4)

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Y",
    "H'",
]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Hữu", "Đức", "Thu", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lâm",
    "Linh",
    "Long",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Phương",
    "Quang",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Tiến",
    "Trung",
    "Tuấn",
    "Uyên",
    "Việt",
    "Xuân",
    "Yến",
]
STAFF_UNITS = ["skhcn-vp", "skhcn-qlcn", "skhcn-ttud", "skhcn-khtc", "skhcn-qlkh", "skhcn-tt", "skhcn-ccdl"]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))


def _staff_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if surname in {"Y", "H'"}:  # Ê Đê names of the Central Highlands
        return rng.choice(["Y Điêng Niê", "H'Hen Niê", "Y Bhin Mlô", "H'Ra Byă"])
    return f"{surname} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@transaction.atomic
def seed_foundation() -> dict[str, int]:
    created = {"organizations": 0, "accounts": 0}
    orgs: dict[str, Organization] = {}
    for order, (code, name, short, kind, parent, typical) in enumerate(ORGANIZATIONS):
        org, was_created = Organization.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": orgs.get(parent),
                "is_typical": typical,
                "order": order,
            },
        )
        orgs[code] = org
        created["organizations"] += was_created

    for username, full_name, role, unit, title in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@demo.skhcn.daklak.gov.vn")
            user.set_password(DEMO_PASSWORD)
            user.save()
            created["accounts"] += 1
        Membership.objects.get_or_create(
            user=user, organization=orgs[unit], role=role, defaults={"title": title}
        )
        sync_groups(user)

    rng = random.Random(2021)  # fixed seed: the same names and dates on every machine
    reasons = [DeactivationReason.TRANSFER] * STAFF_STOPPED_TRANSFER + [
        DeactivationReason.RETIREMENT
    ] * STAFF_STOPPED_RETIREMENT
    for i in range(1, STAFF_TOTAL + 1):
        joined = datetime.date(2012, 1, 3) + datetime.timedelta(days=rng.randrange(0, 3400))
        joined = min(joined, datetime.date(2021, 6, 30))
        name = _staff_name(rng)
        unit = orgs[STAFF_UNITS[i % len(STAFF_UNITS)]]
        stopped = i <= len(reasons)
        stop_day = None
        if stopped:
            stop_day = min(joined + datetime.timedelta(days=rng.randrange(180, 2400)), FIGURES_AS_OF)
        username = f"cb{i:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_unusable_password()  # historic records: nobody signs in with them
            created["accounts"] += 1
        user.full_name = name
        user.email = f"{username}@skhcn.daklak.gov.vn"
        user.date_joined = _aware(joined)
        user.status = AccountStatus.DEACTIVATED if stopped else AccountStatus.ACTIVE
        user.deactivation_reason = reasons[i - 1] if stopped else ""
        user.status_changed_on = stop_day
        user.save()
        Membership.objects.update_or_create(
            user=user,
            organization=unit,
            role=Role.SPECIALIST,
            defaults={"is_active": not stopped, "title": "Công chức"},
        )
        sync_groups(user)

    ensure_default_templates()
    if created["organizations"] or created["accounts"]:
        record(
            "demo_data_seeded",
            None,
            note=f"{created['organizations']} tổ chức, {created['accounts']} tài khoản",
        )
    return created
