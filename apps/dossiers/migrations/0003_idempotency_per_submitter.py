# The idempotency key of a submission is its submitter's own: unique per (submitter, key), no longer
# across every dossier (issue #17: a second client or citizen posting the same key got the first
# dossier back).

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Give the keyed dossiers we can attribute their submitter; the rest keep an empty scope, which
    no lookup ever asks for (a retry of theirs becomes a fresh submission, never someone else's)."""
    Dossier = apps.get_model("dossiers", "Dossier")
    keyed = Dossier.objects.exclude(idempotency_key=None)
    for dossier in keyed.exclude(applicant_user=None).only("pk", "applicant_user_id"):
        Dossier.objects.filter(pk=dossier.pk).update(idempotency_scope=f"user:{dossier.applicant_user_id}")
    walk_in = keyed.filter(applicant_user=None).exclude(channel="online").exclude(received_by=None)
    for dossier in walk_in.only("pk", "received_by_id"):
        Dossier.objects.filter(pk=dossier.pk).update(idempotency_scope=f"user:{dossier.received_by_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_statistics_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="idempotency_scope",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.UniqueConstraint(
                fields=("idempotency_scope", "idempotency_key"), name="dossiers_idempotency_per_submitter"
            ),
        ),
    ]
