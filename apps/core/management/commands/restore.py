import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from apps.core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (manage.py backup) vào hệ thống trống đang cấu hình (DATABASE_URL, "
        "MEDIA_ROOT): kiểm tra mã SHA-256 trước khi ghi, rồi đối chiếu số bản ghi, mã SHA-256 các tệp "
        "và chuỗi băm của nhật ký."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp cqs-backup-….tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè cả khi cơ sở dữ liệu hoặc MEDIA_ROOT đã có dữ liệu.",
        )
        parser.add_argument(
            "--ignore-signature",
            action="store_true",
            help="Không kiểm tra chữ ký của manifest.json (bản sao lưu tạo với DJANGO_SECRET_KEY khác); "
            "mã SHA-256 của từng tệp vẫn được kiểm tra.",
        )

    def handle(self, *args, archive, force, ignore_signature, **options):
        try:
            result = restore_archive(
                Path(archive), force=force, check_signature=not ignore_signature, log=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(f"Không khôi phục: {exc}") from exc

        problems = list(result.problems)
        self.stdout.write("Kiểm tra chuỗi băm của nhật ký …")
        out, err = io.StringIO(), io.StringIO()
        try:
            # Through the command, not an import: core sits below audit (DESIGN.md, layers).
            call_command("verify_audit", stdout=out, stderr=err)
            audit = out.getvalue().strip()
        except CommandError as exc:
            audit = f"{err.getvalue().strip()}\n{exc}".strip()
            problems.append(str(exc))
        except DatabaseError as exc:
            audit = f"Không đọc được nhật ký: {exc}"
            problems.append(audit)
        self.stdout.write(f"  {audit}")

        for note in result.notes:
            self.stdout.write(f"Lưu ý: {note}")
        for problem in problems:
            self.stderr.write(f"Sai lệch: {problem}")
        counted = len(result.manifest["row_counts"])
        summary = f"{counted} bảng ({result.rows} bản ghi), {result.files} tệp"
        if problems:
            raise CommandError(
                f"Đã khôi phục nhưng KHÔNG khớp bản sao lưu: {len(problems)} sai lệch ({summary})."
            )
        done = f"Khôi phục xong, khớp bản sao lưu: {summary}; nhật ký toàn vẹn."
        self.stdout.write(self.style.SUCCESS(done))
