"""The status histories move onto `core.workflow.models.HistoryEntry` (issue #14): fields renamed
(data kept), `action` added and filled from the old rows, new histories for levels and imports."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The action that led to each target state (as the machines in apps/itsec/workflow.py name them).
ASSET_ACTIONS = {"in_use": "use", "spare": "spare", "broken": "break", "disposed": "dispose"}
INCIDENT_ACTIONS = {"triaged": "triage", "responding": "respond", "closed": "close", "rejected": "reject"}


def fill_actions(apps, schema_editor):
    for model, actions in (("AssetStatusChange", ASSET_ACTIONS), ("IncidentStatusChange", INCIDENT_ACTIONS)):
        rows = apps.get_model("itsec", model).objects
        rows.filter(from_state="").update(action="create")
        for target, action in actions.items():
            rows.filter(action="", to_state=target).update(action=action)


def actor_field():
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
    )


def at_field():
    return models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")


def history_fields():
    return [
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("action", models.CharField(max_length=32, verbose_name="action")),
        ("at", at_field()),
        ("note", models.TextField(blank=True, verbose_name="note")),
        ("actor", actor_field()),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("itsec", "0002_informationsystem_review_reminded_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("assetstatuschange", "from_status", "from_state"),
        migrations.RenameField("assetstatuschange", "to_status", "to_state"),
        migrations.RenameField("assetstatuschange", "changed_by", "actor"),
        migrations.RenameField("assetstatuschange", "changed_at", "at"),
        migrations.RenameField("incidentstatuschange", "from_status", "from_state"),
        migrations.RenameField("incidentstatuschange", "to_status", "to_state"),
        migrations.RenameField("incidentstatuschange", "by", "actor"),
        migrations.AlterField("assetstatuschange", "actor", actor_field()),
        migrations.AlterField("assetstatuschange", "at", at_field()),
        migrations.AlterField("incidentstatuschange", "actor", actor_field()),
        migrations.AlterField("incidentstatuschange", "at", at_field()),
        migrations.AlterField("assetstatuschange", "note", models.TextField(blank=True, verbose_name="note")),
        migrations.AlterField(
            "incidentstatuschange", "note", models.TextField(blank=True, verbose_name="note")
        ),
        migrations.AddField(
            "assetstatuschange",
            "action",
            models.CharField(default="", max_length=32, verbose_name="action"),
            preserve_default=False,
        ),
        migrations.AddField(
            "incidentstatuschange",
            "action",
            models.CharField(default="", max_length=32, verbose_name="action"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_actions, migrations.RunPython.noop),
        migrations.AlterModelOptions("incidentstatuschange", options={"ordering": ["at", "pk"]}),
        migrations.CreateModel(
            name="ImportJobStatusChange",
            fields=[
                *history_fields(),
                ("from_state", models.CharField(blank=True, max_length=32, verbose_name="from")),
                ("to_state", models.CharField(max_length=32, verbose_name="to")),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="itsec.importjob",
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"], "abstract": False},
        ),
        migrations.CreateModel(
            name="SecurityLevelChange",
            fields=[
                *history_fields(),
                (
                    "from_state",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for appraisal"),
                            ("approved", "Approved"),
                            ("returned", "Returned"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "to_state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for appraisal"),
                            ("approved", "Approved"),
                            ("returned", "Returned"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "system",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="level_changes",
                        to="itsec.informationsystem",
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"], "abstract": False},
        ),
    ]
