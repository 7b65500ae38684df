from django.db import migrations

from sinergi.messaging.seed_templates import seed


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_outbox_area")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
