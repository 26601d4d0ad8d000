from django.core.management.base import BaseCommand, CommandError

from apps.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký: báo mọi sự kiện bị sửa, xoá hoặc chèn."

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        for problem in problems:
            self.stderr.write(f"Sự kiện #{problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"Nhật ký KHÔNG toàn vẹn: {len(problems)} vấn đề trên {checked} sự kiện.")
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {checked} sự kiện đã kiểm tra."))
