"""The status history row becomes the one engine's HistoryEntry: renamed fields keep their data."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def name_old_moves(apps, schema_editor):
    Change = apps.get_model("procedures", "VersionStatusChange")
    Change.objects.filter(from_state="").update(action="create")
    Change.objects.filter(from_state="draft", to_state="published").update(action="publish")
    Change.objects.filter(from_state="published", to_state="retired").update(action="retire")


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("versionstatuschange", "from_status", "from_state"),
        migrations.RenameField("versionstatuschange", "to_status", "to_state"),
        migrations.AddField(
            model_name="versionstatuschange",
            name="action",
            field=models.CharField(default="", max_length=32, verbose_name="action"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="versionstatuschange",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="versionstatuschange",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="versionstatuschange",
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
            model_name="versionstatuschange",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="versionstatuschange",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.RunPython(name_old_moves, migrations.RunPython.noop),
    ]
