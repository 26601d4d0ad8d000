"""The unaccent extension (PostgreSQL). Document types are reference data kept by post_migrate (reference.py)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class UnaccentIfPostgres(UnaccentExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # other apps may use unaccent too


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        UnaccentIfPostgres(),
    ]
