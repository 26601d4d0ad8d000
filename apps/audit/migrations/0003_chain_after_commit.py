"""Events are written unchained in their business transaction and chained after it commits.

`seq`, `prev_hash` and `hash` are empty until `audit.services.chain_pending` fills them in, once.
On PostgreSQL the append-only trigger now lets exactly that through: an UPDATE of a row whose `seq`
is still empty that gives it a `seq` and changes nothing else. Every other UPDATE, and every
DELETE, is refused as before.
"""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_repr, NEW.ip_address, NEW.request_id,
          NEW.content_type_id, NEW.object_id, NEW.object_repr, NEW.verb, NEW.note, NEW.changes::text)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.at, OLD.actor_id, OLD.actor_repr, OLD.ip_address, OLD.request_id,
          OLD.content_type_id, OLD.object_id, OLD.object_repr, OLD.verb, OLD.note, OLD.changes::text)
  THEN
    RETURN NEW;  -- chaining a committed event: its place in the chain and its hashes, once
  END IF;
  RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""
# Back to 0002's function: no update at all.
BACKWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, unique=True, verbose_name="sequence"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
