"""Demo data (order 500): the plan's own task list (section IV, 4.1–4.7) assigned to its units with
progress through 2022, a quarterly report filled by the units, meetings with minutes, and this week's
work schedule. Idempotent: tasks by title, meetings by title and start, periods by (template, quarter).

Notification templates are created last, so that seeding the history sends no e-mail.
"""

import datetime
import zoneinfo

from apps.accounts.models import User
from apps.organizations.models import Organization

from . import reporting, services
from .defaults import ensure_default_templates
from .models import (
    Meeting,
    ReportPeriod,
    ReportRegime,
    ReportTemplate,
    Room,
    Task,
    TemplateIndicator,
)

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
PLAN = "Kế hoạch phát triển chính quyền số và bảo đảm ATTT mạng năm 2022 của Sở KH&CN"

# (plan item, title, units, assigned on, deadline, per-unit outcome)
# outcome: ("done", reported on) | ("extended", new deadline, reported on) | ("progress", percent)
#          | ("reported", reported on)
TASKS = [
    (
        "4.1",
        "Triển khai thực hiện đúng các quy định, cơ chế, chính sách về phát triển CNTT và an toàn thông tin",
        ["skhcn-vp"],
        D(2022, 1, 10),
        D(2022, 12, 15),
        {"skhcn-vp": ("done", D(2022, 12, 9))},
    ),
    (
        "4.2",
        "Đầu tư hệ thống hội nghị truyền hình trực tuyến phục vụ các cuộc họp trực tuyến",
        ["skhcn-ttud"],
        D(2022, 1, 10),
        D(2022, 9, 30),
        {"skhcn-ttud": ("extended", D(2022, 11, 30), D(2022, 11, 25))},
    ),
    (
        "4.2",
        "Thuê 01 đường truyền lease line phục vụ website của Sở",
        ["skhcn-ttud"],
        D(2022, 1, 10),
        D(2022, 3, 31),
        {"skhcn-ttud": ("done", D(2022, 3, 28))},
    ),
    (
        "4.3",
        "Áp dụng hệ thống thông tin báo cáo trực tuyến tại Sở KH&CN "
        "để lãnh đạo Sở theo dõi nhiệm vụ được giao",
        ["skhcn-vp", "skhcn-ttud"],
        D(2022, 1, 17),
        D(2022, 6, 30),
        {"skhcn-vp": ("done", D(2022, 6, 24)), "skhcn-ttud": ("done", D(2022, 7, 12))},
    ),
    (
        "4.4",
        "Sử dụng Hệ thống thông tin KH&CN (sti.vista.gov.vn) để cập nhật dữ liệu KH&CN của tỉnh",
        ["skhcn-qlcn"],
        D(2022, 2, 7),
        D(2022, 12, 15),
        {"skhcn-qlcn": ("done", D(2022, 12, 12))},
    ),
    (
        "4.5",
        "Nâng cấp phần mềm đánh giá trình độ công nghệ của doanh nghiệp theo Thông tư 17/2019/TT-BKHCN",
        ["skhcn-qlcn", "skhcn-ttud"],
        D(2022, 2, 7),
        D(2022, 10, 31),
        {"skhcn-qlcn": ("progress", 70), "skhcn-ttud": ("reported", D(2022, 10, 27))},
    ),
    (
        "4.6",
        "Rà soát, sửa đổi quy chế sử dụng thiết bị và hệ thống CNTT; "
        "quản trị, biên tập thông tin trên website",
        ["skhcn-vp"],
        D(2022, 2, 14),
        D(2022, 5, 31),
        {"skhcn-vp": ("done", D(2022, 5, 27))},
    ),
    (
        "4.6",
        "Bảo đảm 100% máy tính được trang bị phần mềm bản quyền phòng chống mã độc",
        ["skhcn-ttud"],
        D(2022, 2, 14),
        D(2022, 6, 30),
        {"skhcn-ttud": ("done", D(2022, 6, 20))},
    ),
    (
        "4.6",
        "Định kỳ kiểm tra, đánh giá an toàn thông tin trong hệ thống nội bộ",
        ["skhcn-ttud"],
        D(2022, 2, 14),
        D(2022, 11, 30),
        {"skhcn-ttud": ("progress", 50)},
    ),
    (
        "4.7",
        "Cử công chức, viên chức tham gia các lớp đào tạo, bồi dưỡng kỹ năng ứng dụng CNTT và ATTT mạng",
        ["skhcn-vp", "skhcn-qlcn", "skhcn-ttud"],
        D(2022, 3, 1),
        D(2022, 12, 15),
        {
            "skhcn-vp": ("done", D(2022, 11, 18)),
            "skhcn-qlcn": ("done", D(2022, 12, 2)),
            "skhcn-ttud": ("done", D(2022, 12, 20)),
        },
    ),
]

