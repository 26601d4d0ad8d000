import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_status_history_entry")]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(django.db.models.functions.text.Upper("code"), name="dossiers_code_upper"),
        ),
    ]
