"""Decree 30/2020 Appendix III document types (legal-rules B1): reference data every database needs.

The one list and the one rule: missing types are created, an administrator's edits are kept. Run by
a post_migrate handler (so it also holds after a test database flush and when a type is added here)
and by the demo seeder.
"""

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


def ensure_document_types(using: str = "default", **_signal_kwargs) -> int:
    """Create the types that are missing; never overwrite an administrator's edits."""
    from .models import DocumentType

    types = DocumentType.objects.using(using)
    created = 0
    for name, order in DISPATCH_TYPES:
        defaults = {"abbreviation": "", "is_dispatch": True, "order": order}
        created += types.get_or_create(name=name, defaults=defaults)[1]
    for order, (name, abbreviation) in enumerate(TYPES, start=1):
        created += types.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})[1]
    return created
