from django.db import migrations

from sinergi.grants.policies import policies_load


def load(apps, schema_editor):
    policies_load(apps.get_model("grants", "DisbursementPolicy"), apps.get_model("grants", "PolicyStep"))


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
