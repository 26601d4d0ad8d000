from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_status_history_entries")]

    operations = [
        migrations.AddIndex(
            model_name="incomingdocument",
            index=models.Index(
                models.OrderBy(models.F("year"), descending=True),
                models.OrderBy(models.F("arrival_number"), descending=True),
                name="documents_incoming_order",
            ),
        ),
    ]
