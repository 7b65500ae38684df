from django.db import migrations

from sinergi.messaging.seed_templates import TEMPLATES


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for key, description, indonesian, english in TEMPLATES:
        for language, text in (("id", indonesian), ("en", english)):
            MessageTemplate.objects.get_or_create(
                key=key, language=language, defaults={"text": text, "description": description}
            )


def unseed(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    MessageTemplate.objects.filter(key__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
