from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from apps.core.files.intake import UploadRejected, inspect_upload
from apps.procedures import importexport


class Command(BaseCommand):
    help = (
        "Import the procedure catalogue from a CSV or XLSX file (all or nothing; errors by row and column)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the imported versions from today."
        )

    def handle(self, *args, path, publish, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            with file.open("rb") as handle:  # the checks of an uploaded catalogue file (size, type, ClamAV)
                inspect_upload(File(handle, name=file.name), purpose="import")
            rows = importexport.read_rows(file.read_bytes(), file.name)
            result = importexport.import_catalogue(None, rows, publish=publish)
        except UploadRejected as exc:
            raise CommandError(exc.message) from exc
        except importexport.ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError("Nothing was imported.") from exc
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
