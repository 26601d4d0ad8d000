"""The security requirement checklist as versioned data (legal-rules.md C4).

Group names are [M]; the item lists are [L] (from memory, to be mapped to the appendices of
Circular 12/2022 and TCVN 11930:2017 before an audit), so every item is stored `unconfirmed`.
Each level includes the requirements of the levels below (min_level).
"""

import datetime

from .models import Requirement, RequirementSet

SET_NAME = "Yêu cầu bảo đảm ATTT theo cấp độ (TT 12/2022/TT-BTTTT, TCVN 11930:2017)"
SET_VERSION = "2022.1"
EFFECTIVE_FROM = datetime.date(2022, 10, 1)  # Circular 12/2022 in force

# code, group, area, text, from level
ITEMS = [
    ("QL-1.1", "management", "Chính sách ATTT", "Có chính sách ATTT bằng văn bản, rà soát định kỳ", 2),
    ("QL-2.1", "management", "Tổ chức", "Có đơn vị hoặc cán bộ phụ trách ATTT được chỉ định", 2),
    ("QL-2.2", "management", "Tổ chức", "Có cơ chế phối hợp với bên ngoài (đội ứng cứu sự cố của tỉnh)", 2),
    (
        "QL-3.1",
        "management",
        "Nhân sự",
        "Tuyển dụng, đào tạo, nâng cao nhận thức và thủ tục khi nghỉ việc",
        2,
    ),
    ("QL-4.1", "management", "Thiết kế, xây dựng", "Yêu cầu ATTT trong thiết kế; kiểm thử và nghiệm thu", 2),
    ("QL-4.2", "management", "Thiết kế, xây dựng", "Kiểm thử ATTT trước khi đưa vào vận hành", 3),
    ("QL-5.1", "management", "Vận hành", "Quản lý cấu hình và bản vá; dò quét điểm yếu; giám sát nhật ký", 2),
    ("QL-5.2", "management", "Vận hành", "Ứng cứu sự cố và sao lưu dữ liệu", 2),
    ("QL-5.3", "management", "Vận hành", "Phương án duy trì hoạt động liên tục; đánh giá độc lập định kỳ", 3),
    ("KT-1.1", "technical", "An toàn mạng", "Phân vùng mạng (DMZ, nội bộ, quản trị); tường lửa/ACL", 2),
    ("KT-1.2", "technical", "An toàn mạng", "Kiểm soát truy cập từ xa", 2),
    (
        "KT-1.3",
        "technical",
        "An toàn mạng",
        "Phát hiện và ngăn chặn xâm nhập (IDS/IPS), chống DDoS, dự phòng",
        3,
    ),
    (
        "KT-2.1",
        "technical",
        "An toàn máy chủ",
        "Xác thực và chính sách mật khẩu; cứng hoá; phòng chống mã độc; nhật ký",
        2,
    ),
    (
        "KT-3.1",
        "technical",
        "An toàn ứng dụng",
        "Xác thực người dùng, kiểm soát phiên, khoá sau nhiều lần sai",
        2,
    ),
    ("KT-3.2", "technical", "An toàn ứng dụng", "Phân quyền theo vai trò; kiểm tra dữ liệu đầu vào", 2),
    (
        "KT-3.3",
        "technical",
        "An toàn ứng dụng",
        "Nhật ký ứng dụng (ai, làm gì, khi nào); bảo vệ dữ liệu truyền (TLS)",
        2,
    ),
    (
        "KT-3.4",
        "technical",
        "An toàn ứng dụng",
        "Xác thực mạnh cho quản trị; toàn vẹn, lưu giữ nhật ký; mã hoá dữ liệu nhạy cảm",
        3,
    ),
    ("KT-4.1", "technical", "An toàn dữ liệu", "Sao lưu và phục hồi; toàn vẹn; bảo mật dữ liệu cá nhân", 2),
    ("KT-4.2", "technical", "An toàn dữ liệu", "Mã hoá dữ liệu lưu trữ; sao lưu ngoài trụ sở", 3),
]


def ensure_requirement_sets() -> int:
    rs, created = RequirementSet.objects.get_or_create(
        name=SET_NAME,
        version=SET_VERSION,
        defaults={"effective_from": EFFECTIVE_FROM, "source": "legal-rules.md C4 — danh mục chưa xác nhận"},
    )
    for code, group, area, text, level in ITEMS:
        Requirement.objects.update_or_create(
            requirement_set=rs,
            code=code,
            defaults={"group": group, "area": area, "text": text, "min_level": level, "unconfirmed": True},
        )
    return int(created)


def checklist(level: int, on: datetime.date | None = None):
    """Requirements for `level` from the set in force on `on` (the latest if no date)."""
    sets = RequirementSet.objects.all()
    if on:
        sets = sets.filter(effective_from__lte=on)
    rs = sets.order_by("-effective_from").first() or RequirementSet.objects.order_by("effective_from").first()
    if rs is None:
        return None, Requirement.objects.none()
    return rs, rs.items.filter(min_level__lte=level)
