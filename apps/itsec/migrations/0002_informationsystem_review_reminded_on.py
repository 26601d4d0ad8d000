from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("itsec", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="informationsystem",
            name="review_reminded_on",
            field=models.DateField(blank=True, null=True, verbose_name="review reminder sent on"),
        ),
        migrations.AddField(
            model_name="remediationtask",
            name="reminded_on",
            field=models.DateField(blank=True, null=True, verbose_name="overdue reminder sent on"),
        ),
    ]
