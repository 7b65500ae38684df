from django.db import migrations

KINDS = [
    ("rakor-lintas-sektoral", "Rapat koordinasi lintas sektoral", 10),
    ("rapat-teknis", "Rapat teknis", 20),
    ("apel-gelar-pasukan", "Apel gelar pasukan", 30),
    ("rakor-forkopimda", "Rapat Forkopimda", 40),
    ("rapat-evaluasi", "Rapat evaluasi", 50),
    ("simulasi", "Simulasi / gladi", 60),
]


def load(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for slug, name, position in KINDS:
        MeetingKind.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
