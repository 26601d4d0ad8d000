"""The questions' and payment lists' status histories become the one engine's HistoryEntry: the
renamed fields keep their rows, and the old moves are named by their (from, to) states."""

import django.utils.timezone
from django.db import migrations, models

QUESTION_STATES = [
    ("received", "Received"),
    ("assigned", "Assigned to a unit"),
    ("answered", "Answer awaiting approval"),
    ("approved", "Answer approved"),
    ("published", "Published"),
    ("private", "Answered by e-mail"),
    ("rejected", "Not accepted"),
]
LIST_STATES = [("draft", "Draft"), ("approved", "Approved"), ("paid", "Paid")]
# (from, to) -> action of portal/workflow.py; a row without a from-state is the creation
MOVES = {
    "questionchange": {
        ("received", "assigned"): "assign",
        ("assigned", "assigned"): "assign",
        ("assigned", "answered"): "answer",
        ("answered", "assigned"): "return",
        ("answered", "approved"): "approve",
        ("approved", "published"): "publish",
        ("approved", "private"): "send_private",
        ("published", "approved"): "unpublish",
        ("received", "rejected"): "reject",
        ("assigned", "rejected"): "reject",
    },
    "paymentlistchange": {
        ("draft", "approved"): "approve",
        ("approved", "draft"): "reopen",
        ("approved", "paid"): "pay",
    },
}


def name_old_moves(apps, schema_editor):
    for model, table in MOVES.items():
        Change = apps.get_model("portal", model)
        Change.objects.filter(from_state="").update(action="create")
        for (source, target), action in table.items():
            Change.objects.filter(from_state=source, to_state=target).update(action=action)


def history_fields(model, states):
    return [
        migrations.RenameField(model, "from_status", "from_state"),
        migrations.RenameField(model, "to_status", "to_state"),
        migrations.AlterField(model, "action", models.CharField(max_length=32, verbose_name="action")),
        migrations.AlterField(
            model, "from_state", models.CharField(blank=True, max_length=32, verbose_name="from")
        ),
        migrations.AlterField(
            model, "to_state", models.CharField(choices=states, max_length=32, verbose_name="to")
        ),
        migrations.AlterField(
            model,
            "at",
            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(model, "note", models.TextField(blank=True, verbose_name="note")),
    ]


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        *history_fields("questionchange", QUESTION_STATES),
        *history_fields("paymentlistchange", LIST_STATES),
        migrations.RunPython(name_old_moves, migrations.RunPython.noop),
    ]
