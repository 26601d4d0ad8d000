"""Demo data: the reference plan 172/KH-SKHCN (2022) entered as data, approved; and a 2023 draft.

Part I is not entered: it is computed from the other modules' demo data through the indicators
registry (77 computers, 97/29/68 accounts, 54 procedures, 47 dossiers…). The 2021 spending is
150 + 0 + 117 million đồng; the plan gives the 117 million for the internet service and the portal
royalties together, so the internet share entered here is what remains of the 117 million after
the royalties the portal module reports as paid.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from apps.core import workflow as engine
from apps.organizations.models import Organization

from .figures import period_for, read
from .models import BasisPart, LegalBasis, Plan, PlanSection, Project, Target
from .workflow import plan_machine

AGENCY = "skhcn"
MILLION = 1_000_000
SERVICES_AND_ROYALTIES_2021 = 117 * MILLION

TITLE = "Kế hoạch phát triển chính quyền số và đảm bảo an toàn thông tin mạng năm {year}"

ASSESSMENT_BASES = [
    "Căn cứ Nghị quyết số 04-NQ/TU ngày 02/4/2021 của Ban Chấp hành Đảng bộ tỉnh về chuyển đổi số tỉnh "
    "Đăk Lăk giai đoạn 2021-2025, định hướng đến năm 2030;",
    "Căn cứ Quyết định số 46/2014/QĐ-UBND ngày 31/12/2014 của UBND tỉnh Quy định về phát triển và ứng dụng "
    "công nghệ thông tin trong hoạt động cơ quan nhà nước trên địa bàn tỉnh Đăk Lăk;",
    "Căn cứ Quyết định số 3962/QĐ-UBND ngày 31/12/2019 của UBND tỉnh Quyết định v/v ban hành Kiến trúc Chính "
    "quyền điện tử tỉnh ĐL, phiên bản 2.0;",
    "Căn cứ Kế hoạch số 10717/KH-UBND ngày 30/11/2020 của UBND tỉnh về ứng dụng công nghệ thông tin trong "
    "hoạt động của cơ quan nhà nước, phát triển Chính quyền số và bảo đảm an toàn thông tin mạng giai đoạn "
    "2021-2015;",
    "Căn cứ Công văn số 1659/STTTT-CNTT ngày 28/9/2021 của Sở Thông tin và Truyền thông về việc hướng "
    "dẫn xây "
    "dựng Kế hoạch phát triển Chính quyền số và bảo đảm an toàn thông tin mạng năm 2022.",
]

PLAN_BASES = [
    "Luật Công nghệ thông tin;",
    "Luật An toàn thông tin mạng;",
    "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị về một số chủ trương, chính sách chủ động "
    "tham gia "
    "cuộc cách mạng công nghiệp lần thứ tư;",
    "Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ về bảo đảm an toàn hệ thống thông tin theo "
    "cấp độ;",
    "Nghị quyết số 50/NQ-CP ngày 17/4/2020 của Chính phủ ban hành Chương trình hành động thực hiện Nghị "
    "quyết "
    "số 52-NQ/TW;",
    "Quyết định số 05/2017/QĐ-TTg ngày 16/3/2017 của Thủ tướng Chính phủ ban hành quy định về hệ thống "
    "phương "
    "án ứng cứu khẩn cấp, bảo đảm an toàn thông tin mạng quốc gia;",
    "Quyết định số 632/QĐ-TTg ngày 10/5/2017 của Thủ tướng Chính phủ ban hành Danh mục lĩnh vực quan "
    "trọng cần "
    "ưu tiên bảo đảm an toàn thông tin mạng và hệ thống thông tin quan trọng quốc gia;",
    "Quyết định số 1622/QĐ-TTg ngày 25/10/2017 của Thủ tướng Chính phủ về việc đẩy mạnh hoạt động của "
    "mạng lưới "
    "ứng cứu sự cố, tăng cường năng lực cho các cán bộ, bộ phận chuyên trách ứng cứu sự cố mạng trên "
    "toàn quốc "
    "đến năm 2020, định hướng đến 2025;",
    "Quyết định số 1017/QĐ-TTg ngày 14/8/2018 của Thủ tướng Chính phủ phê duyệt Đề án “Giám sát an toàn "
    "thông "
    "tin mạng đối với hệ thống, dịch vụ công nghệ thông tin phục vụ Chính phủ điện tử đến năm 2020, định "
    "hướng "
    "đến 2025”;",
    "Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình chuyển đổi "
    "số quốc "
    "gia đến năm 2025, định hướng năm 2030;",
    "Quyết định số 1907/QĐ-TTg ngày 23/11/2020 của Thủ tướng Chính phủ phê duyệt Đề án “Tuyên truyền, "
    "nâng cao "
    "nhận thức và phổ biến kiến thức về an toàn thông tin mạng giai đoạn 2021 - 2025”;",
    "Quyết định số 21/QĐ-TTg ngày 06/01/2021 của Thủ tướng Chính phủ phê duyệt Đề án “Đào tạo và phát triển "
    "nguồn nhân lực an toàn thông tin giai đoạn 2021 - 2025”;",
    "Quyết định số 830/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ phê duyệt Chương trình “Bảo vệ và "
    "hỗ trợ "
    "trẻ em tương tác lành mạnh, sáng tạo trên môi trường mạng giai đoạn 2021 - 2025”;",
    "Quyết định số 942/QĐ-TTg ngày 15/6/2021 của Thủ tướng Chính phủ phê duyệt Chiến lược phát triển "
    "Chính phủ "
    "điện tử hướng tới Chính phủ số giai đoạn 2021-2025, định hướng đến năm 2030;",
    "Chỉ thị số 14/CT-TTg ngày 25/5/2018 của Thủ tướng Chính phủ về việc nâng cao năng lực phòng, chống phân "
    "mềm độc hại;",
    "Chỉ thị số 14/CT-TTg ngày 07/6/2019 của Thủ tướng Chính phủ về việc tăng cường bảo đảm an toàn, an ninh "
    "mạng nhằm cải thiện chỉ số xếp hạng của Việt Nam;",
    "Quyết định số 3962/QĐ-UBND ngày 31/12/2019 của UBND tỉnh Quyết định v/v ban hành Kiến trúc Chính quyền "
    "điện tử tỉnh ĐL, phiên bản 2.0;",
    "Kế hoạch số 10717/KH-UBND ngày 30/11/2020 của UBND tỉnh về ứng dụng công nghệ thông tin trong hoạt động "
    "của cơ quan nhà nước, phát triển Chính quyền số và bảo đảm an toàn thông tin mạng giai đoạn 2021-2015;",
    "Nghị quyết số 04-NQ/TU ngày 02/4/2021 của BCH Đảng bộ tỉnh về chuyển đổi số tỉnh Đăk Lăk giai đoạn "
    "2021-2025, định hướng đến năm 2030;",
    "Kế hoạch số 175/KH-SKHCN ngày 15/09/2020 của Sở KH&CN về việc Ứng dụng công nghệ thông tin trong hoạt "
    "động của cơ quan nhà nước, phát triển chính quyền số và bảo đảm an toàn thông tin mạng giai đoạn "
    "2021-2025.",
]

# text, indicator key (the actual is measured), target value, unit
TARGETS = [
    (
        "100% văn bản trao đổi giữa các cơ quan nhà nước (trừ văn bản mật theo quy định của pháp luật).",
        "documents.signed_issued_online.share",
        100,
        "%",
    ),
    (
        "100% các cơ quan, đơn vị trực thuộc sử dụng chữ ký số chuyên dùng trong quản lý, ban hành văn bản.",
        "",
        None,
        "",
    ),
    (
        "Nâng cấp phần mềm đánh giá trình độ công nghệ của doanh nghiệp (theo Thông tư số 17/2019/TT-BKHCN).",
        "",
        None,
        "",
    ),
    (
        "Văn phòng Sở có cán bộ chuyên trách/bán chuyên trách về CNTT, được đào tạo bồi dưỡng cập nhật "
        "kiến thức "
        "hàng năm.",
        "itsec.it_staff.dedicated",
        1,
        "người",
    ),
]

# The reference's purposes, tasks 4.1–4.7, solutions 5.1–5.5, organisation of implementation and
# the Part I narratives around the computed figures ("p1.<section>.before/after"), one item a line.
SECTION_TEXTS = {
    code: "\n".join(lines)
    for code, lines in json.loads((Path(__file__).parent / "demo_sections.json").read_text("utf-8")).items()
}

# no., name, lead unit, objective, million đồng (all recurrent state budget)
PROJECTS_2022 = [
    ("Mua sắm trang thiết bị, hạ tầng mạng nội bộ", "Sở KH&CN", "Hạ tầng CNTT được nâng cao", 135),
    ("Tập huấn, bồi dưỡng hàng năm", "Sở KH&CN", "Nâng cao trình độ ứng dụng CNTT cho CBCCVC thuộc Sở", 20),
    (
        "Hoạt động thuê dịch vụ ứng dụng CNTT, duy trì website",
        "Trung tâm TT-UD KH&CN - Sở KH&CN",
        "Duy trì hoạt động đường truyền internet, thù lao, nhuận bút của Cổng TTĐT của Sở",
        150,
    ),
    (
        "Nâng cấp phần mềm đánh giá trình độ công nghệ của doanh nghiệp (theo Thông tư số 17/2019/TT-BKHCN).",
        "P. Quản lý Công nghệ - Sở KH&CN",
        "Đánh giá trình độ công nghệ của doanh nghiệp",
        100,
    ),
]
PROJECTS_2023 = [
    ("Mua sắm, thay thế máy tính hết khấu hao", "Sở KH&CN", "Thay thế máy tính quá niên hạn sử dụng", 150),
    ("Tập huấn, bồi dưỡng hàng năm", "Sở KH&CN", "Nâng cao trình độ ứng dụng CNTT cho CBCCVC thuộc Sở", 20),
    (
        "Hoạt động thuê dịch vụ ứng dụng CNTT, duy trì website",
        "Trung tâm TT-UD KH&CN - Sở KH&CN",
        "Duy trì hoạt động đường truyền internet, thù lao, nhuận bút của Cổng TTĐT của Sở",
        150,
    ),
    ("Hội nghị truyền hình trực tuyến", "Văn phòng Sở", "Phục vụ các cuộc họp trực tuyến", 120),
]
RECIPIENTS = "Sở TT&TT\nGiám đốc, các PGĐ Sở\nLưu: VT, VP, TTUD (M_08b)"


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


def _fill(plan, projects, year):
    for order, text in enumerate(ASSESSMENT_BASES):
        LegalBasis.objects.create(plan=plan, part=BasisPart.ASSESSMENT, order=order, text=text)
    for order, text in enumerate(PLAN_BASES):
        LegalBasis.objects.create(plan=plan, part=BasisPart.BASIS, order=order, text=text)
    for order, (text, key, value, unit) in enumerate(TARGETS):
        Target.objects.create(
            plan=plan, order=order, text=text, indicator_key=key, target_value=value, unit=unit
        )
    for code, text in SECTION_TEXTS.items():
        PlanSection.objects.create(plan=plan, code=code, text=text)
    for order, (name, lead, objective, millions) in enumerate(projects, start=1):
        amount = millions * MILLION
        Project.objects.create(
            plan=plan,
            order=order,
            name=name,
            lead_unit=lead,
            objective=objective,
            timing=str(year),
            total=amount,
            recurrent=amount,
        )


def _services_2021(plan) -> int:
    royalties, missing = read("portal.royalties.paid", plan.organization, period_for(plan))
    return SERVICES_AND_ROYALTIES_2021 - (0 if missing else int(royalties or 0))


def seed() -> dict:
    agency = Organization.objects.filter(code=AGENCY).first()
    if agency is None:
        return {}
    created = {"plans": 0}
    planner, leader = _user("cntt"), _user("lanhdao")
    common = {
        "parent_agency": "UBND tỉnh Đắk Lắk",
        "agency_name": "Sở Khoa học và Công nghệ",
        "place": "Đắk Lắk",
        "signer_position": "Giám đốc",
        "signer_name": "Đinh Khắc Tuấn",
        "recipients": RECIPIENTS,
    }
    if not Plan.objects.filter(organization=agency, year=2022).exists():
        plan = Plan(
            organization=agency,
            year=2022,
            title=TITLE.format(year=2022),
            number_symbol="172/KH-SKHCN",
            date=dt.date(2021, 10, 6),
            figures_as_of=dt.date(2021, 10, 4),
            created_by=planner,
            spent_equipment=150 * MILLION,
            spent_software=0,
            **common,
        )
        engine.create(plan, planner, note="Dữ liệu mẫu", machine=plan_machine)
        _fill(plan, PROJECTS_2022, 2022)
        plan.spent_services = _services_2021(plan)
        plan.save()
        engine.apply(plan, "submit", planner, note="Trình Lãnh đạo Sở", machine=plan_machine)
        plan = engine.apply(plan, "approve", leader, note="Đồng ý ban hành", machine=plan_machine)
        created["plans"] += 1
    if not Plan.objects.filter(organization=agency, year=2023).exists():
        plan = Plan(
            organization=agency,
            year=2023,
            title=TITLE.format(year=2023),
            created_by=planner,
            figures_as_of=dt.date(2022, 10, 4),
            spent_equipment=135 * MILLION,
            spent_software=0,
            spent_services=90 * MILLION,
            **common,
        )
        engine.create(plan, planner, note="Dữ liệu mẫu", machine=plan_machine)
        _fill(plan, PROJECTS_2023, 2023)
        created["plans"] += 1
    return created
