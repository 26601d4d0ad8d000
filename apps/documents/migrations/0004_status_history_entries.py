"""The status history rows become the one engine's HistoryEntry: renamed fields keep their data."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# (from, to) -> action of documents/workflow.py, for the rows written before the engine
INCOMING = {
    ("registered", "submitted"): "submit",
    ("registered", "assigned"): "assign",
    ("submitted", "assigned"): "assign",
    ("registered", "filed"): "file",
    ("submitted", "filed"): "file_submitted",
    ("assigned", "in_progress"): "assign_handler",
    ("assigned", "completed"): "complete",
    ("in_progress", "completed"): "complete",
}
OUTGOING = {
    ("draft", "in_review"): "submit",
    ("in_review", "draft"): "return",
    ("in_review", "approved"): "approve",
    ("approved", "numbered"): "number",
    ("numbered", "signed"): "sign",
    ("signed", "issued"): "issue",
    ("issued", "recalled"): "recall",
}


def name_old_moves(apps, schema_editor):
    for model, table in (("IncomingStatusChange", INCOMING), ("OutgoingStatusChange", OUTGOING)):
        Change = apps.get_model("documents", model)
        Change.objects.filter(from_state="").update(action="create")
        if model == "IncomingStatusChange":
            Change.objects.filter(to_state="recalled").update(action="recall")
        for (source, target), action in table.items():
            Change.objects.filter(from_state=source, to_state=target).update(action=action)


def _history_fields(model_name):
    return [
        migrations.RenameField(model_name, "from_status", "from_state"),
        migrations.RenameField(model_name, "to_status", "to_state"),
        migrations.AddField(
            model_name=model_name,
            name="action",
            field=models.CharField(default="", max_length=32, verbose_name="action"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name=model_name,
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_signature_check_recall_preview_attachments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *_history_fields("incomingstatuschange"),
        *_history_fields("outgoingstatuschange"),
        migrations.RunPython(name_old_moves, migrations.RunPython.noop),
    ]
