"""Decree 30/2020 Appendix III document types (legal-rules B1) and the unaccent extension (PostgreSQL)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

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


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.update_or_create(
        name="Công văn", defaults={"abbreviation": "", "is_dispatch": True, "order": 0}
    )
    DocumentType.objects.update_or_create(
        name="Thư công", defaults={"abbreviation": "", "is_dispatch": True, "order": 99}
    )
    for order, (name, abbreviation) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(
            name=name, defaults={"abbreviation": abbreviation, "order": order}
        )


class UnaccentIfPostgres(UnaccentExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # other apps may use unaccent too


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        UnaccentIfPostgres(),
        migrations.RunPython(add_types, migrations.RunPython.noop),
    ]
