from django.core.management.base import BaseCommand

from apps.procedures.services import retire_expired


class Command(BaseCommand):
    help = "Mark published procedure versions whose end date has passed as retired."

    def handle(self, *args, **options):
        self.stdout.write(f"{retire_expired()} version(s) retired.")
