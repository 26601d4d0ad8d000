from django.core.management.base import BaseCommand

from apps.core.notifications.service import FAILED, RETRYING, SENT, SKIPPED, flush_outbox


class Command(BaseCommand):
    help = (
        "Gửi các thông báo đang chờ trong hàng đợi (lần đầu hoặc đến hạn gửi lại). "
        "Cùng một việc với tác vụ định kỳ core.flush_outbox của Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Số thông báo tối đa xử lý trong một lần (mặc định 500)."
        )

    def handle(self, *args, limit, **options):
        counts = flush_outbox(limit=limit)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã gửi: {counts[SENT]}; chờ gửi lại: {counts[RETRYING]}; "
                f"thất bại: {counts[FAILED]}; bỏ qua: {counts[SKIPPED]}."
            )
        )