# a member of each unit who reports for it
WORKER = {"skhcn-vp": "vanthu", "skhcn-qlcn": "truongphong", "skhcn-ttud": "cntt"}

INDICATORS = [
    ("may_tinh", "Số máy tính của đơn vị", "máy", "", ""),
    ("may_tinh_av", "Số máy tính có phần mềm phòng chống mã độc bản quyền", "máy", "", ""),
    ("ty_le_av", "Tỷ lệ máy tính có phần mềm phòng chống mã độc", "%", "may_tinh_av / may_tinh * 100", ""),
    ("van_ban_ky_so", "Số văn bản đi được ký số", "văn bản", "", ""),
    ("nhiem_vu_hoan_thanh", "Số nhiệm vụ được giao đã hoàn thành trong kỳ", "nhiệm vụ", "", ""),
    ("tai_khoan", "Số tài khoản đang sử dụng (cuối kỳ)", "tài khoản", "", "accounts.active_at_end"),
]
# per unit, per quarter: computers, with antivirus, signed documents, tasks done
FIGURES = {
    "skhcn-vp": [(14, 12, 160, 1), (14, 13, 175, 2), (15, 15, 168, 1), (15, 15, 190, 3)],
    "skhcn-qlcn": [(8, 7, 42, 0), (8, 8, 47, 0), (9, 9, 51, 0), (9, 9, 55, 2)],
    "skhcn-ttud": [(12, 10, 30, 1), (12, 12, 36, 2), (13, 13, 33, 1), (13, 13, 40, 2)],
}


def _aware(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HCM)


def seed() -> dict:
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["skhcn", *WORKER])}
    if len(orgs) < 4:
        return {}
    users = {
        u.username: u for u in User.objects.filter(username__in=["lanhdao", "truongphong", *WORKER.values()])
    }
    leader = users.get("lanhdao")
    if leader is None:
        return {}
    counts = {"tasks": _seed_tasks(leader, orgs, users)}
    counts.update(_seed_reports(leader, orgs, users))
    counts["meetings"] = _seed_meetings(leader, orgs, users)
    counts["notification_templates"] = ensure_default_templates()
    return counts


def _seed_tasks(leader, orgs, users) -> int:
    created = 0
    for item, title, units, assigned_on, due, outcomes in TASKS:
        if Task.objects.filter(title=title).exists():
            continue
        task = services.assign_task(
            leader,
            title=title,
            due_date=due,
            units=[orgs[c] for c in units],
            source_kind="plan",
            source_reference=f"{PLAN}, mục {item}",
            expected_result="Báo cáo kết quả thực hiện kèm tài liệu minh chứng.",
            priority="high" if item in ("4.3", "4.6") else "normal",
            on=assigned_on,
        )
        created += 1
        for code, outcome in outcomes.items():
            a = task.assignments.get(unit=orgs[code])
            worker = users[WORKER[code]]
            midway = assigned_on + (due - assigned_on) / 2
            services.update_progress(worker, a, percent=40, note="Đang triển khai theo kế hoạch.", on=midway)
            kind = outcome[0]
            if kind == "progress":
                services.update_progress(worker, a, percent=outcome[1], note="Đang hoàn thiện.", on=due)
                continue
            if kind == "extended":
                ext = services.request_extension(
                    worker, a, new_due_date=outcome[1], reason="Chờ phân bổ kinh phí đầu tư thiết bị."
                )
                services.decide_extension(leader, ext, approve=True, note="Đồng ý gia hạn.")
                reported = outcome[2]
            else:
                reported = outcome[1]
            services.report_completion(worker, a, note="Đã hoàn thành nhiệm vụ.", on=reported)
            if kind != "reported":
                services.review_completion(leader, a, accept=True, note="Đạt yêu cầu.", on=reported)
    return created


