"""StatusChange becomes the one engine's HistoryEntry: the same columns, so every existing row is kept."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted, waiting for the reception check"),
    ("supplement_requested", "Waiting for a supplement"),
    ("refused", "Refused at reception"),
    ("received", "Received"),
    ("in_process", "In process"),
    ("review", "Waiting for approval"),
    ("approved", "Approved"),
    ("result_ready", "Result ready"),
    ("returned", "Result returned"),
    ("closed", "Closed"),
    ("withdrawn", "Stopped at the applicant's request"),
    ("not_eligible", "Not eligible"),
]
USER = settings.AUTH_USER_MODEL


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_idempotency_per_submitter"), migrations.swappable_dependency(USER)]

    operations = [
        migrations.AlterField(
            "statuschange", "action", models.CharField(max_length=32, verbose_name="action")
        ),
        migrations.AlterField(
            "statuschange",
            "actor",
            models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=USER
            ),
        ),
        migrations.AlterField(
            "statuschange",
            "at",
            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            "statuschange",
            "from_state",
            models.CharField(blank=True, choices=STATES, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField("statuschange", "note", models.TextField(blank=True, verbose_name="note")),
        migrations.AlterField(
            "statuschange", "to_state", models.CharField(choices=STATES, max_length=32, verbose_name="to")
        ),
    ]
