import datetime

from django.core.management.base import BaseCommand

from apps.tasks.scheduled import send_task_reminders


class Command(BaseCommand):
    help = "Send due-soon and overdue reminders for assigned tasks and escalate overdue ones to unit heads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Act as if today were this date."
        )

    def handle(self, *args, **options):
        counts = send_task_reminders(options["date"])
        self.stdout.write(
            f"due soon: {counts['due_soon']}, overdue: {counts['overdue']}, escalated: {counts['escalated']}"
        )
