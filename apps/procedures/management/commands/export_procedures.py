from pathlib import Path

from django.core.management.base import BaseCommand

from apps.core.rendering.xlsx import render_xlsx
from apps.procedures import importexport, selectors


class Command(BaseCommand):
    help = "Export every procedure version to a CSV or XLSX file (the import format)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        versions = selectors.staff_versions()
        if file.suffix.lower() == ".xlsx":
            headers, rows = importexport.export_rows(versions)
            file.write_bytes(render_xlsx("Thủ tục hành chính", headers, rows))
        else:
            file.write_text(importexport.export_csv(versions), encoding="utf-8")
        self.stdout.write(f"{versions.count()} version(s) written to {file}.")
