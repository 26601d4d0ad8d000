"""Demo data reproducing the plan's infrastructure figures (seed-figures.yaml: infrastructure,
human_resources, security).

At PLAN_DATE (01/10/2021), for the agency skhcn, `indicators.coverage` gives: 77 staff, 77 work
computers each assigned to one person (100%), 77/77 on the internet, 77/77 with Kaspersky Endpoint
(licence to 30/06/2022, last update 28/12/2021), 5 servers, 42 training computers, every unit with
a LAN, and 51/77 = 66,23% computers past their useful life: with the (unconfirmed, configurable)
5-year life of the "may-tinh" class, the 51 computers bought 2012–2015 are past it on 01/10/2021
and the 26 bought from 2017 are not.

Staff: 68 active staff accounts in 2021 plus 9 workers without an account (contract staff) — the
plan's 77 CBCCVC and workers — recorded as per-unit headcounts effective 01/01/2021.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.core.counters.models import CounterDefinition
from apps.organizations.models import Membership, Organization

from .models import (
    Asset,
    AssetClass,
    AssetStatus,
    AssetStatusChange,
    AssetType,
    Attendance,
    CoveragePolicy,
    ImportMapping,
    Incident,
    IncidentStatus,
    IncidentStatusChange,
    InformationSystem,
    ItStaff,
    Purpose,
    Qualification,
    SecurityLevelStatus,
    StaffHeadcount,
    StaffSkill,
    TrainingCourse,
    UnitNetwork,
)
from .notifications import ensure_templates
from .requirements import ensure_requirement_sets

PLAN_DATE = datetime.date(2021, 10, 1)
YEAR_START = datetime.date(2021, 1, 1)
UNITS = ["skhcn-vp", "skhcn-qlcn", "skhcn-ttud", "skhcn-khtc", "skhcn-qlkh", "skhcn-tt", "skhcn-ccdl"]
WORK_COMPUTERS = 77
PAST_DEPRECIATION = 51
SERVERS = 5
TRAINING_COMPUTERS = 42
CONTRACT_WORKERS = [
    "Nguyễn Văn Tài",
    "Trần Thị Hoa",
    "Lê Văn Sáu",
    "Phạm Thị Nga",
    "Y Điêng Niê",
    "Hồ Văn Lâm",
    "Đỗ Thị Bích",
    "Võ Văn Tâm",
    "H'Ra Byă",
]
UNCONFIRMED_SOURCE = "Cấu hình địa phương — thời gian sử dụng chưa đối chiếu văn bản của Bộ Tài chính"

ASSET_CLASSES = [
    ("may-tinh", "Máy vi tính để bàn, xách tay", AssetType.COMPUTER, 5),
    ("may-chu", "Máy chủ", AssetType.SERVER, 5),
    ("thiet-bi-mang", "Thiết bị mạng", AssetType.NETWORK, 5),
    ("peripheral", "Thiết bị ngoại vi", AssetType.PERIPHERAL, 5),
    ("licence", "Bản quyền phần mềm", AssetType.LICENCE, 3),
]

KASPERSKY = {
    "antivirus_product": "Kaspersky Endpoint Security",
    "antivirus_version": "11.6.0",
    "antivirus_licence_expiry": datetime.date(2022, 6, 30),
    # The console's last export of 2021: coverage is current at 31/12/2021, the end of the year the
    # plan of 2022 assesses (its Part I counts 77/77 computers with antivirus).
    "antivirus_last_update": datetime.date(2021, 12, 28),
}

# Column mapping of the computer list the endpoint-protection console exports (data, editable).
ENDPOINT_CONSOLE_MAPPING = {
    "key": "kaspersky-ksc",
    # The column names below are not checked against a real export of the console: the importer
    # also accepts the aliases of importer.ALIASES, and the layout is data an administrator edits.
    "name": "Danh sách máy tính xuất từ phần mềm quản trị phòng chống mã độc (tên cột cần đối chiếu)",
    "columns": {
        "Tên thiết bị": "code",
        "Device name": "code",
        "Hệ điều hành": "operating_system",
        "Operating system": "operating_system",
        "Phiên bản ứng dụng": "antivirus_version",
        "Application version": "antivirus_version",
        "Cập nhật cơ sở dữ liệu lần cuối": "antivirus_last_update",
        "Last database update": "antivirus_last_update",
        "Hạn giấy phép": "antivirus_licence_expiry",
        "License expiration": "antivirus_licence_expiry",
        "Số sê-ri": "serial",
        "Serial number": "serial",
    },
    "defaults": {"antivirus_product": "Kaspersky Endpoint Security", "internet_connected": True},
}

ASSET_LIST_MAPPING = {
    "key": "danh-muc-tai-san",
    "name": "Danh mục tài sản CNTT (mẫu xuất của hệ thống)",
    "columns": {
        "Mã tài sản": "code",
        "Loại": "asset_type",
        "Tên": "name",
        "Model": "model",
        "Số sê-ri": "serial",
        "Cấu hình": "specification",
        "Hệ điều hành": "operating_system",
        "Đơn vị": "organization",
        "Người sử dụng": "assigned_name",
        "Vị trí": "location",
        "Ngày mua": "purchase_date",
        "Nguyên giá": "purchase_value",
        "Mục đích": "purpose",
        "Kết nối Internet": "internet_connected",
        "Phần mềm diệt virus": "antivirus_product",
        "Phiên bản": "antivirus_version",
        "Hạn bản quyền": "antivirus_licence_expiry",
        "Cập nhật lần cuối": "antivirus_last_update",
        "Trạng thái": "status",
        "Hết khấu hao từ": "depreciation_end",
    },
    "defaults": {},
}


def ensure_mappings() -> int:
    created = 0
    for spec in (ENDPOINT_CONSOLE_MAPPING, ASSET_LIST_MAPPING):
        _obj, was = ImportMapping.objects.update_or_create(
            key=spec["key"],
            defaults={"name": spec["name"], "columns": spec["columns"], "defaults": spec["defaults"]},
        )
        created += was
    return created


def _asset(code, *, status=AssetStatus.IN_USE, **fields) -> bool:
    asset, created = Asset.objects.update_or_create(code=code, defaults={"status": status, **fields})
    if not asset.status_changes.exists():
        AssetStatusChange.objects.create(asset=asset, action="create", to_state=status, note="Dữ liệu mẫu")
    return created


def seed() -> dict:
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["skhcn", *UNITS])}
    if "skhcn" not in orgs:
        return {}
    counts = {"assets": 0}
    CoveragePolicy.objects.get_or_create(
        effective_from=datetime.date(2015, 1, 1),
        defaults={"antivirus_max_age_days": 7, "note": "Quy định nội bộ (không phải quy định pháp luật)"},
    )
    CounterDefinition.objects.get_or_create(
        key="itsec-incident",
        defaults={"name": "Sự cố an toàn thông tin", "format": "SC-{year}-{seq:04d}", "reset": "yearly"},
    )
    classes = {}
    for key, name, asset_type, years in ASSET_CLASSES:
        classes[key], _ = AssetClass.objects.update_or_create(
            key=key,
            effective_from=datetime.date(2010, 1, 1),
            defaults={
                "name": name,
                "asset_type": asset_type,
                "useful_life_years": years,
                "source": UNCONFIRMED_SOURCE,
            },
        )
    counts["mappings"] = ensure_mappings()
    counts["notification_templates"] = ensure_templates()
    counts["requirement_sets"] = ensure_requirement_sets()

    # Who works where in 2021: active staff accounts per unit, plus the contract workers.
    User = get_user_model()
    people: dict[str, list] = {code: [] for code in UNITS}
    for m in (
        Membership.objects.filter(
            organization__code__in=UNITS,
            is_active=True,
            user__username__regex=r"^cb\d{3}$",
            user__status="active",
        )
        .select_related("user", "organization")
        .order_by("user__username")
    ):
        people[m.organization.code].append(m.user)
    for i, name in enumerate(CONTRACT_WORKERS):
        people[UNITS[i % len(UNITS)]].append(name)
    for code in UNITS:
        StaffHeadcount.objects.update_or_create(
            organization=orgs[code],
            effective_from=YEAR_START,
            defaults={
                "headcount": len(people[code]),
                "note": "Biên chế và người lao động năm 2021 (dữ liệu mẫu)",
            },
        )
        UnitNetwork.objects.update_or_create(
            organization=orgs[code], effective_from=datetime.date(2015, 1, 1), defaults={"has_lan": True}
        )

    rng = random.Random(85)
    n = 0
    for code in UNITS:
        for person in people[code]:
            n += 1
            old = n <= PAST_DEPRECIATION
            bought = (
                datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1400))
                if old
                else datetime.date(2017, 3, 1) + datetime.timedelta(days=rng.randrange(0, 1500))
            )
            counts["assets"] += _asset(
                f"MT-{n:03d}",
                asset_type=AssetType.COMPUTER,
                asset_class=classes["may-tinh"],
                name="Máy vi tính để bàn",
                model=rng.choice(
                    ["Dell OptiPlex 3020", "HP ProDesk 400 G1", "Dell Vostro 3670", "Lenovo V530"]
                ),
                serial=f"SN{2021000 + n}",
                specification="Core i5, RAM 8 GB, SSD 256 GB",
                operating_system=rng.choice(["Windows 10 Pro", "Windows 7 Professional"]),
                organization=orgs[code],
                assigned_to=person if isinstance(person, User) else None,
                assigned_name="" if isinstance(person, User) else person,
                location=orgs[code].short_name,
                purchase_date=bought,
                purchase_value=12_500_000,
                purpose=Purpose.WORK,
                internet_connected=True,
                **KASPERSKY,
            )
    for i in range(1, TRAINING_COMPUTERS + 1):
        counts["assets"] += _asset(
            f"MTDT-{i:03d}",
            asset_type=AssetType.COMPUTER,
            asset_class=classes["may-tinh"],
            name="Máy vi tính phòng đào tạo",
            model="Dell OptiPlex 3020",
            serial=f"SNDT{2019000 + i}",
            operating_system="Windows 10 Pro",
            organization=orgs["skhcn-ttud"],
            location="Phòng đào tạo tin học",
            purchase_date=datetime.date(2019, 5, 15),
            purchase_value=11_000_000,
            purpose=Purpose.TRAINING,
            internet_connected=True,
            **KASPERSKY,
        )
    for i, role in enumerate(["Cổng TTĐT", "Thư điện tử", "CSDL KH&CN", "Sao lưu", "Máy chủ ứng dụng"], 1):
        counts["assets"] += _asset(
            f"MC-{i:02d}",
            asset_type=AssetType.SERVER,
            asset_class=classes["may-chu"],
            name=f"Máy chủ {role}",
            model="Dell PowerEdge R740",
            serial=f"SVR{i:04d}",
            operating_system="Ubuntu Server 20.04",
            organization=orgs["skhcn-ttud"],
            location="Phòng máy chủ",
            purchase_date=datetime.date(2018, 11, 20),
            purchase_value=180_000_000,
            internet_connected=True,
        )
    for i, code in enumerate(UNITS, 1):
        counts["assets"] += _asset(
            f"TBM-{i:02d}",
            asset_type=AssetType.NETWORK,
            asset_class=classes["thiet-bi-mang"],
            name="Bộ chuyển mạch 24 cổng",
            model="Cisco SG350-28",
            serial=f"SW{i:04d}",
            organization=orgs[code],
            location=orgs[code].short_name,
            purchase_date=datetime.date(2017, 8, 1),
            purchase_value=9_000_000,
            internet_connected=True,
        )
    counts["assets"] += _asset(
        "BQ-KES-2021",
        asset_type=AssetType.LICENCE,
        asset_class=classes["licence"],
        name="Bản quyền Kaspersky Endpoint Security (triển khai cùng Sở TT&TT)",
        organization=orgs["skhcn-ttud"],
        purchase_date=datetime.date(2021, 7, 1),
        purchase_value=0,
        antivirus_product="Kaspersky Endpoint Security",
        antivirus_licence_expiry=datetime.date(2022, 6, 30),
    )
    counts["assets"] += _asset(
        "NV-01",
        asset_type=AssetType.PERIPHERAL,
        asset_class=classes["peripheral"],
        name="Máy in laser",
        model="HP LaserJet Pro M404dn",
        serial="PRN0001",
        organization=orgs["skhcn-vp"],
        location="Văn phòng",
        purchase_date=datetime.date(2016, 3, 10),
        purchase_value=7_500_000,
        status=AssetStatus.BROKEN,
    )

    counts.update(_seed_people(orgs))
    counts.update(_seed_systems(orgs))
    counts.update(_seed_incidents(orgs))
    return counts


def _seed_people(orgs) -> dict:
    User = get_user_model()
    cntt = User.objects.filter(username="cntt").first()
    staff = [
        ("Đặng Quốc Huy", cntt, Qualification.MASTER, "Thạc sĩ Công nghệ thông tin"),
        ("Nguyễn Thị Thanh Hương", None, Qualification.BACHELOR, "Cử nhân Tin học"),
        ("Lê Minh Khoa", None, Qualification.BACHELOR, "Cử nhân Tin học"),
        ("Trần Quang Vinh", None, Qualification.BACHELOR, "Cử nhân Tin học"),
    ]
    created = 0
    for name, user, qualification, field in staff:
        _o, was = ItStaff.objects.update_or_create(
            full_name=name,
            defaults={
                "user": user,
                "organization": orgs["skhcn-ttud"],
                "qualification": qualification,
                "field_of_study": field,
                "dedicated": False,  # the plan: no dedicated IT officer at the office
                "active_from": datetime.date(2015, 1, 1),
            },
        )
        created += was
    for code in UNITS:
        headcount = StaffHeadcount.objects.get(organization=orgs[code], effective_from=YEAR_START).headcount
        StaffSkill.objects.update_or_create(
            organization=orgs[code],
            year=2021,
            defaults={"basic_it_skills": headcount, "security_trained": headcount},
        )
    course, _ = TrainingCourse.objects.update_or_create(
        title="Bồi dưỡng kỹ năng bảo đảm an toàn thông tin cho CBCCVC năm 2021",
        defaults={
            "organization": orgs["skhcn"],
            "starts_on": datetime.date(2021, 8, 16),
            "ends_on": datetime.date(2021, 8, 17),
            "topic": "security",
            "provider": "Sở Thông tin và Truyền thông",
        },
    )
    if not course.attendees.exists():
        Attendance.objects.bulk_create(
            Attendance(course=course, user=u, full_name=u.full_name)
            for u in User.objects.filter(username__regex=r"^cb\d{3}$", status="active").order_by("username")[
                :20
            ]
        )
    return {"it_staff": created}


def _seed_systems(orgs) -> dict:
    systems = [
        (
            "Cổng thông tin điện tử Sở KH&CN (skhcn.daklak.gov.vn)",
            InformationSystem.Kind.CITIZEN,
            {"information": ["public", "personal"], "online_service_level": 2},
            300,
        ),
        (
            "Hệ thống quản lý văn bản và điều hành (iDesk)",
            InformationSystem.Kind.INTERNAL,
            {"information": ["private", "personal"]},
            97,
        ),
        (
            "Mạng nội bộ (LAN) và hạ tầng máy chủ của Sở",
            InformationSystem.Kind.INFRASTRUCTURE,
            {"information": ["private"], "infrastructure_scope": "agency"},
            0,
        ),
    ]
    created = 0
    for name, kind, facts, users in systems:
        system, was = InformationSystem.objects.update_or_create(
            name=name,
            defaults={
                "organization": orgs["skhcn"],
                "operator": "Trung tâm Thông tin – Ứng dụng KH&CN",
                "kind": kind,
                "facts": facts,
                "user_count": users,
                "hosting": "Phòng máy chủ của Sở",
            },
        )
        created += was
        if was:
            from .classification import classify

            proposal = classify(system)
            system.proposed_level = proposal.level
            system.proposal_reasons = proposal.reasons
            system.level_status = SecurityLevelStatus.SUBMITTED
            system.submission_reference = "233/SKHCN-TTTK"
            system.submitted_on = datetime.date(2021, 4, 15)
            system.save()
    return {"systems": created}


def _seed_incidents(orgs) -> dict:
    User = get_user_model()
    reporter = User.objects.filter(username="chuyenvien").first()
    cntt = User.objects.filter(username="cntt").first()
    if not reporter or not cntt or Incident.objects.filter(code="SC-2021-0001").exists():
        return {"incidents": 0}
    incident = Incident.objects.create(
        code="SC-2021-0001",
        title="Thư điện tử giả mạo yêu cầu đăng nhập lại",
        description="Nhận thư giả mạo Cổng thông tin yêu cầu nhập mật khẩu.",
        occurred_at=timezone.make_aware(datetime.datetime(2021, 9, 6, 9, 0)),
        organization=orgs["skhcn-qlcn"],
        reported_by=reporter,
        status=IncidentStatus.CLOSED,
        severity="medium",
        category="phishing",
        assigned_to=cntt,
        lessons_learned="Nhắc toàn bộ CBCCVC không nhập mật khẩu qua liên kết trong thư.",
        closed_at=timezone.make_aware(datetime.datetime(2021, 9, 7, 16, 0)),
    )
    # Reported in 2021, not on the day the demo is seeded (reported_at is auto_now_add): the incident
    # statistics count it in 2021 and its handling time is closed − reported, never negative.
    reported_at = timezone.make_aware(datetime.datetime(2021, 9, 6, 9, 30))
    Incident.objects.filter(pk=incident.pk).update(reported_at=reported_at)
    # Historic rows of a demo incident handled in 2021, written as they were recorded then.
    for action, old, new, at in [
        ("create", "", "reported", reported_at),
        ("triage", "reported", "triaged", timezone.make_aware(datetime.datetime(2021, 9, 6, 10, 0))),
        ("respond", "triaged", "responding", timezone.make_aware(datetime.datetime(2021, 9, 6, 11, 0))),
        ("close", "responding", "closed", incident.closed_at),
    ]:
        IncidentStatusChange.objects.create(
            incident=incident, action=action, from_state=old, to_state=new, actor=cntt, at=at
        )
    return {"incidents": 1}
