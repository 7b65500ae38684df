"""The national default TPS-security patterns (Polri Pilkada 2020, DOMAIN 3), loaded as data."""

from django.db import migrations

SOURCE = "Polri Pilkada 2020 (2 per 10/2/1/1 TPS); Linmas 2 per TPS; TNI: asumsi Sinergi"
ROWS = [
    # class, polri, per TPS, tni, per TPS, linmas per TPS, risk weight
    ("kurang_rawan", 2, 10, 1, 10, 2, 1),
    ("rawan", 2, 2, 1, 4, 2, 3),
    ("sangat_rawan", 2, 1, 1, 2, 2, 6),
    ("khusus", 2, 1, 1, 2, 2, 6),
]


def load(apps, schema_editor):
    pattern = apps.get_model("deployment", "SecurityPattern")
    for cls, polri, polri_tps, tni, tni_tps, linmas, weight in ROWS:
        pattern.objects.update_or_create(
            polres=None,
            tps_class=cls,
            defaults=dict(
                polri=polri,
                polri_tps=polri_tps,
                tni=tni,
                tni_tps=tni_tps,
                linmas_per_tps=linmas,
                risk_weight=weight,
                source=SOURCE,
            ),
        )


def unload(apps, schema_editor):
    apps.get_model("deployment", "SecurityPattern").objects.filter(polres=None).delete()


class Migration(migrations.Migration):
    dependencies = [("deployment", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
