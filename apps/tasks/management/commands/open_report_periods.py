import datetime

from django.core.management.base import BaseCommand

from apps.tasks.reporting import open_due_periods


class Command(BaseCommand):
    help = "Open the report periods that are due (periodic reporting regimes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Act as if today were this date."
        )

    def handle(self, *args, **options):
        opened = open_due_periods(options["date"])
        for period in opened:
            self.stdout.write(f"opened: {period.template.name} — {period.label}")
        self.stdout.write(f"{len(opened)} period(s) opened")