def _seed_reports(leader, orgs, users) -> dict:
    regime, _ = ReportRegime.objects.update_or_create(
        code="cds-hang-quy",
        defaults={
            "name": "Báo cáo tình hình ứng dụng CNTT, chuyển đổi số hằng quý",
            "legal_basis": "Nghị định 09/2019/NĐ-CP (kỳ số liệu); hạn gửi do Sở quy định (dữ liệu mẫu)",
            "frequency": "quarterly",
            "cutoff_day": 15,
            "deadline_workdays": 3,
            "receiver": orgs["skhcn"],
        },
    )
    regime.reporters.set([orgs[c] for c in WORKER])
    template, _ = ReportTemplate.objects.get_or_create(
        regime=regime,
        version=1,
        defaults={"name": "Biểu số liệu chuyển đổi số quý", "effective_from": D(2022, 1, 1)},
    )
    for order, (code, label, unit, formula, source) in enumerate(INDICATORS, 1):
        TemplateIndicator.objects.update_or_create(
            template=template,
            code=code,
            defaults={
                "label": label,
                "unit": unit,
                "formula": formula,
                "source_key": source,
                "order": order,
                "required": not source,
                "kind": "percent" if formula else "integer",
            },
        )
    filled = 0
    for quarter in range(1, 5):
        if ReportPeriod.objects.filter(template=template, year=2022, index=quarter).exists():
            continue
        _start, end = reporting.cutoff_window("quarterly", 2022, quarter)
        for period in reporting.open_due_periods(end - datetime.timedelta(days=2)):
            for report in period.unit_reports.select_related("organization"):
                pc, av, docs, done = FIGURES[report.organization.code][quarter - 1]
                values = {
                    "may_tinh": pc,
                    "may_tinh_av": av,
                    "van_ban_ky_so": docs,
                    "nhiem_vu_hoan_thanh": done,
                }
                sent = _aware(period.cutoff_to + datetime.timedelta(days=1), 9)
                worker = users[WORKER[report.organization.code]]
                reporting.save_values(worker, report, values, submit=True, now=sent)
                if quarter < 4:
                    reporting.review_report(leader, report, accept=True)
                filled += 1
    return {"unit_reports": filled}


def _seed_meetings(leader, orgs, users) -> int:
    room, _ = Room.objects.get_or_create(
        organization=orgs["skhcn"],
        name="Phòng họp số 1",
        defaults={"location": "Tầng 2, trụ sở Sở KH&CN", "capacity": 30},
    )
    Room.objects.get_or_create(
        organization=orgs["skhcn"],
        name="Phòng họp trực tuyến",
        defaults={"location": "Tầng 3", "capacity": 15},
    )
    participants = [u for u in (users.get("truongphong"), users.get("cntt"), users.get("vanthu")) if u]
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    meetings = [
        (
            "Họp triển khai Kế hoạch chuyển đổi số năm 2022",
            _aware(D(2022, 1, 12), 8),
            2,
            "in_person",
            "Thống nhất phân công các phòng, đơn vị thực hiện các nhiệm vụ 4.1–4.7 của Kế hoạch.",
            True,
        ),
        (
            "Sơ kết 6 tháng thực hiện chuyển đổi số",
            _aware(D(2022, 7, 6), 14),
            2,
            "hybrid",
            "Các đơn vị báo cáo tiến độ; TTUD hoàn thiện hệ thống báo cáo trực tuyến trước 30/7.",
            True,
        ),
        (
            "Tổng kết công tác chuyển đổi số năm 2022",
            _aware(D(2022, 12, 21), 8),
            3,
            "hybrid",
            "Đánh giá kết quả năm 2022; xây dựng Kế hoạch năm 2023.",
            True,
        ),
        ("Giao ban lãnh đạo Sở đầu tuần", _aware(monday, 7, 30), 1, "in_person", "", False),
        (
            "Họp trực tuyến với UBND tỉnh về chuyển đổi số",
            _aware(monday + datetime.timedelta(days=2), 14),
            2,
            "online",
            "",
            False,
        ),
    ]
    created = 0
    for title, start, hours, mode, minutes, held in meetings:
        if Meeting.objects.filter(title=title, starts_at=start).exists():
            continue
        meeting = services.schedule_meeting(
            leader,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            mode=mode,
            room=room if mode != "online" else None,
            chair="Đồng chí Giám đốc Sở",
            participants=participants,
            organization=orgs["skhcn"],
        )
        created += 1
        if held:
            services.record_minutes(
                leader,
                meeting,
                minutes=minutes,
                attendance={p.pk: "present" for p in meeting.participants.all()},
            )
    return created
