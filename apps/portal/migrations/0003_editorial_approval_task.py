"""The editorial workflow's approval steps become EditorialApprovalTask (no self-approval): the
existing GroupApprovalTask rows of the two steps are adopted in place, so that items already in
review keep their task states."""

import django.db.models.deletion
from django.db import migrations, models

STEP_NAMES = ("Biên tập viên duyệt", "Ban biên tập phê duyệt")


def adopt_steps(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")
    EditorialApprovalTask = apps.get_model("portal", "EditorialApprovalTask")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="portal", model="editorialapprovaltask"
    )
    for task in GroupApprovalTask.objects.filter(name__in=STEP_NAMES):
        if EditorialApprovalTask.objects.filter(pk=task.pk).exists():
            continue
        child = EditorialApprovalTask(groupapprovaltask_ptr_id=task.pk)
        for field in GroupApprovalTask._meta.concrete_fields:
            setattr(child, field.attname, getattr(task, field.attname))
        child.save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=content_type)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_history_entry"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="EditorialApprovalTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "editorial approval step",
                "verbose_name_plural": "editorial approval steps",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(adopt_steps, migrations.RunPython.noop),
    ]
