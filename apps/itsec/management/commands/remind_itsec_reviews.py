import datetime

from django.core.management.base import BaseCommand

from apps.itsec.scheduled import remind_reviews


class Command(BaseCommand):
    help = "Remind IT officers of periodic self-assessments of information systems that are due or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Date to run for (YYYY-MM-DD).")

    def handle(self, *args, **options):
        self.stdout.write(f"{remind_reviews(options.get('today'))} system(s) reminded")
