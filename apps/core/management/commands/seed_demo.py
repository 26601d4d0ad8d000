from django.core.management.base import BaseCommand, CommandError

from apps.core.demo import demo_allowed, seed


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Sở KH&CN Đắk Lắk); chạy lại nhiều lần không tạo bản ghi trùng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Cho phép chạy cả khi không ở chế độ thử nghiệm."
        )

    def handle(self, *args, force=False, **options):
        if not (demo_allowed() or force):
            raise CommandError(
                "Dữ liệu mẫu chỉ dành cho chế độ thử nghiệm (DEBUG hoặc CQS_DEMO_MODE=1); dùng --force."
            )
        created = seed()
        added = ", ".join(f"{key}: {value}" for key, value in created.items() if value) or "không có gì mới"
        self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu sẵn sàng (thêm mới — {added})."))
