import datetime

from django.core.management.base import BaseCommand

from apps.tasks.scheduled import send_report_reminders


class Command(BaseCommand):
    help = "Remind the heads of units whose periodic report is due soon or overdue and not yet sent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Act as if today were this date."
        )

    def handle(self, *args, **options):
        counts = send_report_reminders(options["date"])
        self.stdout.write(f"due soon: {counts['due_soon']}, overdue: {counts['overdue']}")
