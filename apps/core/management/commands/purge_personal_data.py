from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from apps.core.personal_data import purge


class Command(BaseCommand):
    help = (
        "Xoá dữ liệu cá nhân của các bản ghi đã quá thời hạn lưu giữ (hồ sơ đã kết thúc, câu hỏi, "
        "thông báo…), giữ nguyên số liệu thống kê. Mặc định chỉ liệt kê; thêm --apply để thực hiện."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Thực hiện xoá (mặc định: chỉ liệt kê).")

    def handle(self, *args, apply=False, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the notes and placeholders it stores
            results = purge(apply=apply)
            for found in results:
                self.stdout.write(
                    f"{found.rule.key} ({found.rule.title}): thời hạn {found.days} ngày, "
                    f"trước {found.cutoff:%d/%m/%Y} — {len(found.records)} bản ghi"
                    + (f", {found.files} tệp đã xoá" if apply else "")
                )
            total = sum(len(found.records) for found in results)
            if apply:
                self.stdout.write(self.style.SUCCESS(f"Đã xoá dữ liệu cá nhân của {total} bản ghi."))
            else:
                self.stdout.write(
                    self.style.WARNING(f"Chạy thử: {total} bản ghi sẽ được xử lý. Thêm --apply để thực hiện.")
                )
