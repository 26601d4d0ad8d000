"""The status histories move onto `core.workflow.models.HistoryEntry` (issue #14): `from_status`/
`to_status` renamed to `from_state`/`to_state` (data kept), the base's field shapes, and a history
for extension requests (each existing request gets its first row)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

HISTORIES = ("taskhistory", "assignmenthistory", "meetinghistory", "unitreporthistory")


def base_fields(model):
    return [
        migrations.RenameField(model, "from_status", "from_state"),
        migrations.RenameField(model, "to_status", "to_state"),
        migrations.AlterField(
            model, "from_state", models.CharField(blank=True, max_length=32, verbose_name="from")
        ),
        migrations.AlterField(model, "to_state", models.CharField(max_length=32, verbose_name="to")),
        migrations.AlterField(model, "action", models.CharField(max_length=32, verbose_name="action")),
        migrations.AlterField(model, "actor", actor_field()),
        migrations.AlterField(model, "at", at_field()),
        migrations.AlterField(model, "note", models.TextField(blank=True, verbose_name="note")),
    ]


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


def first_rows(apps, schema_editor):
    """Each existing request: its asking, and its decision when one was taken."""
    Request = apps.get_model("tasks", "ExtensionRequest")
    History = apps.get_model("tasks", "ExtensionRequestHistory")
    for ext in Request.objects.all():
        History.objects.create(
            extension=ext,
            action="request",
            to_state="pending",
            actor_id=ext.requested_by_id,
            at=ext.requested_at,
            note=ext.reason,
        )
        if ext.status != "pending":
            History.objects.create(
                extension=ext,
                action="approve" if ext.status == "approved" else "refuse",
                from_state="pending",
                to_state=ext.status,
                actor_id=ext.decided_by_id,
                at=ext.decided_at or ext.requested_at,
                note=ext.decision_note,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_history_ad_hoc_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[op for model in HISTORIES for op in base_fields(model)],
        migrations.CreateModel(
            name="ExtensionRequestHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=32, verbose_name="action")),
                ("from_state", models.CharField(blank=True, max_length=32, verbose_name="from")),
                ("to_state", models.CharField(max_length=32, verbose_name="to")),
                ("at", at_field()),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("actor", actor_field()),
                (
                    "extension",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="tasks.extensionrequest",
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"], "abstract": False},
        ),
        migrations.RunPython(first_rows, migrations.RunPython.noop),
    ]
