"""Status history rows become the one engine's HistoryEntry (renamed fields keep their data);
methodology versions, enterprise claims and import jobs get their own history."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def name_old_moves(apps, schema_editor):
    Change = apps.get_model("techassess", "SurveyStatusChange")
    Change.objects.filter(from_state="").update(action="create")
    for source, target, action in [
        ("draft", "submitted", "submit"),
        ("returned", "submitted", "submit"),
        ("submitted", "returned", "return"),
        ("submitted", "accepted", "accept"),
    ]:
        Change.objects.filter(from_state=source, to_state=target).update(action=action)


class Migration(migrations.Migration):
    dependencies = [
        ("techassess", "0002_claims_legacy_results"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("surveystatuschange", "from_status", "from_state"),
        migrations.RenameField("surveystatuschange", "to_status", "to_state"),
        migrations.AddField(
            model_name="surveystatuschange",
            name="action",
            field=models.CharField(default="", max_length=32, verbose_name="action"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="surveystatuschange",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="surveystatuschange",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="surveystatuschange",
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
            model_name="surveystatuschange",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="surveystatuschange",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.RunPython(name_old_moves, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ClaimStatusChange",
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
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="techassess.enterpriseclaim",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="ImportJobStatusChange",
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
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="techassess.importjob",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="MethodologyStatusChange",
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
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "methodology",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="techassess.methodology",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
    ]
