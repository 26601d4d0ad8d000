"""Decree 30/2020 Appendix III document types (legal-rules B1): reference data every database needs.

Kept by a post_migrate handler rather than a data migration, so that it is also restored after a
test database flush and after a type is added here.
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


def ensure_document_types(using="default", **kwargs) -> None:
    from .models import DocumentType

    DocumentType.objects.using(using).update_or_create(
        name="Công văn", defaults={"abbreviation": "", "is_dispatch": True, "order": 0}
    )
    DocumentType.objects.using(using).update_or_create(
        name="Thư công", defaults={"abbreviation": "", "is_dispatch": True, "order": 99}
    )
    for order, (name, abbreviation) in enumerate(TYPES, start=1):
        DocumentType.objects.using(using).update_or_create(
            name=name, defaults={"abbreviation": abbreviation, "order": order}
        )
