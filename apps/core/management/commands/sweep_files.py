from django.core.management.base import BaseCommand

from apps.core.files.sweep import sweep_orphans


class Command(BaseCommand):
    help = "Xoá các tệp trong kho không còn bản ghi nào trỏ tới (quá 1 giờ)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xoá.")

    def handle(self, *args, dry_run=False, **options):
        removed = sweep_orphans(dry_run=dry_run)
        for name in removed:
            self.stdout.write(name)
        verb = "Sẽ xoá" if dry_run else "Đã xoá"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(removed)} tệp mồ côi."))
