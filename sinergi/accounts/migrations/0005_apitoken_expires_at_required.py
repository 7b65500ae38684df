# A separate migration (its own transaction): PostgreSQL refuses to alter a table with the
# backfill's updates still pending in the same transaction.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_apitoken_expires_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text="refused from this moment on (SINERGI_TOKEN_DAYS after creation)"),
        ),
    ]
