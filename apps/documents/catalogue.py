"""Decree 30/2020 Appendix III document types (legal-rules B1), as data the seeder and tests ensure.

The migration 0002 inserts the same list; this keeps it available after a test database flush.
"""

from .models import DocumentType

TYPES = [
    ("Nghị quyết", "NQ"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Quy chế", "QC"),
    ("Quy định", "QyĐ"),
    ("Thông cáo", "TC"),
    ("Thông báo", "TB"),
    ("Hướng dẫn", "HD"),
    ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"),
    ("Phương án", "PA"),
    ("Đề án", "ĐA"),
    ("Dự án", "DA"),
    ("Báo cáo", "BC"),
    ("Biên bản", "BB"),
    ("Tờ trình", "TTr"),
    ("Hợp đồng", "HĐ"),
    ("Công điện", "CĐ"),
    ("Bản ghi nhớ", "BGN"),
    ("Bản thỏa thuận", "BTT"),
    ("Giấy ủy quyền", "GUQ"),
    ("Giấy mời", "GM"),
    ("Giấy giới thiệu", "GGT"),
    ("Giấy nghỉ phép", "GNP"),
    ("Phiếu gửi", "PG"),
    ("Phiếu chuyển", "PC"),
    ("Phiếu báo", "PB"),
    ("Bản sao y", "SY"),
    ("Bản trích sao", "TrS"),
    ("Bản sao lục", "SL"),
]
DISPATCH_TYPES = [("Công văn", 0), ("Thư công", 99)]  # no abbreviation (B1)


def ensure_document_types() -> int:
    """Create the types that are missing; never overwrite an administrator's edits."""
    created = 0
    for name, order in DISPATCH_TYPES:
        created += DocumentType.objects.get_or_create(
            name=name, defaults={"abbreviation": "", "is_dispatch": True, "order": order}
        )[1]
    for order, (name, abbreviation) in enumerate(TYPES, start=1):
        created += DocumentType.objects.get_or_create(
            name=name, defaults={"abbreviation": abbreviation, "order": order}
        )[1]
    return created
