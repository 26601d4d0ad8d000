from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ hệ thống vào một tệp cqs-backup-YYYYMMDD-HHMMSS.tar.gz: cơ sở dữ liệu, "
        "mọi tệp trong MEDIA_ROOT và bản kê manifest.json (số bản ghi từng bảng, mã SHA-256 từng tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="Thư mục đặt bản sao lưu (mặc định var/backups).",
        )

    def handle(self, *args, output, **options):
        try:
            archive = create_backup(Path(output), log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Sao lưu thất bại: {exc}") from exc
        size = archive.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Đã tạo bản sao lưu {archive} ({size} byte)."))
