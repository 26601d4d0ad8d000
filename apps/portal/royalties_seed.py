"""Demo data of the editorial office: the royalty frame (demonstration values), the base salary
history, the 2021 budget line, royalties for 2021 within it, and answered citizen questions.

Idempotent: every record is found by a natural key. Runs after the public site's seeder; the
royalty items of 2021 refer to the portal pages first published in 2021 when there are any, and
stand alone (title only) otherwise, so the seeder works without pages too.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import record
from apps.core.calendar import workdays
from apps.organizations.models import Organization

from . import services_royalties as rservices
from .models import (
    BaseSalary,
    PaymentListStatus,
    Question,
    QuestionChange,
    QuestionStatus,
    QuestionTopic,
    RoyaltyBudget,
    RoyaltyContributor,
    RoyaltyFrame,
    RoyaltyGenre,
    RoyaltyItem,
)
from .questions_notifications import ensure_default_templates
from .services_questions import answer_workdays

# (effective from, amount, legal basis). Only the 2024 value is in reference/legal-rules.md; the
# earlier ones are the published decrees' values, to be checked against the official texts.
BASE_SALARIES = [
    (dt.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (dt.date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]

FRAME_NAME = "Khung nhuận bút Cổng TTĐT Sở (giá trị minh họa)"
FRAME_NOTE = (
    "DỮ LIỆU MINH HỌA, KHÔNG PHẢI QUY ĐỊNH: khung nhuận bút riêng của tỉnh Đắk Lắk cho Cổng thông tin "
    "điện tử chưa được xác nhận. Các hệ số dưới đây phỏng theo khung của một tỉnh khác (Ninh Thuận, "
    "QĐ 23/2020/QĐ-UBND) và nằm dưới mức tối đa của Nghị định 18/2014/NĐ-CP. Thay bằng quyết định của tỉnh."
)
# code, name, min, max
GENRES = [
    ("tin", "Tin", "1.0", "2.5"),
    ("anh", "Ảnh", "1.2", "1.8"),
    ("tra-loi-ban-doc", "Trả lời bạn đọc", "1.0", "2.0"),
    ("phan-anh", "Bài phản ánh", "2.0", "2.5"),
    ("binh-luan", "Bài bình luận, chính luận", "2.5", "3.0"),
    ("nghien-cuu", "Bài nghiên cứu", "3.0", "4.0"),
    ("truc-tuyen", "Tác phẩm trực tuyến, đa phương tiện", "4.0", "5.0"),
]

# The plan (I.VII): 117 million đồng for the internet service and the portal's royalties in 2021;
# the appendix gives 150 million for 2022 (line 3). The split with the internet service is not given.
BUDGETS = [
    (2021, 117_000_000, "Duy trì đường truyền internet, thù lao, nhuận bút Cổng TTĐT (năm 2021)"),
    (2022, 150_000_000, "Thuê dịch vụ CNTT, duy trì website: internet, thù lao, nhuận bút (KH 2022, mục 3)"),
]

OUTSIDE = [
    ("Trần Thị Ngọc Ánh", "066190001234", "0101234567", "Agribank Đắk Lắk"),
    ("Y Khoa Niê", "066090005678", "0107654321", "Vietcombank Đắk Lắk"),
    ("Lê Hoàng Phúc", "066088009012", "0109876543", "BIDV Đắk Lắk"),
]
STAFF_AUTHORS = ["bientap", "chuyenvien", "truongphong", "cntt"]

TOPICS_2021 = [
    "Hội thảo ứng dụng khoa học và công nghệ trong nông nghiệp",
    "Tập huấn sở hữu trí tuệ cho doanh nghiệp",
    "Kiểm tra đo lường tại các cửa hàng xăng dầu",
    "Nghiệm thu đề tài khoa học cấp tỉnh",
    "Hỗ trợ doanh nghiệp đổi mới công nghệ",
    "Phát triển nhãn hiệu chứng nhận cà phê Buôn Ma Thuột",
    "Chuyển đổi số trong cơ quan nhà nước",
    "Thông tin khoa học và công nghệ tại xã",
    "An toàn bức xạ trong y tế",
    "Khởi nghiệp đổi mới sáng tạo",
]
# Genre code -> coefficient used for the demo items (within the demonstration frame).
GENRE_COEFFICIENTS = {
    "tin": ["1.0", "1.5", "2.0"],
    "anh": ["1.2", "1.5"],
    "phan-anh": ["2.0", "2.5"],
    "binh-luan": ["2.5", "3.0"],
    "nghien-cuu": ["3.0", "3.5"],
}
# Quarters of 2021: the first three paid, the fourth still a draft (the plan was written in 10/2021).
QUARTERS = [
    ("I", dt.date(2021, 1, 1), dt.date(2021, 3, 31), dt.date(2021, 4, 15), PaymentListStatus.PAID),
    ("II", dt.date(2021, 4, 1), dt.date(2021, 6, 30), dt.date(2021, 7, 15), PaymentListStatus.PAID),
    ("III", dt.date(2021, 7, 1), dt.date(2021, 9, 30), dt.date(2021, 10, 15), PaymentListStatus.PAID),
    ("IV", dt.date(2021, 10, 1), dt.date(2021, 12, 31), None, PaymentListStatus.DRAFT),
]

QUESTION_TOPICS = [
    "Thủ tục hành chính",
    "Sở hữu trí tuệ",
    "Tiêu chuẩn, đo lường, chất lượng",
    "An toàn bức xạ và hạt nhân",
    "Ứng dụng và chuyển giao công nghệ",
    "Khác",
]
# asker, topic index, subject, question, answer (None: still open), unit code, published
QUESTIONS = [
    (
        "Nguyễn Văn Hùng",
        1,
        "Thời gian cấp văn bằng bảo hộ nhãn hiệu",
        "Doanh nghiệp tôi nộp đơn đăng ký nhãn hiệu đã 8 tháng. Xin hỏi thời gian thẩm định là bao lâu?",
        "Theo Luật Sở hữu trí tuệ, đơn đăng ký nhãn hiệu được thẩm định hình thức trong 01 tháng "
        "và thẩm định nội dung trong 09 tháng kể từ ngày công bố đơn. "
        "Đề nghị doanh nghiệp theo dõi tình trạng "
        "đơn trên cổng thông tin của Cục Sở hữu trí tuệ.",
        "skhcn-qlcn",
        True,
    ),
    (
        "Trần Thị Lan",
        0,
        "Nộp hồ sơ cấp giấy phép tiến hành công việc bức xạ trực tuyến",
        "Phòng khám của tôi có thể nộp hồ sơ cấp giấy phép sử dụng thiết bị X-quang qua mạng không?",
        "Có. Thủ tục cấp giấy phép tiến hành công việc bức xạ được cung cấp trực tuyến "
        "trên Cổng dịch vụ công. "
        "Phòng khám đăng nhập bằng tài khoản định danh điện tử, kê khai và đính kèm hồ sơ theo hướng dẫn.",
        "skhcn-qlcn",
        True,
    ),
    (
        "Lê Minh Tuấn",
        2,
        "Kiểm định cột đo xăng dầu",
        "Chu kỳ kiểm định cột đo nhiên liệu tại cửa hàng xăng dầu là bao lâu?",
        "Chu kỳ kiểm định cột đo nhiên liệu là 01 năm. Cửa hàng liên hệ tổ chức kiểm định được chỉ định để "
        "kiểm định trước khi hết hạn.",
        "skhcn-ccdl",
        True,
    ),
    (
        "H'Hen Niê",
        4,
        "Hỗ trợ đổi mới công nghệ cho hợp tác xã",
        "Hợp tác xã cà phê của chúng tôi muốn đầu tư máy sấy. Sở có chương trình hỗ trợ không?",
        "Sở có chương trình hỗ trợ doanh nghiệp, hợp tác xã đổi mới công nghệ. Đề nghị hợp tác xã liên hệ "
        "Phòng Quản lý Công nghệ để được hướng dẫn lập hồ sơ đề xuất.",
        "skhcn-qlcn",
        True,
    ),
    (
        "Phạm Quốc Bảo",
        0,
        "Tra cứu tình trạng hồ sơ",
        "Tôi đã nộp hồ sơ trực tuyến, làm sao biết hồ sơ đang ở bước nào?",
        "Anh/chị tra cứu bằng mã hồ sơ ghi trên giấy tiếp nhận tại mục Tra cứu hồ sơ của Cổng thông tin.",
        "skhcn-vp",
        True,
    ),
    (
        "Đỗ Thị Hạnh",
        5,
        "Đăng ký tham gia tập huấn chuyển đổi số",
        "Cán bộ xã có được tham gia lớp tập huấn chuyển đổi số do Sở tổ chức không?",
        "Lớp tập huấn dành cho cán bộ, công chức các cơ quan trong tỉnh, cả cấp xã. Thông báo chiêu sinh "
        "được đăng trên Cổng thông tin.",
        "skhcn-ttud",
        True,
    ),
    (
        "Vũ Đức Long",
        2,
        "Công bố hợp quy sản phẩm",
        "Sản phẩm phân bón hữu cơ của công ty có phải công bố hợp quy không?",
        "Câu trả lời đã được gửi riêng qua thư điện tử theo đề nghị của người hỏi.",
        "skhcn-ccdl",
        False,
    ),
    (
        "Ngô Thị Mai",
        1,
        "Bảo hộ chỉ dẫn địa lý",
        "Sản phẩm sầu riêng của huyện tôi muốn đăng ký chỉ dẫn địa lý thì cần làm gì?",
        None,
        "skhcn-qlcn",
        False,
    ),
    (
        "Hoàng Văn Nam",
        3,
        "Thiết bị X-quang cũ",
        "Thiết bị X-quang không còn sử dụng thì xử lý thế nào?",
        None,
        None,
        False,
    ),
]


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _reference_data() -> dict:
    counts = {"base_salaries": 0, "genres": 0, "budgets": 0}
    for day, amount, basis in BASE_SALARIES:
        _row, made = BaseSalary.objects.get_or_create(
            effective_from=day, defaults={"amount": amount, "legal_basis": basis}
        )
        counts["base_salaries"] += made
    frame, _made = RoyaltyFrame.objects.get_or_create(
        name=FRAME_NAME,
        defaults={
            "effective_from": dt.date(2020, 1, 1),
            "legal_basis": "Nghị định 18/2014/NĐ-CP (khung tối đa); khung riêng của tỉnh: chưa xác nhận",
            "is_demonstration": True,
            "note": FRAME_NOTE,
        },
    )
    for order, (code, name, low, high) in enumerate(GENRES):
        _genre, made = RoyaltyGenre.objects.get_or_create(
            frame=frame,
            code=code,
            defaults={
                "name": name,
                "min_coefficient": Decimal(low),
                "max_coefficient": Decimal(high),
                "order": order,
            },
        )
        counts["genres"] += made
    for year, amount, name in BUDGETS:
        _budget, made = RoyaltyBudget.objects.get_or_create(
            year=year,
            defaults={
                "amount": amount,
                "name": name,
                "note": "Dòng kinh phí dùng chung với đường truyền internet; "
                "phần dành cho internet chưa tách.",
            },
        )
        counts["budgets"] += made
    return counts


def _contributors() -> list[RoyaltyContributor]:
    people = []
    for username in STAFF_AUTHORS:
        user = _user(username)
        if user is not None:
            people.append(rservices.contributor_for_user(user))
    for name, id_number, account, bank in OUTSIDE:
        person, _made = RoyaltyContributor.objects.get_or_create(
            full_name=name,
            user=None,
            defaults={
                "id_number": id_number,
                "bank_account": account,
                "bank_name": bank,
                "address": "Đắk Lắk (dữ liệu mẫu)",
            },
        )
        people.append(person)
    return people


def _pages_of_2021() -> list:
    from wagtail.models import Page

    start, end = _aware(dt.date(2021, 1, 1), 0), _aware(dt.date(2022, 1, 1), 0)
    return list(
        Page.objects.filter(
            live=True, depth__gt=2, first_published_at__gte=start, first_published_at__lt=end
        ).order_by("first_published_at")[:30]
    )


def _royalties_2021(editor, leader, people) -> dict:
    counts = {"royalty_items": 0, "payment_lists": 0}
    if editor is None or not people:
        return counts
    if RoyaltyItem.objects.filter(published_on__year=2021).exists():
        return counts  # already seeded: the lists below were built from these items
    rng = random.Random(2021)
    genres = {g.code: g for g in RoyaltyGenre.objects.filter(frame__name=FRAME_NAME)}
    planned = []
    for page in _pages_of_2021():
        day = timezone.localtime(page.first_published_at).date()
        planned.append((page, page.title, day))
    for month in range(1, 13):
        for n in range(6):
            day = dt.date(2021, month, 1 + (n * 5 + rng.randrange(0, 4)) % 27)
            topic = TOPICS_2021[(month + n) % len(TOPICS_2021)]
            planned.append((None, f"{topic} ({day:%d/%m/%Y})", day))
    for page, title, day in planned:
        code = rng.choice(list(GENRE_COEFFICIENTS))
        coefficient = Decimal(rng.choice(GENRE_COEFFICIENTS[code]))
        authors = rng.sample(people, 2 if rng.random() < 0.25 else 1)
        shares = [(a, Decimal(100) / len(authors)) for a in authors]
        item = RoyaltyItem(
            page=page,
            url=(page.url or "") if page is not None else "",
            title=title[:255],
            published_on=day,
            genre=genres[code],
            coefficient=coefficient,
        )
        rservices.save_item(editor, item, shares)
        counts["royalty_items"] += 1
    for roman, start, end, paid_on, status in QUARTERS:
        plist, _warning = rservices.create_payment_list(
            editor, title=f"Nhuận bút Cổng TTĐT quý {roman}/2021", period_start=start, period_end=end
        )
        counts["payment_lists"] += 1
        if status == PaymentListStatus.PAID and leader is not None:
            rservices.transition(leader, plist, "approve", note="Ban biên tập thống nhất")
            rservices.transition(editor, plist, "pay", paid_on=paid_on, note="Kế toán đã chi")
    return counts


def _questions(editor, leader) -> int:
    topics = []
    for order, name in enumerate(QUESTION_TOPICS):
        topic, _made = QuestionTopic.objects.get_or_create(name=name, defaults={"order": order})
        topics.append(topic)
    answerer = _user("truongphong") or editor
    made = 0
    for n, (asker, topic, title, body, answer, unit_code, published) in enumerate(QUESTIONS, start=1):
        if Question.objects.filter(title=title).exists():
            continue
        submitted = _aware(dt.date(2021, 3, 1) + dt.timedelta(days=23 * n), 10)
        due = workdays.add_working_days(workdays.receipt_start(submitted), answer_workdays())
        unit = Organization.objects.filter(code=unit_code).first() if unit_code else None
        question = Question(
            code=f"HD-2021-{n:05d}",
            asker_name=asker,
            email=f"nguoihoi{n}@example.vn",
            topic=topics[topic],
            title=title,
            body=body,
            submitted_at=submitted,
            due_at=due,
            unit=unit,
        )
        steps = [("create", "", QuestionStatus.RECEIVED, None, submitted)]
        if unit is not None:
            question.assigned_at = submitted + dt.timedelta(days=1)
            steps.append(("assign", steps[-1][2], QuestionStatus.ASSIGNED, editor, question.assigned_at))
        if unit is not None and answer:
            # Most answered within the deadline; every fourth a few days late.
            delay = dt.timedelta(days=6 + (9 if n % 4 == 0 else 0))
            question.answer = answer
            question.answered_by = answerer
            question.answered_at = submitted + delay
            question.approved_by = leader
            question.approved_at = question.answered_at + dt.timedelta(hours=3)
            question.closed_at = question.approved_at + dt.timedelta(hours=1)
            final = QuestionStatus.PUBLISHED if published else QuestionStatus.ANSWERED_PRIVATELY
            steps += [
                ("answer", QuestionStatus.ASSIGNED, QuestionStatus.ANSWERED, answerer, question.answered_at),
                ("approve", QuestionStatus.ANSWERED, QuestionStatus.APPROVED, leader, question.approved_at),
                (
                    "publish" if published else "send_private",
                    QuestionStatus.APPROVED,
                    final,
                    editor,
                    question.closed_at,
                ),
            ]
        question.status = steps[-1][2]
        question.save()
        for action, source, target, actor, at in steps:
            QuestionChange.objects.create(
                question=question, action=action, from_state=source, to_state=target, actor=actor, at=at
            )
        made += 1
    return made


def seed() -> dict:
    counts = _reference_data()
    counts["notification_templates"] = ensure_default_templates()
    editor, leader = _user("bientap"), _user("lanhdao")
    people = _contributors()
    counts.update(_royalties_2021(editor, leader, people))
    counts["questions"] = _questions(editor, leader)
    if counts["royalty_items"] or counts["questions"]:
        record("demo_data_seeded", None, note=f"Cổng TTĐT: {counts}")
    return counts
