"""The 2024 categories, their SMS keywords, routing (agency kinds, most specific first) and the
Bawaslu TPS indicator each one sets when a TPS report is verified (contracts.md item 3)."""

from django.db import migrations
from django.utils.translation import gettext_noop

CATEGORIES = [
    ("politik-uang", gettext_noop("Politik uang"), "UANG POLITIKUANG SERANGANFAJAR AMPLOP", ["panwascam", "bawaslu"], "3.1", 3),
    ("sara-hoaks", gettext_noop("Politisasi SARA, ujaran kebencian, hoaks"), "SARA HOAKS HOAX UJARAN FITNAH", ["panwascam", "bawaslu"], "4.1", 2),
    ("intimidasi-kekerasan", gettext_noop("Intimidasi atau kekerasan"), "INTIMIDASI KEKERASAN ANCAMAN RUSUH BENTROK", ["polsek", "polres"], "2.2", 3),
    ("netralitas", gettext_noop("Netralitas ASN/TNI/Polri/kepala desa"), "NETRAL NETRALITAS ASN KADES", ["panwascam", "bawaslu"], "5.2", 2),
    ("kampanye", gettext_noop("Pelanggaran kampanye"), "KAMPANYE APK", ["panwascam", "bawaslu"], "", 1),
    ("logistik", gettext_noop("Logistik pemilihan (kurang, lebih, terlambat, tidak ada)"), "LOGISTIK SURATSUARA KOTAK BALLOT", ["ppk", "kpu"], "6.2", 3),
    ("gangguan-listrik", gettext_noop("Gangguan listrik"), "LISTRIK PADAM PLN", ["kantor_camat", "pemda"], "8.2", 2),
    ("gangguan-internet", gettext_noop("Gangguan internet atau sinyal"), "INTERNET SINYAL JARINGAN", ["kantor_camat", "pemda"], "8.1", 2),
    ("bencana", gettext_noop("Bencana (banjir, longsor, kebakaran)"), "BENCANA BANJIR LONGSOR KEBAKARAN", ["kantor_camat", "pemda"], "7.3", 3),
    ("gangguan-pemungutan", gettext_noop("Penolakan atau gangguan pemungutan suara"), "GANGGUAN TOLAK PENOLAKAN PEMUNGUTAN", ["polsek", "polres"], "2.3", 4),
    ("lainnya", gettext_noop("Lainnya"), "LAIN LAINNYA", ["kesbangpol", "pemda"], "", 1),
]


def load(apps, schema_editor):
    Category = apps.get_model("incidents", "Category")
    for order, (code, name, keywords, kinds, indicator, severity) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "sms_keywords": keywords,
                "route_kinds": kinds,
                "indicator_code": indicator,
                "default_severity": severity,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
