"""Trigram indexes for the registers' search (PostgreSQL only).

The search is a substring match over the unaccented `search_text` (selectors.search); without an
index every search and its paginator COUNT scan the whole table (measured-scale.md: 3–12 s at
100,000 documents). pg_trgm is a trusted extension: the database owner may create it.
"""

from django.db import migrations

TABLES = ("documents_incomingdocument", "documents_outgoingdocument")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_incoming_register_order")]

    operations = [migrations.RunPython(create, drop)]
