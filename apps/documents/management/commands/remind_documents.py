from django.core.management.base import BaseCommand

from apps.documents.tasks import remind_due_documents


class Command(BaseCommand):
    help = "Remind handlers of incoming documents due by the next working day or late (once a day)."

    def handle(self, *args, **options):
        self.stdout.write(f"{remind_due_documents()} document(s) reminded")
